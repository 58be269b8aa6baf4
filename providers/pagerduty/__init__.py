"""PagerDuty (REST API v2) resources: escalation policies, services, Events API v2 integrations, people."""

from .resources import (
    EscalationPolicy,
    EventsIntegration,
    MaintenanceWindow,
    Schedule,
    Service,
    UserLookup,
)

__all__ = ["EscalationPolicy", "EventsIntegration", "MaintenanceWindow", "Schedule", "Service", "UserLookup"]
