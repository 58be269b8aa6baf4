"""MonitoringStack: one environment's plan as a Pulumi component, fanned out to every vendor."""

from __future__ import annotations

import pulumi

from .checks import compile_plan
from .fanout import pagerduty, render, sentry, uptimerobot
from .plan import Plan


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
        self.register_outputs(
            {"monitors": {key: m.id for key, m in self.monitors.items()}, "sentry_dsns": self.dsns}
        )
