"""PagerDuty resources for Pulumi programs. Arguments are the fields of each spec's input model."""

from __future__ import annotations

from ..resource import derive
from . import escalation_policy, events_integration, maintenance_window, schedule, service, user_lookup

UserLookupProvider, UserLookup = derive(user_lookup.SPEC, __name__)
ScheduleProvider, Schedule = derive(schedule.SPEC, __name__)
EscalationPolicyProvider, EscalationPolicy = derive(escalation_policy.SPEC, __name__)
ServiceProvider, Service = derive(service.SPEC, __name__)
EventsIntegrationProvider, EventsIntegration = derive(events_integration.SPEC, __name__)
MaintenanceWindowProvider, MaintenanceWindow = derive(maintenance_window.SPEC, __name__)
