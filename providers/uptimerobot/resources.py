"""UptimeRobot resources for Pulumi programs. Arguments are the fields of each spec's input model."""

from __future__ import annotations

from ..resource import derive
from . import alert_contact, integration, maintenance_window, monitor, status_page

MonitorProvider, Monitor = derive(monitor.SPEC, __name__)
AlertContactProvider, AlertContact = derive(alert_contact.SPEC, __name__)
IntegrationProvider, Integration = derive(integration.SPEC, __name__)
MaintenanceWindowProvider, MaintenanceWindow = derive(maintenance_window.SPEC, __name__)
StatusPageProvider, StatusPage = derive(status_page.SPEC, __name__)
