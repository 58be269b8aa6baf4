"""Render: health-check path, SENTRY_DSN/APP_VERSION/SENTRY_ENVIRONMENT, notifications, log streams."""

from __future__ import annotations

from typing import Any

import pulumi

from providers.render.resources import (
    EnvVar,
    LogStream,
    NotificationOverride,
    OwnerNotificationSettings,
    ServiceHealthCheck,
)
from providers.resource import SpecResource

from ..checks import Check
from ..plan import Plan


def build(
    plan: Plan, checks: list[Check], keys: dict[str, SpecResource], opts: pulumi.ResourceOptions
) -> None:
    env = plan.environment
    notify = {c.service: c for c in checks if c.kind == "deploy-notifications"}
    for svc in plan.services:
        if not svc.render_service:
            continue
        name = svc.render_service
        if svc.health_path:
            ServiceHealthCheck(f"{name}-health-check", opts, service=name, path=svc.health_path)
        variables: dict[str, Any] = {"APP_VERSION": plan.app_version, "SENTRY_ENVIRONMENT": env}
        if svc.name in keys:
            variables["SENTRY_DSN"] = keys[svc.name].dsn  # a secret output becomes a secret input
        for key, value in variables.items():
            EnvVar(f"{name}-{key}", opts, service=name, key=key, value=value)
        deploys = notify.get(svc.name)
        NotificationOverride(
            f"{name}-notifications",
            opts,
            service=name,
            notifications_to_send="all" if deploys and deploys.channels else "failure",
        )
    if plan.render_notifications:
        n = plan.render_notifications
        OwnerNotificationSettings(
            f"{env}-render-notifications",
            opts,
            email_enabled=n.email,
            notifications_to_send=n.send,
            preview_notifications_enabled=n.previews,
        )
    if plan.log_stream:
        stream = plan.log_stream
        token = pulumi.Config("lookout").require_secret("logStreamToken")
        if stream.scope == "workspace":
            LogStream(
                f"{env}-log-stream", opts, endpoint=stream.endpoint, token=token, setting=stream.setting
            )
        else:
            for svc in plan.services:
                if svc.render_service:
                    LogStream(
                        f"{svc.render_service}-log-stream",
                        opts,
                        service=svc.render_service,
                        endpoint=stream.endpoint,
                        token=token,
                    )
