"""What a game day does for each check of the catalog: the failure it exists for, how to cause and heal it
in the world (lookout/gameday_world.py), how soon the plan wants it known, and which other checks that same
failure may set off; and which check each notification the sandbox recorded belongs to.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from stacks import names
from stacks.checks import Check
from stacks.payloads import Heartbeat, Keyword, Reachable, SslExpiry
from stacks.plan import Plan

from .gameday_world import HEALTHY_CERTIFICATE, World

Act = Callable[[World], None]
DAY = 86400.0

# Checks whose vendor's checks the sandbox does not run yet: named in the report, never passed.
NOT_RUN = {
    "sentry": "the sandbox does not evaluate Sentry's monitors and alerts on the app's events yet",
    "render": "the sandbox does not run Render's health checks and deploy notifications yet",
}


@dataclass(frozen=True)
class Case:
    check: Check
    fault: str  # for people: what fails
    inject: Act
    heal: Act
    limit: float  # seconds of plan time within which every route must have been told
    step: float  # seconds of plan time per step of the clock
    may_fire: frozenset[str]  # other checks this failure may set off (same service, same symptom)

    @property
    def horizon(self) -> float:
        """How long to watch before calling it missed: twice the limit."""
        return 2 * self.limit


def cases(plan: Plan, checks: list[Check]) -> list[Case]:
    """A case for each check the sandbox can run, in catalog order."""
    found = []
    for check in checks:
        made = _case(plan, check, checks)
        if made is not None:
            found.append(made)
    return found


def _case(plan: Plan, check: Check, checks: list[Check]) -> Case | None:
    payload, svc = check.payload, check.service or ""
    same = frozenset(c.key for c in checks if c.service == svc and c.kind in ("http", "keyword"))
    if isinstance(payload, Reachable):
        return Case(
            check,
            f"the {svc} process stops (its port closes)",
            lambda w: w.apps[svc].server.stop(),
            lambda w: w.apps[svc].restart(),
            payload.interval + 60 * payload.threshold,
            60,
            same,
        )
    if isinstance(payload, Keyword):
        return Case(
            check,
            f"the {svc} database fails (/api/health answers 503 unhealthy)",
            lambda w: w.apps[svc].fault(database_down=True),
            lambda w: w.apps[svc].fault(database_down=False),
            payload.interval + 60 * payload.threshold,
            60,
            same,
        )
    if isinstance(payload, SslExpiry):
        days = payload.days - 1
        return Case(
            check,
            f"the {svc} certificate has {days} days left (the plan warns under {payload.days})",
            lambda w: w.apps[svc].certificate(w.authority, timedelta(days=days, hours=12)),
            lambda w: w.apps[svc].certificate(w.authority, HEALTHY_CERTIFICATE),
            DAY + _interval(check, checks),  # the expiry check runs once a day
            1800,
            frozenset(),
        )
    if isinstance(payload, Heartbeat):
        return Case(
            check,
            f"the {plan.heartbeat.name if plan.heartbeat else 'heartbeat'} job stops pinging",
            lambda w: setattr(w, "job_running", False),
            lambda w: setattr(w, "job_running", True),
            payload.interval + payload.grace + 60,  # from its last ping, which may be just before it stopped
            60,
            frozenset(),
        )
    return None


def _interval(check: Check, checks: list[Check]) -> float:
    """The interval of the HTTP monitor an SSL check is a setting of."""
    for other in checks:
        if other.service == check.service and isinstance(other.payload, Reachable):
            return float(other.payload.interval)
    return 300.0


def attribute(
    delivery: dict[str, Any], plan: Plan, checks: list[Check], monitors: dict[int, str]
) -> str | None:
    """The check a notification came from, or None when no check of the plan sent it."""
    by_name = {names.monitor(plan, c): c for c in checks if c.vendor == "uptimerobot"}
    name = None
    if delivery.get("via") == "uptimerobot":
        name = delivery.get("monitor")
    elif delivery.get("via") == "UptimeRobot":  # a page, through PagerDuty's Events API
        monitor_id = str(delivery.get("dedup_key", "")).rpartition("-")[2]
        name = html.unescape(monitors.get(int(monitor_id), "")) if monitor_id.isdigit() else None
    check = by_name.get(str(name)) if name else None
    if check is None:
        return None
    if delivery.get("event") == "ssl-expiry":
        return f"ssl:{check.service}"
    return check.key


def is_alert(delivery: dict[str, Any]) -> bool:
    """A notification that something is wrong (not a recovery)."""
    if delivery.get("channel") == "pagerduty":
        return delivery.get("status") in ("paged", "nobody on call")
    return delivery.get("event") in ("down", "ssl-expiry")


def is_recovery(delivery: dict[str, Any]) -> bool:
    return delivery.get("event") == "up"
