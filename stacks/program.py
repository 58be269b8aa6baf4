"""Entry point of the Pulumi program: read and validate config, then build the plan.

Stacks declare the plan (`lookout:services`, `lookout:channels`, ...: stacks/plan.py), which the
MonitoringStack fans out to every vendor. Stacks without `lookout:services` may instead configure each
vendor directly (`lookout:uptime`, `lookout:sentry`, `lookout:render`: stacks/config.py).
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.runtime import config as runtime_config

from providers.transport import Expected

from . import preflight, render, sentry, source, uptime
from .config import ConfigError, StackConfig, load
from .monitoring import MonitoringStack
from .plan import Plan


def engine_config() -> dict[str, Any]:
    """Every config value the engine sent, decoded (secrets in plaintext: never log this)."""
    raw = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    return source.from_engine({str(k): str(v) for k, v in raw.items()})


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
        config = engine_config()
        values = source.lookout_values(config)
        secret_keys = {*runtime_config.get_config_secret_keys_env()}
        secret_keys |= {key for key in config if runtime_config.is_config_secret(key)}
        if "services" in values or "uptime" not in values:
            plan = source.plan_of(config, secrets_present=True, secret_keys=secret_keys)
            for warning in preflight.missing_credentials(plan, config):
                pulumi.log.warn(warning)
            if not pulumi.runtime.is_dry_run():
                preflight.render_services(plan, config)
            build_plan(plan)
        else:
            allowed = {*StackConfig.model_fields, *source.SETTINGS, *source.FIXED_SECRETS}
            unknown = sorted(k for k in values if k not in allowed and f"lookout:{k}" not in secret_keys)
            if unknown:
                raise ConfigError(f"invalid stack config:\n  lookout:{unknown[0]}: unknown key")
            build_vendors(load({k: v for k, v in values.items() if k in StackConfig.model_fields}))
    except (ConfigError, Expected) as exc:
        raise pulumi.RunError(str(exc)) from None
