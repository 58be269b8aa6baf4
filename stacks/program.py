"""Entry point of the Pulumi program: read and validate config, then build the plan.

Stacks declare the plan (`lookout:services`, `lookout:channels`, ...: stacks/plan.py), which the
MonitoringStack fans out to every vendor. Stacks without `lookout:services` may instead configure each
vendor directly (`lookout:uptime`, `lookout:sentry`, `lookout:render`: stacks/config.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pulumi

from . import render, sentry, uptime
from .config import ConfigError, StackConfig, load
from .monitoring import MonitoringStack
from .plan import Plan, load_plan


def read(keys: Iterable[str]) -> dict[str, Any]:
    cfg = pulumi.Config("lookout")
    values: dict[str, Any] = {}
    for key in keys:
        raw = cfg.get(key)
        if raw is not None:
            values[key] = json.loads(raw) if raw[:1] in "[{" else raw
    return values


def build_plan(plan: Plan) -> None:
    stack = MonitoringStack(plan.environment, plan)
    pulumi.export("monitors", {key: m.id for key, m in stack.monitors.items()})
    pulumi.export("sentry_dsns", stack.dsns)


def build_vendors(config: StackConfig) -> None:
    uptime.build(config)
    dsns = sentry.build(config.environment, config.sentry)["keys"] if config.sentry else {}
    if config.render:
        render.build(config.environment, config.render, {slug: key.dsn for slug, key in dsns.items()})


def main() -> None:
    try:
        if pulumi.Config("lookout").get("services") is not None:
            values = read(Plan.model_fields)
            values.setdefault("uptimerobot_plan", pulumi.Config("uptimerobot").get("plan") or "free")
            build_plan(load_plan(values))
        else:
            build_vendors(load(read(StackConfig.model_fields)))
    except ConfigError as exc:
        raise pulumi.RunError(str(exc)) from None
