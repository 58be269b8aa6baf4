"""The corpus of bad stack files (issue #12): each is refused, naming what to fix, with no traceback and
no API request. `tests/unit/test_bad_stacks.py` runs every case through `lookout lint` (and the commands
that read stack files); `tests/e2e/test_bad_input.py` runs those a stack file can express through
`pulumi preview` against the sandbox, counting requests.

A case is the committed dev stack file with one edit (or a whole file's text, for shapes the engine could
not even load), and the text its refusal must contain.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.paths import REPO

Config = dict[str, Any]
# What someone pastes where the *name* of a secret belongs: it must never be printed back.
PASTED_KEY = "e93facc04764012d7bfb002500d5d1a6"


@dataclass(frozen=True)
class Case:
    name: str
    expect: str
    edit: Callable[[Config], None] | None = None
    raw: str | None = None  # the whole file, for shapes `pulumi` itself cannot load
    lint: bool = True  # False: only the engine knows (a secret that is not set)
    secret: str | None = None  # text that must not appear in any output

    def text(self) -> str:
        if self.raw is not None:
            return self.raw
        return yaml.safe_dump({"config": self.config()}, sort_keys=False)

    def config(self) -> Config:
        config = copy.deepcopy(committed())
        assert self.edit is not None
        self.edit(config)
        return config

    def write(self, folder: Path) -> Path:
        path = folder / f"Pulumi.{self.name}.yaml"
        path.write_text(self.text())
        return path


def committed() -> Config:
    config: Config = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())["config"]
    return config


def svc(i: int, **change: Any) -> Callable[[Config], None]:
    return lambda c: c["lookout:services"][i].update(change)


def put(key: str, value: Any) -> Callable[[Config], None]:
    return lambda c: c.update({key: value})


def drop(key: str) -> Callable[[Config], None]:
    return lambda c: c.pop(key)


def merge(key: str, **change: Any) -> Callable[[Config], None]:
    return lambda c: c.update({key: {**(c.get(key) or {}), **change}})


def slos(**objective: Any) -> Callable[[Config], None]:
    """One objective (backend's error ratio, 99.9%) with `objective`'s changes."""
    declared = {"service": "backend", "kind": "errors", "target": 0.999, **objective}
    return merge("lookout:slos", objectives=[declared])


def slack(**change: Any) -> Callable[[Config], None]:
    return lambda c: c["lookout:channels"]["slack"].update(change)


def window(**change: Any) -> Callable[[Config], None]:
    base = {"name": "deploys", "interval": "weekly", "date": "2026-12-01", "time": "02:00:00", "duration": 30}
    return put("lookout:maintenance_windows", [{**base, **change}])


def case(name: str, edit: Callable[[Config], None], expect: str, **kw: Any) -> Case:
    return Case(name, expect, edit=edit, **kw)


def raw(name: str, text: str, expect: str) -> Case:
    return Case(name, expect, raw=text)


def both(c: Config) -> None:
    c["lookout:services"].append(dict(c["lookout:services"][0]))


def same_url(c: Config) -> None:
    c["lookout:services"][1]["url"] = c["lookout:services"][0]["url"]


def two_windows(c: Config) -> None:
    window()(c)
    c["lookout:maintenance_windows"].append(dict(c["lookout:maintenance_windows"][0]))


CORPUS: list[Case] = [
    # files the engine cannot load: only the commands that read stack files meet them
    raw("yaml-list", "- lookout:environment: dev\n- lookout:team: optio-dev\n", "must be a mapping"),
    raw(
        "yaml-syntax",
        "config:\n  lookout:team: [optio-dev\n  lookout:environment: dev\n",
        "not valid YAML at",
    ),
    raw("config-list", "config:\n  - lookout:environment\n  - lookout:team\n", "config: must be a mapping"),
    raw("config-text", "config: lookout\n", "config: must be a mapping"),
    raw("yaml-tabs", "config:\n\tlookout:environment: dev\n", "not valid YAML at line 2"),
    # a key dedented out of its section: Pulumi reads a key without a namespace as the project's
    raw(
        "key-dedented",
        "config:\n  lookout:environment: dev\n  lookout:team: optio-dev\n"
        "  lookout:slos:\n    window_days: 30\n  objectives: []\n",
        "lookout:objectives",
    ),
    # a key written twice: YAML keeps the last without a word; Pulumi (gopkg.in/yaml.v3) refuses the file
    raw(
        "key-twice",
        "config:\n  lookout:environment: dev\n  lookout:team: optio-dev\n  lookout:environment: prod\n",
        "lookout:environment: written twice, at lines 2 and 4",
    ),
    raw(
        "nested-key-twice",
        "config:\n  lookout:environment: dev\n  lookout:services:\n    - name: backend\n"
        "      url: https://a.example.test\n      url: https://b.example.test\n",
        "lookout:services[0].url: written twice, at lines 5 and 6",
    ),
    raw("empty-file", "", "lookout:environment: Field required"),
    raw("no-plan", "config:\n  uptimerobot:plan: free\n", "lookout:services: Field required"),
    # services
    case("url-no-scheme", svc(0, url="optio-dev"), "lookout:services[0].url"),
    case("url-ftp", svc(0, url="ftp://optio.example.test"), "lookout:services[0].url"),
    case("url-no-host", svc(0, url="https://"), "lookout:services[0].url"),
    case("url-space", svc(1, url="https://optio dev.example.test"), "lookout:services[1].url"),
    case("health-path-relative", svc(1, health_path="api/health"), "lookout:services[1].health_path: must"),
    case("service-name-case", svc(0, name="Backend"), "lookout:services[0].name"),
    case("service-role", svc(0, role="database"), "lookout:services[0].role"),
    case("service-typo-key", svc(0, helth_path="/x"), "lookout:services[0].helth_path: unknown key"),
    case("platform-number", svc(1, sentry_platform=7), "lookout:services[1].sentry_platform"),
    case("platform-unknown", svc(1, sentry_platform="pyhton-flask"), "did you mean python-flask"),
    case("platform-empty", svc(0, sentry_platform=""), "lookout:services[0].sentry_platform"),
    case("render-service-empty", svc(0, render_service=""), "lookout:services[0].render_service"),
    case("owner-team-spaces", svc(0, owner_team="Platform Team"), "lookout:services[0].owner_team"),
    case("services-empty", put("lookout:services", []), "lookout:services"),
    case("services-text", put("lookout:services", "backend"), "lookout:services"),
    case("service-text", put("lookout:services", ["backend"]), "lookout:services[0]"),
    case("service-duplicate", both, "lookout:services: duplicate names"),
    case("service-same-url", same_url, "lookout:services[1].url"),
    # channels and routing
    case("email-no-domain", merge("lookout:channels", email="admin"), "lookout:channels.email"),
    case("email-empty", merge("lookout:channels", email=""), "lookout:channels.email"),
    case("channels-list", put("lookout:channels", ["email", "slack"]), "lookout:channels"),
    case("slack-channel-space", slack(channel="alerts dev"), "lookout:channels.slack.channel"),
    case("slack-url-as-name", slack(webhook_secret="https://hooks.slack.com/x"), "webhook_secret"),
    case(
        "slack-key-as-name",
        slack(webhook_secret=PASTED_KEY),
        "lookout:channels.slack.webhook_secret: looks like the secret itself",
        secret=PASTED_KEY,
    ),
    case(
        "slack-secret-unset",
        slack(webhook_secret="slackWebhook"),
        "lookout:channels.slack.webhook_secret: names the secret config key",
        lint=False,
    ),
    case("slack-missing", lambda c: c["lookout:channels"].pop("slack"), "routing.critical: 'slack' is not"),
    case("route-unknown", merge("lookout:routing", critical=["sms"]), "lookout:routing.critical[0]"),
    case("route-text", merge("lookout:routing", warning="slack"), "lookout:routing.warning"),
    case("routing-list", put("lookout:routing", ["slack"]), "lookout:routing"),
    # thresholds
    case("interval-text", merge("lookout:thresholds", check_interval="five minutes"), "check_interval"),
    case("interval-bool", merge("lookout:thresholds", check_interval=True), "must be a number"),
    case("interval-below-plan", merge("lookout:thresholds", check_interval=60), "60 s is below"),
    case("interval-zero", merge("lookout:thresholds", check_interval=0), "lookout:thresholds.check_interval"),
    case("down-after", merge("lookout:thresholds", down_after="10-minutes"), "lookout:thresholds.down_after"),
    case("down-after-number", merge("lookout:thresholds", down_after=3), "lookout:thresholds.down_after"),
    case("ssl-days-zero", merge("lookout:thresholds", ssl_expiry_days=0), "thresholds.ssl_expiry_days"),
    case("ssl-days-year", merge("lookout:thresholds", ssl_expiry_days=400), "thresholds.ssl_expiry_days"),
    case("warning-above", merge("lookout:thresholds", error_rate_warning=0.2), "0.2 must be below"),
    case("rate-percent", merge("lookout:thresholds", error_rate_critical=5), "5 would mean 500%"),
    case("rate-zero", merge("lookout:thresholds", failed_login_rate=0), "thresholds.failed_login_rate"),
    case("latency-negative", merge("lookout:thresholds", api_p95_ms=-5), "lookout:thresholds.api_p95_ms"),
    case("latency-zero", merge("lookout:thresholds", db_p95_ms=0), "lookout:thresholds.db_p95_ms"),
    case("latency-text", merge("lookout:thresholds", api_p95_ms="fast"), "lookout:thresholds.api_p95_ms"),
    case("window-text", merge("lookout:thresholds", window_seconds="hour"), "thresholds.window_seconds"),
    case("window-negative", merge("lookout:thresholds", window_seconds=-60), "thresholds.window_seconds"),
    case("window-bool", merge("lookout:thresholds", window_seconds=False), "must be a number"),
    case("thresholds-text", put("lookout:thresholds", "strict"), "lookout:thresholds"),
    case("threshold-typo", put("lookout:threshold", {"api_p95_ms": 500}), "did you mean lookout:thresholds?"),
    # heartbeat and maintenance windows
    case("heartbeat-interval-text", merge("lookout:heartbeat", interval="5m"), "lookout:heartbeat.interval"),
    case("heartbeat-interval-zero", merge("lookout:heartbeat", interval=0), "lookout:heartbeat.interval"),
    case("heartbeat-grace", merge("lookout:heartbeat", grace=-1), "lookout:heartbeat.grace"),
    case("heartbeat-name", merge("lookout:heartbeat", name="System Health"), "lookout:heartbeat.name"),
    case("job-schedule", merge("lookout:health_job", schedule="every 5 minutes"), "health_job.schedule: "),
    case("job-schedule-range", merge("lookout:health_job", schedule="*/5 25 * * *"), "health_job.schedule"),
    case("job-repo", merge("lookout:health_job", repo="git@github.com:optio/monitoring"), "health_job.repo"),
    case("job-region", merge("lookout:health_job", region="mars"), "lookout:health_job.region"),
    case("window-time", window(time="25:00:00"), "lookout:maintenance_windows[0].time"),
    case("window-interval", window(interval="yearly"), "lookout:maintenance_windows[0].interval"),
    case("window-duration", window(duration=0), "lookout:maintenance_windows[0].duration"),
    case("window-date", window(date="tomorrow"), "lookout:maintenance_windows[0].date"),
    case("window-name-short", window(name="x"), "lookout:maintenance_windows[0].name"),
    case("window-twice", two_windows, "lookout:maintenance_windows[1].name"),
    case("windows-mapping", put("lookout:maintenance_windows", {"name": "x"}), "lookout:maintenance_windows"),
    # service-level objectives
    case("slo-target-percent", slos(target=99.9), "lookout:slos.objectives[0].target: 99.9 is not a share"),
    case("slo-unknown-service", slos(service="api"), "lookout:slos.objectives[0].service: 'api' is not in"),
    case("slo-latency-bare", slos(kind="latency"), "threshold_ms: required for a latency objective"),
    case("slo-kind", slos(kind="throughput"), "lookout:slos.objectives[0].kind"),
    case("slo-window", merge("lookout:slos", fast={"burn_rate": 14.4, "window_minutes": 45}), "slos.fast"),
    case("slo-days", merge("lookout:slos", window_days=365), "lookout:slos.window_days"),
    case(
        "slo-slow-first",
        merge("lookout:slos", slow={"burn_rate": 20, "window_minutes": 240}),
        "fast.burn_rate: must be above slow.burn_rate",
    ),
    # dashboards
    case("dashboard-period", merge("lookout:dashboards", period="forever"), "lookout:dashboards.period"),
    case("dashboard-flag", merge("lookout:dashboards", sentry="maybe"), "lookout:dashboards.sentry"),
    case("dashboard-typo", merge("lookout:dashboards", statuspage=False), "lookout:dashboards.statuspage"),
    # the rest of the plan
    case("environment", put("lookout:environment", "staging"), "lookout:environment"),
    case("environment-missing", drop("lookout:environment"), "lookout:environment: Field required"),
    case("team-spaces", put("lookout:team", "Optio Dev"), "lookout:team"),
    case("team-empty", put("lookout:team", ""), "lookout:team"),
    case("app-case", put("lookout:app", "Optio"), "lookout:app"),
    case("app-version-mapping", put("lookout:app_version", {"major": 1}), "lookout:app_version"),
    case("app-version-empty", put("lookout:app_version", ""), "lookout:app_version"),
    case("vendor-plan", put("uptimerobot:plan", "gold"), "uptimerobot:plan"),
    case("vendor-plan-in-lookout", put("lookout:uptimerobot_plan", "team"), "use uptimerobot:plan"),
    case("log-scope", merge("lookout:log_stream", scope="everywhere"), "lookout:log_stream.scope"),
    case("log-endpoint", merge("lookout:log_stream", endpoint="papertrail"), "lookout:log_stream.endpoint"),
    case("notifications", put("lookout:render_notifications", {"send": "sometimes"}), "render_notifications"),
    case("adopt-list", put("lookout:adopt", ["uptime:backend"]), "lookout:adopt"),
    case("services-typo", put("lookout:servics", []), "lookout:servics: unknown key"),
    # the per-vendor blocks are the e2e test program's (tests/e2e/program), never a stack's
    case("vendor-block", put("lookout:uptime", {"alertEmail": "a@b.test", "monitors": []}), "lookout:uptime"),
    case("timeout-text", put("lookout:httpTimeout", "soon"), "lookout:httpTimeout"),
    case("runbooks-list", put("lookout:runbooks", ["https://x"]), "lookout:runbooks"),
]
