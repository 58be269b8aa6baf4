"""`lookout plan` reads the names a plan gives to objects it does not make, as `up` would first look them up,
read-only, and refuses one the accounts do not have, naming its key (lookout/review_reads.py, issue #30)."""

from __future__ import annotations

import copy
from typing import Any

from harness import sandbox_seed
from harness.sandbox_process import SandboxProcess
from harness.workspace import committed_config
from lookout import review_reads
from stacks import source

from .conftest import sandbox_config


def prod(api: SandboxProcess, **edits: Any) -> tuple[Any, dict[str, Any]]:
    config = {**committed_config("prod"), **sandbox_config(api)}
    for key, edit in edits.items():
        config[f"lookout:{key}"] = edit(copy.deepcopy(config[f"lookout:{key}"]))
    sandbox_seed.seed(api, {**committed_config("prod"), **sandbox_config(api)})  # the accounts as they are
    return source.plan_of(config), config


def test_the_committed_plan_names_only_what_the_accounts_have(configured: SandboxProcess):
    plan, config = prod(configured)
    configured.control("DELETE", "/requests")
    assert review_reads.problems(plan, config) == []
    writes = [r for r in configured.control("GET", "/requests").json()["byRoute"] if " GET " not in r]
    assert writes == []  # read-only


def test_a_typo_in_a_name_is_refused_naming_its_key(configured: SandboxProcess):
    def backend_typo(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
        services[0]["render_service"] = "optio-prod-backnd"
        return services

    def integration_typo(channels: dict[str, Any]) -> dict[str, Any]:
        channels["slack"]["sentry_integration"] = "Optoi"
        return channels

    def stranger(oncall: dict[str, Any]) -> dict[str, Any]:
        oncall["escalate_to"] = ["ctoo@optioeducation.com"]
        return oncall

    plan, config = prod(configured, services=backend_typo, channels=integration_typo, oncall=stranger)
    found = review_reads.problems(plan, config)
    assert [line.split(": ", 1)[0] for line in found] == [
        "lookout:services[0].render_service",
        "lookout:channels.slack.sentry_integration",
        "lookout:oncall.escalate_to[0]",
    ]
    assert "optio-prod-backend" in found[0]  # the closest names
    assert "no slack integration named 'Optoi'" in found[1]
    assert "ctoo@optioeducation.com" in found[2]


def test_a_vendor_without_credentials_is_left_to_the_preview(configured: SandboxProcess):
    def backend_typo(services: list[dict[str, Any]]) -> list[dict[str, Any]]:
        services[0]["render_service"] = "optio-prod-backnd"
        return services

    plan, config = prod(configured, services=backend_typo)
    del config["render:apiKey"]
    assert review_reads.problems(plan, config) == []
