"""MonitoringStack: one environment's plan as a Pulumi component, fanned out to every vendor."""

from __future__ import annotations

from typing import Any

import pulumi

from .checks import compile_plan
from .fanout import pagerduty, render, sentry, uptimerobot
from .fanout.pagerduty import paging_key
from .plan import Plan
from .system_health import watch_project


class MonitoringStack(pulumi.ComponentResource):
    def __init__(self, name: str, plan: Plan, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lookout:index:MonitoringStack", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.checks = compile_plan(plan)
        self.paging = paging = pagerduty.build(plan, child)
        self.monitors = uptimerobot.build(plan, self.checks, child, paging)
        self.keys = sentry.build(plan, self.checks, child, paging)
        render.build(plan, self.checks, self.keys, child)
        self.dsns = {service: key.dsn for service, key in self.keys.items()}
        render.health_job(plan, self.job_routes(plan), child)
        self.register_outputs(
            {"monitors": {key: m.id for key, m in self.monitors.items()}, "sentry_dsns": self.dsns}
        )

    def job_routes(self, plan: Plan) -> dict[str, Any]:
        """Where the system-health job's alerts go, as the other vendors' resources have it."""
        config, channels = pulumi.Config("lookout"), plan.channels
        backend = watch_project(plan)
        heartbeat = self.monitors.get(f"heartbeat:{plan.heartbeat.name}") if plan.heartbeat else None
        key = paging_key(plan, self.paging) if plan.environment != "dev" else None  # dev never pages
        return {
            "sentry_dsn": self.keys[backend.name].dsn if backend and backend.name in self.keys else None,
            "pagerduty_key": key,
            "slack_webhook": config.require_secret(channels.slack.webhook_secret) if channels.slack else None,
            "heartbeat_url": heartbeat.heartbeat_url if heartbeat else None,
        }
