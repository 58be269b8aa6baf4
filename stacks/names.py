"""The names the fan-out gives vendor objects, and the `lookout:adopt` keys of those that have no check key.

One function per name, used by the fan-out that creates the objects and by `lookout adopt` that looks
for them, so that a renamed object is still recognised as Lookout's own.
"""

from __future__ import annotations

from typing import Any, Literal

from .checks import Check
from .plan import Plan

Level = Literal["critical", "warning"]


def adoption(plan: Plan, key: str, *, by_id: bool = True) -> dict[str, Any]:
    """The arguments that let `lookout adopt` find the object by `key` (the check key, else one of the keys
    below), and that adopt what `lookout:adopt` names there: by its id, or (`by_id=False`) by natural key."""
    if by_id:
        return {"adopt_key": key, "adopt_id": plan.adopt.get(key)}
    return {"adopt_key": key, "adopt": key in plan.adopt}


def monitor(plan: Plan, check: Check) -> str:
    """An UptimeRobot monitor (and the Sentry metric monitor of a metric check)."""
    return f"{plan.environment} {check.title}"


def issue_alert(plan: Plan, check: Check) -> str:
    """The Sentry alert (workflow) of a new-issues check."""
    return f"{plan.environment}: {check.title}"


def system_health_alert(plan: Plan) -> str:
    """The Sentry alert that tells a critical finding of the system-health job beyond the warning routes."""
    return f"{plan.environment}: system-health critical findings"


def threshold_alert(plan: Plan, level: Level) -> str:
    """The Sentry alert that routes every metric monitor crossing `level`."""
    return f"{plan.environment}: {level} thresholds crossed"


def threshold_alert_key(level: Level) -> str:
    return f"sentry:alert:{level}-thresholds"


def email_contact(plan: Plan) -> str:
    return f"Lookout {plan.environment}"


def oncall_schedule(plan: Plan) -> str:
    return f"{plan.app} {plan.environment} on-call"


def oncall_policy(plan: Plan) -> str:
    return f"{plan.app} {plan.environment} escalation"


def pagerduty_service(plan: Plan) -> str:
    """The PagerDuty service alerts open incidents on (also the name of Sentry's service row for it)."""
    return f"{plan.app} {plan.environment}"


def dashboard(plan: Plan) -> str:
    """The Sentry dashboard of the plan's key metrics (titles are unique in an organization)."""
    return f"{plan.app} {plan.environment} health"


def status_page(plan: Plan) -> str:
    return f"{plan.app} {plan.environment} status"
