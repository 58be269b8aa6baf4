"""The Render part of the plan, on services the deploy pipeline owns: health-check path, SENTRY_DSN and
APP_VERSION, deploy/failure notifications, and log shipping."""

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

from .dialect import Render


def build(env: str, cfg: Render, dsns: dict[str, pulumi.Output[str]]) -> None:
    timing = cfg.health_check_timing
    for svc in cfg.services:
        if svc.health_check_path is not None:
            ServiceHealthCheck(
                f"{svc.name}-health-check",
                service=svc.name,
                path=svc.health_check_path,
                interval_seconds=timing.interval_seconds if timing else None,
                timeout_seconds=timing.timeout_seconds if timing else None,
            )
        variables: dict[str, Any] = {}
        if svc.sentry_project:
            variables["SENTRY_DSN"] = dsns[svc.sentry_project]
        if cfg.app_version:
            variables["APP_VERSION"] = cfg.app_version
        for key, value in variables.items():
            EnvVar(f"{svc.name}-{key}", service=svc.name, key=key, value=value, deploy=cfg.deploy_on_change)
        if svc.notifications != "default":
            NotificationOverride(
                f"{svc.name}-notifications", service=svc.name, notifications_to_send=svc.notifications
            )
    if cfg.notifications:
        OwnerNotificationSettings(
            f"{env}-render-notifications",
            email_enabled=cfg.notifications.email,
            notifications_to_send=cfg.notifications.send,
            preview_notifications_enabled=cfg.notifications.previews,
        )
    if cfg.log_stream:
        stream = cfg.log_stream
        token = pulumi.Config("lookout").require_secret("logStreamToken")
        if stream.scope == "workspace":
            LogStream(f"{env}-log-stream", endpoint=stream.endpoint, token=token, setting=stream.setting)
        else:
            for svc in cfg.services:
                LogStream(f"{svc.name}-log-stream", service=svc.name, endpoint=stream.endpoint, token=token)
