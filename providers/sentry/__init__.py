"""Sentry resources on the current API: teams, projects, client keys, metric monitors, alerts, dashboards,
and the service rows of the PagerDuty integration.

Programs import the resource classes from `.resources`, where each spec is derived into them.
"""
