"""What UptimeRobot's plans allow, each fact with its source: the one place Lookout knows them.

The plan model (stacks/plan.py) and the monitor spec both apply `interval_problem`, so a plan and a monitor
declared directly are refused in the same words; the transport takes its first request budget from
`requests_per_minute` (the server's X-RateLimit-* headers correct it from the first answer on). The sandbox
keeps its own table (sandbox/uptimerobot/accounts.py): it stands for the vendor, never for Lookout.
"""

from __future__ import annotations

from dataclasses import dataclass

FREE_REQUESTS_PER_MINUTE = 10  # UptimeRobot API docs (v2 and v3): "FREE plan: 10 requests/minute"
# API docs: paid plans get "monitor limit x 2" requests per minute, at most 5000 (1000 when the limits
# came in, 2021-07-26; help article 53916). Live: a Solo account of 10 monitors got 20 (GoSuccessHQ).
PAID_REQUESTS_PER_MONITOR, MOST_REQUESTS_PER_MINUTE = 2, 5000


@dataclass(frozen=True)
class Plan:
    monitors: int
    min_interval: int  # seconds
    # Maintenance windows: "This feature is exclusively available with our paid plans"
    # (help.uptimerobot.com/en/articles/11360884). Without it the create is refused, by the vendor's
    # "plan-gated" feature `maintenance-window`, as 403 code 000-003 (inferred: uptimerobot/ai AGENTS.md names
    # the feature; the 403 shape was read live for another feature, docs/vendors/uptimerobot.md).
    maintenance_windows: bool = True

    def requests_per_minute(self, name: str) -> int:
        if name == "free":
            return FREE_REQUESTS_PER_MINUTE
        return min(PAID_REQUESTS_PER_MONITOR * self.monitors, MOST_REQUESTS_PER_MINUTE)


# Free: 50 monitors checked every 5 minutes at the shortest (pricing page; API v3 answers a shorter interval
# with `subscription_limit_exceeded`, docs/vendors/uptimerobot.md, limits). Solo: 10 monitors (GoSuccessHQ's
# live account). Paid intervals and the Team and Enterprise monitor counts are the pricing page's tiers as
# the sandbox assumes them too (no API source states them): a paid account's real budget comes from its
# answers' headers.
PLANS = {
    "free": Plan(monitors=50, min_interval=300, maintenance_windows=False),
    "solo": Plan(monitors=10, min_interval=60),
    "team": Plan(monitors=100, min_interval=60),
    "enterprise": Plan(monitors=200, min_interval=30),
}
DEFAULT_PLAN = "free"


def plan_named(name: str | None) -> str:
    """The plan `uptimerobot:plan` names (any case), else the free plan."""
    lowered = (name or DEFAULT_PLAN).lower()
    return lowered if lowered in PLANS else DEFAULT_PLAN


def requests_per_minute(plan: str) -> int:
    return PLANS[plan].requests_per_minute(plan)


def interval_problem(interval: float, plan: str) -> str | None:
    """Why UptimeRobot would refuse checks every `interval` seconds on `plan`, or None."""
    minimum = PLANS[plan].min_interval
    if interval < minimum:
        return f"{interval:g} s is below the UptimeRobot {plan} plan minimum of {minimum} s"
    return None
