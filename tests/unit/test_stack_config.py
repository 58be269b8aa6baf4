"""The committed stack files are valid plans, and bad config names the key that is wrong."""

from __future__ import annotations

import pytest
import yaml

from lookout.paths import REPO
from stacks.config import ConfigError, load


def committed(stack: str) -> dict:
    config = yaml.safe_load((REPO / f"Pulumi.{stack}.yaml").read_text())["config"]
    return {k.removeprefix("lookout:"): v for k, v in config.items() if k.startswith("lookout:")}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_are_valid_and_follow_the_plan(stack):
    config = load(committed(stack))
    assert config.environment == stack
    assert config.uptime.interval == 300  # the plan's 5-minute checks
    assert config.sentry and {m.critical for m in config.sentry.monitors} >= {0.05}
    assert config.render and all(s.health_check_path == "/api/health" for s in config.render.services)


def test_errors_name_the_key():
    values = committed("dev")
    values["uptime"] = {**values["uptime"], "intervall": 300}
    with pytest.raises(ConfigError, match=r"lookout:uptime.intervall: unknown key"):
        load(values)


def test_a_render_service_must_take_its_dsn_from_a_declared_sentry_project():
    values = committed("dev")
    values["render"]["services"][0]["sentryProject"] = "nope"
    with pytest.raises(ConfigError, match=r"lookout: render.services\[0\].sentryProject 'nope'"):
        load(values)


def test_a_sentry_monitor_must_name_a_declared_project():
    values = committed("dev")
    values["sentry"]["monitors"][0]["project"] = "nope"
    with pytest.raises(ConfigError, match=r"lookout:sentry: monitors\[0\].project 'nope'"):
        load(values)
