"""Sentry resources for Pulumi programs. Arguments are the fields of each spec's input model."""

from __future__ import annotations

from ..resource import derive
from . import alert, client_key, dashboard, lookups, metric_monitor, pagerduty_service, project, team

TeamProvider, Team = derive(team.SPEC, __name__)
ProjectProvider, Project = derive(project.SPEC, __name__)
ClientKeyProvider, ClientKey = derive(client_key.SPEC, __name__)
MetricMonitorProvider, MetricMonitor = derive(metric_monitor.SPEC, __name__)
AlertProvider, Alert = derive(alert.SPEC, __name__)
IntegrationLookupProvider, IntegrationLookup = derive(lookups.INTEGRATION, __name__)
ProjectDetectorsProvider, ProjectDetectors = derive(lookups.PROJECT_DETECTORS, __name__)
PagerDutyServiceProvider, PagerDutyService = derive(pagerduty_service.SPEC, __name__)
DashboardProvider, Dashboard = derive(dashboard.SPEC, __name__)
