"""Lint over all the stack files linted together (issue #30), one per environment, as the stacks of one
repository share the vendors' accounts (`make demo` deploys dev and prod into one): the vendors' plan
limits, over what the plans would make, counted from the fan-out itself (stacks/inventory.py, under
Pulumi's mocks). UptimeRobot counts monitors per account, 50 on the free plan
(providers/uptimerobot/facts.py); the 51st create is refused with `subscription_limit_exceeded`, part-way
through an `up`. What two files declare alike is lookout/lint_owners.py's.
"""

from __future__ import annotations

from collections.abc import Mapping

from providers.resource import Declaration
from providers.uptimerobot import facts
from stacks.plan import Plan

from .lint_rules import Finding, error

MONITOR = "uptimerobot:Monitor"


def monitors_fit(plans: Mapping[str, tuple[Plan, list[Declaration]]]) -> dict[str, list[Finding]]:
    """An error on the file whose monitors take the account past its plan's limit, with the counts."""
    counts = {name: sum(d.kind == MONITOR for d in made) for name, (_, made) in plans.items()}
    found: dict[str, list[Finding]] = {}
    total = 0
    for name, (plan, _) in plans.items():
        total += counts[name]
        limit = facts.PLANS[plan.uptimerobot_plan].monitors
        if total > limit:
            each = " + ".join(f"{n} {c}" for n, c in counts.items())
            found[name] = [
                error(
                    "plan-limits",
                    "services",
                    f"the plans make {total} UptimeRobot monitors ({each}), more than the {limit} of the "
                    f"{plan.uptimerobot_plan} plan: the monitor past it would fail part-way through `up`",
                )
            ]
            break
    return found
