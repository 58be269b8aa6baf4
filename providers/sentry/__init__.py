"""Sentry resources on the current API: teams, projects, client keys, metric monitors, alerts, dashboards,
and the service rows of the PagerDuty integration."""

from .resources import (
    Alert,
    ClientKey,
    Dashboard,
    IntegrationLookup,
    MetricMonitor,
    PagerDutyService,
    Project,
    ProjectDetectors,
    Team,
)

__all__ = [
    "Alert",
    "ClientKey",
    "Dashboard",
    "IntegrationLookup",
    "MetricMonitor",
    "PagerDutyService",
    "Project",
    "ProjectDetectors",
    "Team",
]
