"""A corpus of malformed plans: each is rejected at `pulumi preview` naming its YAML path, with zero API
requests (sandbox counters)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from lookout.paths import REPO
from lookout.sandbox_process import SandboxProcess

from .conftest import Stack

Config = dict[str, Any]


def committed() -> Config:
    return yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())["config"]


def svc(i: int, **change: Any) -> Callable[[Config], None]:
    return lambda c: c["lookout:services"][i].update(change)


def put(key: str, value: Any) -> Callable[[Config], None]:
    return lambda c: c.update({key: value})


def merge(key: str, **change: Any) -> Callable[[Config], None]:
    return lambda c: c.update({key: {**(c.get(key) or {}), **change}})


WINDOW = {"name": "deploys", "interval": "weekly", "date": "2026-12-01", "time": "02:00:00", "duration": 30}
CORPUS: list[tuple[Callable[[Config], None], str]] = [
    (svc(0, url="optio-dev"), "lookout:services[0].url"),
    (svc(1, health_path="api/health"), "lookout:services[1].health_path: must start with /"),
    (svc(0, name="Backend"), "lookout:services[0].name"),
    (svc(0, role="database"), "lookout:services[0].role"),
    (svc(0, helth_path="/x"), "lookout:services[0].helth_path: unknown key"),
    (svc(0, url="ftp://optio.example.test"), "lookout:services[0].url"),
    (svc(1, sentry_platform=7), "lookout:services[1].sentry_platform"),
    (put("lookout:services", []), "lookout:services"),
    (lambda c: c["lookout:services"].append(dict(c["lookout:services"][0])), "services: duplicate names"),
    (merge("lookout:channels", email="admin"), "lookout:channels.email"),
    (lambda c: c["lookout:channels"]["slack"].update(channel="alerts dev"), "lookout:channels.slack.channel"),
    (
        lambda c: c["lookout:channels"]["slack"].update(webhook_secret="https://hooks.slack.com/x"),
        "webhook_secret",
    ),
    (lambda c: c["lookout:channels"].pop("slack"), "routing.critical: 'slack' is not configured"),
    (merge("lookout:routing", critical=["sms"]), "lookout:routing.critical[0]"),
    (merge("lookout:thresholds", check_interval="five minutes"), "lookout:thresholds.check_interval"),
    (merge("lookout:thresholds", check_interval=60), "thresholds.check_interval: 60 s is below"),
    (merge("lookout:thresholds", down_after="10-minutes"), "lookout:thresholds.down_after"),
    (merge("lookout:thresholds", ssl_expiry_days=0), "lookout:thresholds.ssl_expiry_days"),
    (
        merge("lookout:thresholds", error_rate_warning=0.2),
        "lookout:thresholds.error_rate_warning: 0.2 must be below",
    ),
    (merge("lookout:thresholds", window_seconds="hour"), "lookout:thresholds.window_seconds"),
    (merge("lookout:heartbeat", interval="5m"), "lookout:heartbeat.interval"),
    (merge("lookout:heartbeat", grace=-1), "lookout:heartbeat.grace"),
    (
        put("lookout:maintenance_windows", [{**WINDOW, "time": "25:00:00"}]),
        "lookout:maintenance_windows[0].time",
    ),
    (
        put("lookout:maintenance_windows", [{**WINDOW, "interval": "yearly"}]),
        "lookout:maintenance_windows[0].interval",
    ),
    (
        put("lookout:maintenance_windows", [{**WINDOW, "duration": 0}]),
        "lookout:maintenance_windows[0].duration",
    ),
    (put("lookout:environment", "staging"), "lookout:environment"),
    (put("lookout:team", "Optio Dev"), "lookout:team"),
    (put("lookout:app_version", {"major": 1}), "lookout:app_version"),
    (put("lookout:uptimerobot_plan", "gold"), "lookout:uptimerobot_plan"),
    (merge("lookout:log_stream", scope="everywhere"), "lookout:log_stream.scope"),
    (put("lookout:render_notifications", {"send": "sometimes"}), "lookout:render_notifications.send"),
    (put("lookout:adopt", ["uptime:backend"]), "lookout:adopt"),
]


def test_every_malformed_plan_fails_at_preview_naming_its_path_without_requests(
    api: SandboxProcess, tmp_path: Path
):
    assert len(CORPUS) >= 30
    stack = Stack(api, tmp_path)
    problems = []
    for edit, expected in CORPUS:
        config = copy.deepcopy(committed())
        edit(config)
        lookout = {k: v for k, v in config.items() if k.startswith("lookout:")}
        stack.configure(
            {**{k: None for k in committed() if k.startswith("lookout:")}, **lookout}, inherit=True
        )
        before = stack.requests()
        result = stack.pulumi("preview", check=False)
        output = result.stdout + result.stderr
        if result.returncode == 0 or expected not in output or stack.requests() != before:
            problems.append(f"{expected!r}: rc={result.returncode}, requests {stack.requests() - before}")
    assert problems == []


def test_a_missing_secret_fails_at_preview_naming_the_key(api: SandboxProcess, tmp_path: Path):
    stack = Stack(api, tmp_path)
    stack.configure({}, inherit=True)
    stack.pulumi("config", "rm", "lookout:slackWebhookUrl")
    before = stack.requests()
    result = stack.pulumi("preview", check=False)
    assert result.returncode != 0 and "lookout:slackWebhookUrl" in result.stdout + result.stderr
    assert stack.requests() == before
