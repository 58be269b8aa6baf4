"""A check: what one of the plan's alerts watches, at what threshold, who hears of it (stacks/checks.py
compiles the plan into them; stacks/system_health.py adds the system-health job's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .payloads import Payload
from .plan import Channel, Plan

Severity = Literal["critical", "warning", "info"]


@dataclass(frozen=True)
class Check:
    key: str  # stable and unique, e.g. "sentry:backend:error-rate"
    vendor: Literal["uptimerobot", "sentry", "render", "lookout"]  # lookout: the system-health job's
    kind: str  # http, keyword, heartbeat, metric, new-issues, health-check, env, deploy-notifications
    title: str
    condition: str  # for people: "error rate > 5% over 60 min"
    severity: Severity
    channels: tuple[Channel, ...]
    service: str | None = None
    runbook: str = ""  # <plan.runbooks>/<name>.md; "" when the plan names no runbooks
    payload: Payload | None = None  # what the fan-out needs to build it (stacks/payloads.py)

    @property
    def url(self) -> str | None:
        """The URL an UptimeRobot check watches, if any."""
        return getattr(self.payload, "url", None)


def runbook(plan: Plan, name: str) -> str:
    """The check's runbook under the plan's `lookout:runbooks` base URL, or "" (no link) without one."""
    return f"{plan.runbooks.rstrip('/')}/{name}.md" if plan.runbooks else ""
