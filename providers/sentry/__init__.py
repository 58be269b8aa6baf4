"""Sentry resources on the current API: teams, projects, client keys, metric monitors and alerts."""

from .resources import (
    Alert,
    ClientKey,
    IntegrationLookup,
    MetricMonitor,
    Project,
    ProjectDetectors,
    Team,
)

__all__ = ["Alert", "ClientKey", "IntegrationLookup", "MetricMonitor", "Project", "ProjectDetectors", "Team"]
