"""UptimeRobot resources for Pulumi programs. Arguments are the fields of each spec's input model."""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from ..base import SpecProvider
from ..resource import register
from . import alert_contact, integration, maintenance_window, monitor, status_page


class MonitorProvider(SpecProvider):
    spec: ClassVar = monitor.SPEC


class AlertContactProvider(SpecProvider):
    spec: ClassVar = alert_contact.SPEC


class IntegrationProvider(SpecProvider):
    spec: ClassVar = integration.SPEC


class MaintenanceWindowProvider(SpecProvider):
    spec: ClassVar = maintenance_window.SPEC


class StatusPageProvider(SpecProvider):
    spec: ClassVar = status_page.SPEC


class Monitor(Resource, module="uptimerobot", name="Monitor"):
    status: pulumi.Output[str]
    heartbeat_url: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, MonitorProvider(), resource_name, props, opts, ("status", "heartbeat_url"))


class AlertContact(Resource, module="uptimerobot", name="AlertContact"):
    status: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, AlertContactProvider(), resource_name, props, opts, ("status",))


class Integration(Resource, module="uptimerobot", name="Integration"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, IntegrationProvider(), resource_name, props, opts)


class MaintenanceWindow(Resource, module="uptimerobot", name="MaintenanceWindow"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, MaintenanceWindowProvider(), resource_name, props, opts)


class StatusPage(Resource, module="uptimerobot", name="StatusPage"):
    url_key: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, StatusPageProvider(), resource_name, props, opts, ("url_key", "password_set"))
