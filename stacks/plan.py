"""The monitoring plan of one environment, as one validated spec (stack config `lookout:*`).

Services are declared once; `checks.py` compiles them into checks and `fanout/` into UptimeRobot, Sentry
and Render resources. Defaults are the plan's own numbers (docs/monitoring-plan.txt, "Alert Thresholds"): a
value left
out means "as the plan says".
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Literal, get_args
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator

from providers.sentry.platforms import check_platform
from providers.uptimerobot import facts as uptimerobot

from . import slo
from .plan_base import NAME, Strict
from .plan_health import Database, HealthJob, Heartbeat
from .slo import Objective, SLOs
from .validation import validate

Channel = Literal["pagerduty", "slack", "email"]
SECRET_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"  # a config key name, never the secret itself
CRITICAL: list[Channel] = ["pagerduty", "slack", "email"]
WARNING: list[Channel] = ["slack"]
INFO: list[Channel] = ["email"]


class RenderWorkspaceNotifications(Strict):
    email: bool = True
    send: Literal["none", "failure", "all"] = "failure"
    previews: bool = False


class RenderLogStream(Strict):
    endpoint: str = Field(
        pattern=r"^[^\s:/]+:\d{1,5}$",
        description="host:port; the token is the secret config lookout:logStreamToken",
    )
    scope: Literal["workspace", "services"] = Field(
        "services", description="the workspace default (shared by every stack) or one override per service"
    )
    setting: Literal["send", "drop"] = Field("send", description="workspace scope: for previews")


# A PagerDuty integration key is 32 characters with digits; Slack webhook URLs fail SECRET_NAME already.
_CREDENTIAL = re.compile(r"^(?=(?:\D*\d){4})[A-Za-z0-9_+/=-]{16,}$|^.{40,}$")


def secret_name(value: str) -> str:
    """A config key name; a value that looks like the credential itself is refused without echoing it."""
    if _CREDENTIAL.match(value):
        raise ValueError(
            "looks like the secret itself, not the name of the config key holding it: store it with "
            "`pulumi config set --secret lookout:<name>`, put <name> here, and rotate the value"
        )
    return value


class Service(Strict):
    name: str = Field(pattern=NAME, description="Short name, unique in the environment (backend, frontend)")
    url: str = Field(description="Public URL, monitored for uptime and SSL expiry")
    role: Literal["backend", "frontend"] = "backend"
    health_path: str | None = Field(None, description="Health endpoint on `url`, e.g. /api/health")
    health_keyword: str | None = Field(None, description="Text the health endpoint returns when healthy")
    render_service: str | None = Field(
        None, min_length=1, description="Render service name (or srv- id) running it"
    )
    sentry_platform: str | None = Field(None, description="Sentry platform; none = no Sentry project")
    owner_team: str | None = Field(
        None, pattern=NAME, description="Sentry team slug; default: the environment's team"
    )

    @field_validator("sentry_platform")
    @classmethod
    def known_platform(cls, value: str | None) -> str | None:
        return None if value is None else check_platform(value)

    @field_validator("url")
    @classmethod
    def http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", value):
            raise ValueError(f"'{value}' is not an http(s) URL with a host")
        return value.rstrip("/")

    @field_validator("health_path")
    @classmethod
    def absolute_path(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError("must start with /")
        return value

    @property
    def health_url(self) -> str | None:
        return self.url + self.health_path if self.health_path else None


class SlackChannel(Strict):
    webhook_secret: str = Field(
        pattern=SECRET_NAME, description="Name of the secret config key holding the incoming-webhook URL"
    )
    sentry_integration: str = Field(description="Name of the Slack workspace installed in Sentry")
    channel: str = Field(pattern=r"^#?[a-z0-9_-]+$")

    _named = field_validator("webhook_secret")(secret_name)


class PagerDutyChannel(Strict):
    key_secret: str | None = Field(
        None,
        pattern=SECRET_NAME,
        description="Name of the secret config key holding the key (not with lookout:oncall, which makes it)",
    )
    sentry_integration: str = Field(description="Name of the PagerDuty integration installed in Sentry")
    service: str | None = Field(
        None,
        description="The PagerDuty service's id in Sentry's service table (not with lookout:oncall, which "
        "adds the row)",
    )

    _named = field_validator("key_secret")(secret_name)


EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)


class OnCall(Strict):
    """Who is paged, taking turns, and who next when nobody acknowledges: PagerDuty's schedule, escalation
    policy, service and Events v2 integration, which the other vendors then page through."""

    people: list[str] = Field(min_length=1, description="E-mail addresses of PagerDuty users, in turn order")
    rotation: Literal["daily", "weekly"] = "weekly"
    handoff: str = Field("09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="Local time, HH:MM")
    handoff_day: Weekday = Field("monday", description="weekly: the day of the hand-off")
    time_zone: str = Field("UTC", description="IANA time zone of the hand-off, e.g. America/Los_Angeles")
    escalate_after: int = Field(15, ge=1, le=1440, description="Minutes before an unacknowledged page moves")
    escalate_to: list[str] = Field(default_factory=list, description="E-mail addresses paged next")
    loops: int = Field(1, ge=0, le=9, description="Times the escalation repeats before it gives up")
    urgency: Literal["high", "low"] = "high"
    deploy_events: bool = Field(
        True, description="Deploys go on the service's timeline as change events (`lookout deploy-event`)"
    )

    @field_validator("people", "escalate_to")
    @classmethod
    def addresses(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(EMAIL, v)]
        if bad:
            raise ValueError(f"'{bad[0]}' is not an e-mail address")
        twice = sorted({v for v in value if [w.lower() for w in value].count(v.lower()) > 1})
        if twice:
            raise ValueError(f"{twice[0]} is listed twice")
        return value

    @field_validator("time_zone")
    @classmethod
    def known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone (e.g. Europe/Berlin)") from None
        return value


class Channels(Strict):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    slack: SlackChannel | None = None
    pagerduty: PagerDutyChannel | None = None


class Routing(Strict):
    """Who hears about what. Defaults: critical pages and posts and mails at once; warnings go to Slack;
    info (deploys, SSL expiry) goes to e-mail."""

    critical: list[Channel] = Field(default_factory=lambda: list(CRITICAL))
    warning: list[Channel] = Field(default_factory=lambda: list(WARNING))
    info: list[Channel] = Field(default_factory=lambda: list(INFO))


class Thresholds(Strict):
    """The plan's thresholds; rates are fractions (0.05 = 5%), latencies milliseconds."""

    check_interval: int = Field(300, gt=0, description="Uptime check interval, seconds (plan: 5 minutes)")
    # The plan says both "alert after 3 consecutive failed checks (15 min)" and "down >5 min is critical".
    down_after: Literal["3-checks", "5-minutes"] = Field(
        "3-checks", description="When an outage pages: after 3 failed checks, or after 5 minutes down"
    )
    ssl_expiry_days: int = Field(30, ge=1, le=365)
    error_rate_critical: float = 0.05
    error_rate_warning: float = 0.01
    api_p95_ms: float = Field(2000, gt=0)
    db_p95_ms: float = Field(1000, gt=0)
    failed_login_rate: float = 0.10
    window_seconds: int = Field(3600, gt=0, description="Sentry metric monitor window")
    # What the system-health job (`lookout watch`) holds the database and the services to (the plan's
    # "Alert Thresholds" and "Infrastructure"): percentages of a limit, hours, milliseconds.
    storage_percent: float = Field(80, gt=0, le=100, description="Database disk used, % of its size")
    connections_percent: float = Field(80, gt=0, le=100, description="Connections used, % of max")
    backup_max_age_hours: float = Field(24, gt=0, description="Age of the newest completed backup")
    slow_query_ms: float = Field(1000, gt=0, description="Mean time of a statement (pg_stat_statements)")
    cpu_percent: float = Field(80, gt=0, le=100, description="A Render service's CPU, % of its limit")
    memory_percent: float = Field(80, gt=0, le=100, description="A Render service's memory, % of its limit")
    usage_minutes: int = Field(5, ge=1, le=60, description="CPU and memory: averaged over these minutes")

    @field_validator("error_rate_critical", "error_rate_warning", "failed_login_rate")
    @classmethod
    def fraction(cls, value: float) -> float:
        if not 0 < value <= 1:
            raise ValueError(
                f"{value:g} would mean {value * 100:g}%: rates are fractions (0.05 = 5%), in (0, 1]"
            )
        return value

    @field_validator("error_rate_warning")
    @classmethod
    def warning_below_critical(cls, value: float, info: ValidationInfo) -> float:
        critical = info.data.get("error_rate_critical")
        if critical is not None and value >= critical:
            raise ValueError(f"{value} must be below error_rate_critical ({critical})")
        return value


class MaintenanceWindow(Strict):
    name: str = Field(min_length=3)
    interval: Literal["once", "daily", "weekly", "monthly"]
    date: str = Field(description="YYYY-MM-DD, the first occurrence")
    time: str = Field(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
    duration: int = Field(ge=1, description="Minutes")
    days: list[int] = Field(default_factory=list)

    @field_validator("date")
    @classmethod
    def iso_date(cls, value: str) -> str:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date (YYYY-MM-DD)") from None
        return value


class Dashboards(Strict):
    sentry: bool = Field(
        True, description="A Sentry dashboard of the plan's key metrics (stacks/dashboards.py)"
    )
    status_page: bool = Field(True, description="An UptimeRobot status page of the environment's monitors")
    period: str = Field("24h", pattern=r"^[1-9]\d*[mhdw]$", description="The dashboard's time range, e.g. 7d")


class Plan(Strict):
    environment: Literal["dev", "prod"]
    app: str = Field("optio", pattern=NAME, description="Prefix of Sentry project slugs")
    team: str = Field(pattern=NAME, description="Sentry team that owns the projects and gets e-mail")
    services: list[Service] = Field(min_length=1)
    channels: Channels
    routing: Routing = Field(default_factory=lambda: Routing())
    thresholds: Thresholds = Field(default_factory=lambda: Thresholds())
    heartbeat: Heartbeat | None = Field(default_factory=lambda: Heartbeat())
    maintenance_windows: list[MaintenanceWindow] = Field(default_factory=list)
    app_version: str = Field("unknown", min_length=1, description="APP_VERSION on every Render service")
    uptimerobot_plan: Literal["free", "solo", "team", "enterprise"] = "free"
    adopt: dict[str, str] = Field(
        default_factory=dict,
        description="Existing objects to manage, by check key (`lookout adopt` writes it)",
    )
    oncall: OnCall | None = Field(None, description="PagerDuty on-call, made from the plan (prod only)")
    log_stream: RenderLogStream | None = Field(None, description="Render log shipping")
    render_notifications: RenderWorkspaceNotifications | None = Field(
        None, description="The Render workspace's settings: one stack (prod) should own them"
    )
    runbooks: str | None = Field(
        None, description="Base URL of the runbooks; each check links <runbooks>/<check>.md (none: no links)"
    )
    slos: SLOs | None = Field(None, description="Service-level objectives and their burn-rate alerts")
    dashboards: Dashboards = Field(default_factory=lambda: Dashboards())
    database: Database | None = Field(None, description="Supabase: checked by the system-health job")
    health_job: HealthJob | None = Field(None, description="The system-health job, as a Render cron job")

    @field_validator("adopt", mode="before")
    @classmethod
    def ids_as_text(cls, value: object) -> object:
        # `pulumi config set --path` stores numeric-looking ids as numbers
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else value

    @model_validator(mode="after")
    def consistent(self) -> Plan:
        names = [s.name for s in self.services]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"services: duplicate names {duplicates}")
        urls = [s.url for s in self.services]
        for i, url in enumerate(urls):
            if url in urls[:i]:
                raise ValueError(
                    f"services[{i}].url: {url} is also services[{urls.index(url)}].url (UptimeRobot refuses "
                    "two monitors of one URL)"
                )
        windows = [w.name for w in self.maintenance_windows]
        for i, name in enumerate(windows):
            if name in windows[:i]:
                raise ValueError(f"maintenance_windows[{i}].name: '{name}' is used twice")
        if problem := uptimerobot.interval_problem(self.thresholds.check_interval, self.uptimerobot_plan):
            raise ValueError(f"thresholds.check_interval: {problem}")
        pd = self.channels.pagerduty
        if self.oncall is not None and self.environment == "dev":
            raise ValueError("oncall: dev never pages; lookout:oncall belongs to prod")
        if pd is not None and self.oncall is not None:
            for field in ("key_secret", "service"):
                if getattr(pd, field) is not None:
                    raise ValueError(
                        f"channels.pagerduty.{field}: lookout:oncall makes the PagerDuty service, its key "
                        "and Sentry's row for it; remove this"
                    )
        if pd is not None and self.oncall is None and self.environment != "dev":
            for field, what in (("key_secret", "the integration key"), ("service", "Sentry's service row")):
                if getattr(pd, field) is None:
                    raise ValueError(
                        f"channels.pagerduty.{field}: required for {what}, unless lookout:oncall makes the "
                        "PagerDuty service"
                    )
        if self.health_job and not self.database and not any(s.render_service for s in self.services):
            raise ValueError("health_job: the plan declares nothing to watch (database, render_service)")
        if self.slos is not None and self.slos.objectives is not None:
            self._check_objectives(self.slos.objectives)
        for severity in ("critical", "warning", "info"):
            for channel in getattr(self.routing, severity):
                never_used = channel == "pagerduty" and self.environment == "dev"  # dev never pages
                if channel != "email" and not never_used and getattr(self.channels, channel) is None:
                    raise ValueError(f"routing.{severity}: '{channel}' is not configured under channels")
        return self

    def _check_objectives(self, objectives: list[Objective]) -> None:
        services = {s.name: s for s in self.services}
        seen: set[tuple[str, str]] = set()
        for i, objective in enumerate(objectives):
            service = services.get(objective.service)
            if service is None:
                raise ValueError(f"slos.objectives[{i}].service: '{objective.service}' is not in services")
            if objective.kind != "availability" and service.sentry_platform is None:
                raise ValueError(
                    f"slos.objectives[{i}].kind: {objective.kind} is measured by Sentry, and service "
                    f"'{service.name}' has no sentry_platform"
                )
            if (objective.service, objective.kind) in seen:
                raise ValueError(
                    f"slos.objectives[{i}]: a second {objective.kind} objective for {service.name}"
                )
            seen.add((objective.service, objective.kind))

    def job_name(self) -> str:
        """The system-health job's Render cron job."""
        job = self.health_job
        return job.name if job and job.name else f"{self.app}-{self.environment}-system-health"

    def objectives(self) -> list[Objective]:
        """The declared objectives, or the plan's own targets for each service (stacks/slo.py)."""
        if self.slos is None:
            return []
        if self.slos.objectives is not None:
            return list(self.slos.objectives)
        found = []
        for svc in self.services:
            found.append(Objective(service=svc.name, kind="availability", target=slo.PLAN_UPTIME))
            if svc.sentry_platform is None:
                continue
            if svc.role == "backend":
                found.append(Objective(service=svc.name, kind="errors", target=slo.PLAN_ERRORS))
            latency = self.thresholds.api_p95_ms if svc.role == "backend" else slo.PLAN_PAGE_LOAD_MS
            found.append(
                Objective(
                    service=svc.name, kind="latency", target=slo.PLAN_LATENCY_SHARE, threshold_ms=latency
                )
            )
        return found

    def routed(self, severity: Literal["critical", "warning", "info"]) -> list[Channel]:
        """Channels for a severity, with the rule that dev never pages."""
        channels = getattr(self.routing, severity)
        return [c for c in channels if not (c == "pagerduty" and self.environment == "dev")]

    def project_slug(self, service: Service) -> str:
        return f"{self.app}-{self.environment}-{service.name}"


def load_plan(values: dict[str, object]) -> Plan:
    """The plan from `lookout:*` config values; errors name the YAML path of the bad value."""
    return validate(Plan, dict(values))
