"""Render: health-check path, SENTRY_DSN/APP_VERSION/SENTRY_ENVIRONMENT, notifications, log streams, and
the system-health job's cron job."""

from __future__ import annotations

from typing import Any

import pulumi

from providers import settings
from providers.render.resources import (
    CronJob,
    EnvVar,
    LogStream,
    NotificationOverride,
    OwnerNotificationSettings,
    ServiceHealthCheck,
)
from providers.resource import SpecResource

from .. import names
from ..checks import Check
from ..plan import Plan
from ..system_health import JOB_ROUTES, JOB_SETTINGS, job_command


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


def health_job(plan: Plan, routes: dict[str, Any], opts: pulumi.ResourceOptions) -> None:
    """The plan's system-health job as a Render cron job, with what it needs as env vars (secrets): the
    routes of its alerts (`routes`: route -> value, by `JOB_ROUTES`) and the account settings it reads,
    as this stack has them (config, else the environment of `pulumi up`)."""
    job = plan.health_job
    if job is None:
        return
    env_vars: dict[str, Any] = {JOB_ROUTES[k]: v for k, v in routes.items() if v is not None}
    for key in JOB_SETTINGS:
        value = settings.get(key)
        if value:
            env_vars[settings.env_name(key)] = value
    build, start = job_command(pulumi.get_stack())
    CronJob(
        f"{plan.environment}-health-job",
        opts,
        name=plan.job_name(),
        schedule=job.schedule,
        repo=job.repo,
        branch=job.branch,
        build_command=build,
        start_command=start,
        plan=job.instance,
        region=job.region,
        env_vars=env_vars,
        **names.adoption(plan, "render:health-job"),
    )
