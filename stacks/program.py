"""Entry point of the Pulumi program: read and validate config, then build the plan.

Stacks declare the plan (`lookout:services`, `lookout:channels`, ...: stacks/plan.py), which the
MonitoringStack fans out to every vendor.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from transport import Expected

from . import preflight, source
from .monitoring import MonitoringStack
from .plan import Plan
from .validation import ConfigError


def engine_config() -> dict[str, Any]:
    """Every config value the engine sent, decoded (secrets in plaintext: never log this)."""
    raw = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    return source.from_engine({str(k): str(v) for k, v in raw.items()})


def build_plan(plan: Plan) -> None:
    stack = MonitoringStack(plan.environment, plan)
    pulumi.export("monitors", {key: m.id for key, m in stack.monitors.items()})
    pulumi.export("sentry_dsns", stack.dsns)
    if stack.paging is not None:  # what `lookout drill` pages with (a secret, as in state)
        pulumi.export("pagerduty_integration_key", stack.paging.integration_key)
    if plan.heartbeat and f"heartbeat:{plan.heartbeat.name}" in stack.monitors:
        # What the system-health job pings (`lookout watch`): whoever has it can ping, so a secret.
        pinged = stack.monitors[f"heartbeat:{plan.heartbeat.name}"]
        pulumi.export("heartbeat_url", pulumi.Output.secret(pinged.heartbeat_url))


def main() -> None:
    try:
        config = engine_config()
        secret_keys = {*runtime_config.get_config_secret_keys_env()}
        secret_keys |= {key for key in config if runtime_config.is_config_secret(key)}
        plan = source.plan_of(config, secrets_present=True, secret_keys=secret_keys)
        for warning in [*preflight.missing_credentials(plan, config), *preflight.job_settings(plan, config)]:
            pulumi.log.warn(warning)
        if not pulumi.runtime.is_dry_run():
            preflight.render_services(plan, config)
        build_plan(plan)
    except (ConfigError, Expected) as exc:
        raise pulumi.RunError(str(exc)) from None
