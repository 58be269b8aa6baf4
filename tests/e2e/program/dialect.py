"""The test program's config: each vendor's resources declared directly (`lookout:uptime`, `lookout:sentry`,
`lookout:render`, `lookout:pagerduty`), so that end-to-end tests exercise each resource's options one at a
time."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stacks.plan import RenderLogStream, RenderWorkspaceNotifications
from stacks.validation import validate


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class UptimeMonitor(Strict):
    name: str = Field(min_length=1, max_length=250)
    url: str
    keyword: str | None = Field(None, description="Alert when this text is missing from the page")
    interval: int | None = Field(None, description="Seconds; defaults to uptime.interval")

    @field_validator("url")
    @classmethod
    def http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"'{value}' is not an http(s) URL with a host")
        return value


class Uptime(Strict):
    alert_email: str = Field(alias="alertEmail", min_length=3)
    interval: int = Field(300, ge=30, description="Seconds between checks for every monitor")
    timeout: int = Field(30, ge=1, le=60)
    ssl_expiry_days: list[int] = Field(default_factory=lambda: [30], alias="sslExpiryDays")
    monitors: list[UptimeMonitor] = Field(min_length=1)
    adopt_existing: bool = Field(
        False, alias="adoptExisting", description="Manage matching objects that already exist in the account"
    )


class SentryProject(Strict):
    slug: str
    name: str
    platform: str = "python"


class SentryMonitor(Strict):
    name: str
    project: str = Field(description="Slug of one of sentry.projects")
    aggregate: str = Field(description="e.g. failure_rate(), p95(transaction.duration)")
    dataset: str = "events_analytics_platform"
    query: str = ""
    direction: Literal["above", "below"] = "above"
    critical: float | None = None
    warning: float | None = None
    resolve: float | None = None
    time_window: int = Field(3600, alias="timeWindow", description="Seconds")


class SlackTarget(Strict):
    integration: str = Field(description="Name of the Slack integration (workspace) installed in Sentry")
    channel: str


class PagerDutyTarget(Strict):
    integration: str
    service: str = Field(description="PagerDuty service_table id in Sentry")


class SentryNotify(Strict):
    email_team: bool = Field(True, alias="emailTeam")
    slack: SlackTarget | None = None
    pagerduty: PagerDutyTarget | None = None
    frequency: int = Field(30, description="Minutes between notifications for the same issue")


class Sentry(Strict):
    team: str = Field(description="Team slug")
    default_key: Literal["keep", "remove"] = Field(alias="defaultKey")
    projects: list[SentryProject] = Field(min_length=1)
    monitors: list[SentryMonitor] = Field(default_factory=list)
    environment: str | None = Field(None, description="Only when it already exists in Sentry")
    notify: SentryNotify = Field(default_factory=lambda: SentryNotify.model_validate({}))
    adopt_existing: bool = Field(False, alias="adoptExisting")

    @model_validator(mode="after")
    def monitors_name_known_projects(self) -> Sentry:
        slugs = {p.slug for p in self.projects}
        for i, monitor in enumerate(self.monitors):
            if monitor.project not in slugs:
                raise ValueError(f"monitors[{i}].project '{monitor.project}' is not one of {sorted(slugs)}")
        return self


class RenderService(Strict):
    name: str = Field(description="Service name (unique within the workspace) or id srv-...")
    health_check_path: str | None = Field(None, alias="healthCheckPath")
    sentry_project: str | None = Field(
        None, alias="sentryProject", description="SENTRY_DSN from this Sentry project's key in the same stack"
    )
    notifications: Literal["default", "none", "failure", "all"] = "default"


class HealthCheckTiming(Strict):
    interval_seconds: int | None = Field(None, alias="intervalSeconds")
    timeout_seconds: int | None = Field(None, alias="timeoutSeconds")


class Render(Strict):
    services: list[RenderService] = Field(min_length=1)
    app_version: str | None = Field(None, alias="appVersion", description="APP_VERSION on every service")
    deploy_on_change: bool = Field(False, alias="deployOnChange")
    health_check_timing: HealthCheckTiming | None = Field(None, alias="healthCheckTiming")
    notifications: RenderWorkspaceNotifications | None = None
    log_stream: RenderLogStream | None = Field(None, alias="logStream")


class ScheduleLayer(Strict):
    name: str
    people: list[str] = Field(min_length=1, description="E-mail addresses of pagerduty.people, in turn order")
    turn_days: int = Field(7, alias="turnDays")
    handoff: str = "09:00"
    handoff_day: int | None = Field(None, alias="handoffDay", description="ISO weekday, for whole weeks")
    restrictions: list[dict[str, Any]] = Field(default_factory=list, description="The provider's own shape")


class OnCallSchedule(Strict):
    name: str
    time_zone: str = Field(alias="timeZone")
    description: str = ""
    layers: list[ScheduleLayer] = Field(min_length=1)


class Maintenance(Strict):
    start: str = Field(description="ISO 8601 with an offset")
    end: str
    description: str = ""
    services: list[str] | None = Field(None, description="Names from pagerduty.services; default all")


class PagerDuty(Strict):
    people: list[str] = Field(min_length=1, description="E-mail addresses of people PagerDuty already has")
    policy: str = Field(description="Escalation policy name")
    delay_minutes: int = Field(30, alias="delayMinutes")
    loops: int = 0
    services: list[str] = Field(min_length=1, description="Service names, all on the policy")
    urgency: Literal["high", "low"] = "high"
    integration_on: int | None = Field(0, alias="integrationOn", description="Index of the service it is on")
    adopt_policy_id: str | None = Field(None, alias="adoptPolicyId")
    schedule: OnCallSchedule | None = None
    maintenance: Maintenance | None = None

    @model_validator(mode="after")
    def names_are_declared(self) -> PagerDuty:
        for i, layer in enumerate(self.schedule.layers if self.schedule else []):
            if unknown := [p for p in layer.people if p not in self.people]:
                raise ValueError(f"schedule.layers[{i}].people '{unknown[0]}' is not one of pagerduty.people")
        named = (self.maintenance.services or []) if self.maintenance else []
        if unknown := [s for s in named if s not in self.services]:
            raise ValueError(f"maintenance.services '{unknown[0]}' is not one of pagerduty.services")
        return self


class StackConfig(Strict):
    environment: Literal["dev", "prod"]
    uptime: Uptime
    sentry: Sentry | None = None
    render: Render | None = None
    pagerduty: PagerDuty | None = None

    @model_validator(mode="after")
    def dsn_sources_exist(self) -> StackConfig:
        projects = {p.slug for p in self.sentry.projects} if self.sentry else set()
        for i, svc in enumerate(self.render.services if self.render else []):
            if svc.sentry_project and svc.sentry_project not in projects:
                raise ValueError(
                    f"render.services[{i}].sentryProject '{svc.sentry_project}' is not a sentry project"
                )
        return self


def load(values: dict[str, Any]) -> StackConfig:
    return validate(StackConfig, values)
