"""What each kind of check carries for the fan-out that builds it: one typed payload per check kind, with
every value the resources need (the fan-out never reaches back into the plan for them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reachable:
    """http: the URL answers."""

    url: str
    interval: int  # seconds between checks
    threshold: int  # minutes of failure before the contact is told (0: at once)
    method: str = "GET"


@dataclass(frozen=True)
class Keyword:
    """keyword: the page at `url` contains `keyword`."""

    url: str
    keyword: str
    interval: int
    threshold: int


@dataclass(frozen=True)
class SslExpiry:
    """ssl-expiry: a setting of the URL's http monitor (reminders `days` before expiry)."""

    url: str
    days: int


@dataclass(frozen=True)
class Heartbeat:
    """heartbeat: a job pings every `interval` seconds, with `grace` seconds of slack."""

    interval: int
    grace: int


@dataclass(frozen=True)
class NewIssues:
    """new-issues: the Sentry project's new and regressed issues."""

    project: str


@dataclass(frozen=True)
class MetricThreshold:
    """metric: a Sentry metric monitor of `aggregate` over `time_window` seconds."""

    project: str
    aggregate: str
    dataset: str
    query: str
    critical: float | None
    warning: float | None
    time_window: int

    def level(self, name: str) -> float | None:
        return self.critical if name == "critical" else self.warning if name == "warning" else None


@dataclass(frozen=True)
class RenderHealth:
    """health-check: the Render service's health-check path."""

    render_service: str
    path: str


@dataclass(frozen=True)
class RenderDeploys:
    """deploy-notifications: the Render service's deploy and failure notices."""

    render_service: str


@dataclass(frozen=True)
class Watched:
    """watch: a measure the system-health job (`lookout watch`) reads and holds to `threshold` (None: the
    measure passes or fails by itself, e.g. a service that is down). `target` is a Supabase project ref or
    a Render service name."""

    measure: str  # database, pooler, storage, connections, backups, slow-queries, cpu, memory
    target: str
    threshold: float | None = None
    minutes: int = 0  # cpu, memory: averaged over the last minutes


Payload = (
    Reachable
    | Keyword
    | SslExpiry
    | Heartbeat
    | NewIssues
    | MetricThreshold
    | RenderHealth
    | RenderDeploys
    | Watched
)
