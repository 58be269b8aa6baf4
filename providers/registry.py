"""Every resource Lookout manages, listed once. Reports, adoption, the property tests and the coverage
checks read this list; a new resource is a spec module, a line here and in its vendor's resources.py."""

from __future__ import annotations

from typing import Any

from .base import SpecProvider
from .pagerduty import resources as pagerduty
from .render import resources as render
from .sentry import resources as sentry
from .uptimerobot import resources as uptimerobot

PROVIDERS: tuple[type[SpecProvider], ...] = (
    uptimerobot.MonitorProvider,
    uptimerobot.AlertContactProvider,
    uptimerobot.IntegrationProvider,
    uptimerobot.MaintenanceWindowProvider,
    uptimerobot.StatusPageProvider,
    sentry.TeamProvider,
    sentry.ProjectProvider,
    sentry.ClientKeyProvider,
    sentry.MetricMonitorProvider,
    sentry.AlertProvider,
    sentry.IntegrationLookupProvider,
    sentry.ProjectDetectorsProvider,
    sentry.PagerDutyServiceProvider,
    sentry.DashboardProvider,
    render.ServiceHealthCheckProvider,
    render.EnvVarProvider,
    render.NotificationOverrideProvider,
    render.OwnerNotificationSettingsProvider,
    render.LogStreamProvider,
    pagerduty.UserLookupProvider,
    pagerduty.ScheduleProvider,
    pagerduty.EscalationPolicyProvider,
    pagerduty.ServiceProvider,
    pagerduty.EventsIntegrationProvider,
    pagerduty.MaintenanceWindowProvider,
)
BY_KIND: dict[str, type[SpecProvider]] = {provider.spec.kind: provider for provider in PROVIDERS}


def specs() -> dict[str, Any]:
    """Every kind's ResourceSpec, in the order above."""
    return {kind: provider.spec for kind, provider in BY_KIND.items()}


def kind_of(type_token: str) -> str:
    """`pulumi-python:dynamic/uptimerobot:Monitor` (a type in state or a preview) -> `uptimerobot:Monitor`."""
    return type_token.rsplit("/", 1)[-1]


def spec_of(kind: str) -> Any:
    """The ResourceSpec of `kind` (`uptimerobot:Monitor`), or None for a kind Lookout does not manage."""
    provider = BY_KIND.get(kind)
    return provider.spec if provider else None
