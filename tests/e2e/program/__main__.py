"""The end-to-end tests' Pulumi program: each vendor's resources declared directly from the stack config
(`lookout:uptime`, `lookout:sentry`, `lookout:render`: dialect.py), so that a test exercises one
resource's options at a time. Users write plans (the project's own program); this is for tests only.
The repository's packages come from PYTHONPATH (harness/workspace.py sets it)."""

import pulumi
from pulumi.runtime import config as runtime_config

from stacks import source
from stacks.program import engine_config
from stacks.validation import ConfigError
from tests.e2e.program import pagerduty, render, sentry, uptime
from tests.e2e.program.dialect import StackConfig, load


def main() -> None:
    engine = engine_config()
    values = source.lookout_values(engine)
    secrets = {key.removeprefix("lookout:") for key in engine if runtime_config.is_config_secret(key)}
    allowed = {*StackConfig.model_fields, *source.SETTINGS, *source.FIXED_SECRETS, *secrets}
    try:
        if unknown := sorted(set(values) - allowed):
            raise ConfigError(f"invalid stack config:\n  lookout:{unknown[0]}: unknown key")
        config = load({k: v for k, v in values.items() if k in StackConfig.model_fields})
    except ConfigError as exc:
        raise pulumi.RunError(str(exc)) from None
    uptime.build(config)
    dsns = sentry.build(config.environment, config.sentry)["keys"] if config.sentry else {}
    if config.render:
        render.build(config.environment, config.render, {slug: key.dsn for slug, key in dsns.items()})
    if config.pagerduty:
        pagerduty.build(config.environment, config.pagerduty)


main()
