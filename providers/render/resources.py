"""Render resources for Pulumi programs. Arguments are the fields of each spec's input model."""

from __future__ import annotations

from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import Resource

from ..base import SpecProvider
from ..resource import register
from . import env_var, health_check, log_stream, notifications


class ServiceHealthCheckProvider(SpecProvider):
    spec: ClassVar = health_check.SPEC


class EnvVarProvider(SpecProvider):
    spec: ClassVar = env_var.SPEC


class NotificationOverrideProvider(SpecProvider):
    spec: ClassVar = notifications.OVERRIDE


class OwnerNotificationSettingsProvider(SpecProvider):
    spec: ClassVar = notifications.OWNER


class LogStreamProvider(SpecProvider):
    spec: ClassVar = log_stream.SPEC


class ServiceHealthCheck(Resource, module="render", name="ServiceHealthCheck"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(
            self, ServiceHealthCheckProvider(), resource_name, props, opts, ("service_id", "previous_path")
        )


class EnvVar(Resource, module="render", name="EnvVar"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        outputs = ("service_id", "previous_value")
        register(self, EnvVarProvider(), resource_name, props, opts, outputs, ("previous_value",))


class NotificationOverride(Resource, module="render", name="NotificationOverride"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, NotificationOverrideProvider(), resource_name, props, opts)


class OwnerNotificationSettings(Resource, module="render", name="OwnerNotificationSettings"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(
            self,
            OwnerNotificationSettingsProvider(),
            resource_name,
            props,
            opts,
            ("slack_enabled", "baseline"),
        )


class LogStream(Resource, module="render", name="LogStream"):
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **props: Any) -> None:
        register(self, LogStreamProvider(), resource_name, props, opts)
