"""UptimeRobot API v3 resources."""

from .resources import AlertContact, Integration, MaintenanceWindow, Monitor, StatusPage

__all__ = ["AlertContact", "Integration", "MaintenanceWindow", "Monitor", "StatusPage"]
