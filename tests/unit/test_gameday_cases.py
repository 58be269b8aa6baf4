"""The game day's judgement: which check a notification belongs to, and the verdict on what arrived."""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path
from typing import Any

import pytest

from harness.paths import REPO
from lookout import gameday, gameday_chart
from lookout.gameday_cases import attribute, cases, is_alert, is_recovery
from sandbox.sentry.spans import query_filter
from stacks import names, source
from stacks.checks import compile_plan


@pytest.fixture(scope="module")
def prod():
    plan = source.plan_of(source.read_file(REPO / "Pulumi.prod.yaml"))
    return plan, compile_plan(plan)


def check_of(checks, key):
    return next(c for c in checks if c.key == key)


def test_uptimerobot_notifications_belong_to_the_check_of_their_monitor(prod):
    plan, checks = prod
    uptime = check_of(checks, "uptime:backend")
    name = names.monitor(plan, uptime)
    email = {"channel": "email", "to": "a@b", "via": "uptimerobot", "monitor": name, "event": "down"}
    assert attribute(email, plan, checks, {}) == "uptime:backend" and is_alert(email)
    reminder = {**email, "event": "ssl-expiry"}
    assert attribute(reminder, plan, checks, {}) == "ssl:backend" and is_alert(reminder)
    up = {**email, "event": "up"}
    assert is_recovery(up) and not is_alert(up)
    # A page names its monitor only through the dedup key; the API shows names HTML-escaped.
    page = {"channel": "pagerduty", "to": "alex@x", "via": "UptimeRobot", "status": "paged"}
    page["dedup_key"] = "uptimerobot-monitor-801"
    assert attribute(page, plan, checks, {801: name.replace("&", "&amp;")}) == "uptime:backend"
    assert attribute({"channel": "slack", "to": "#x", "via": "sentry"}, plan, checks, {}) is None


def test_sentry_notifications_belong_to_their_monitor_or_issue_alert(prod):
    plan, checks = prod
    rate = check_of(checks, "sentry:backend:error-rate")
    title = names.monitor(plan, rate)
    slack = {"channel": "slack", "to": "#alerts", "via": "sentry", "title": title, "event": "warning"}
    assert attribute(slack, plan, checks, {}) == rate.key and is_alert(slack)
    resolved = {**slack, "event": "resolved"}
    assert is_recovery(resolved) and not is_alert(resolved)
    page = {"channel": "pagerduty", "to": "alex@x", "via": "sentry", "status": "paged"}
    assert attribute({**page, "summary": f"Critical: {title}"}, plan, checks, {}) == rate.key
    render = {"channel": "email", "to": "a@b", "via": "render", "service": "optio-prod-backend"}
    failed = {**render, "event": "server_failed"}
    assert attribute(failed, plan, checks, {}) == "render:backend:deploys" and is_alert(failed)
    assert not is_alert({**render, "event": "deploy succeeded"})
    issues = check_of(checks, "sentry:frontend:new-issues")
    alert = {"channel": "slack", "to": "#alerts", "via": "sentry", "alert": names.issue_alert(plan, issues)}
    assert attribute(alert, plan, checks, {}) == issues.key and is_alert(alert)


def test_each_check_gets_a_case_and_the_plan_s_time(prod):
    plan, checks = prod
    made = {c.check.key: c for c in cases(plan, checks)}
    assert set(made) == {c.key for c in checks}  # every check of the plan has its failure
    assert made["uptime:backend"].limit == 300  # prod: free plan, every 5 min, told at once
    sentry = {c.key for c in checks if c.vendor == "sentry" and c.service == "backend"}
    watched = {"uptime:backend", "health:backend", "render:backend:deploys"}
    assert made["health:backend"].may_fire == watched | sentry
    assert made["render:backend:health-check"].observe is not None  # it tells nobody: Render acts
    assert made["render:backend:health-check"].limit == 60 + 60
    assert made["sentry:backend:api-p95"].limit == plan.thresholds.window_seconds
    assert made["slo:backend:errors:slow"].limit == 4 * 3600  # the slow burn's window
    assert made["heartbeat:system-health"].limit == 300 + 60 + 60
    assert made["ssl:frontend"].limit == 86400 + 300


@pytest.mark.parametrize(
    ("first", "verdict"),
    [
        ({"pagerduty": 60.0, "slack": 61.0, "email": 62.0}, "detected"),
        ({"pagerduty": 60.0, "slack": 61.0, "email": 400.0}, "late"),
        ({"slack": 61.0, "email": 62.0}, "misrouted"),
        ({}, "missed"),
    ],
)
def test_verdicts(prod, first, verdict):
    _, checks = prod
    assert gameday._verdict(check_of(checks, "uptime:backend"), first, 300)[0] == verdict


def test_dev_pages_nobody_so_a_page_is_misrouted():
    plan = source.plan_of(source.read_file(REPO / "Pulumi.dev.yaml"))
    uptime = check_of(compile_plan(plan), "uptime:backend")
    got, why = gameday._verdict(uptime, {"slack": 1.0, "email": 1.0, "pagerduty": 1.0}, 300)
    assert (got, why) == ("misrouted", "also: pagerduty")


def test_a_stack_file_names_its_stack():
    assert gameday.name_of("dev") == "dev"
    assert gameday.name_of(str(Path("/tmp/x/Pulumi.prod.yaml"))) == "prod"


def test_refused_passwords_warn_as_failed_logins_and_never_page_as_auth_failures(prod):
    """Found by the game day: the auth-failures monitor (pages) counted 401s, so a burst of wrong
    passwords paged the on-call as an outage. Its query leaves them out; the failed-login rate keeps them."""
    _, checks = prod
    span = {"is_transaction": True, "op": "http.server", "transaction": "/api/auth/login"}
    refused, down = {**span, "status": "unauthenticated"}, {**span, "status": "unavailable"}
    auth = query_filter(check_of(checks, "sentry:backend:auth-failures").payload.query)
    logins = query_filter(check_of(checks, "sentry:backend:failed-logins").payload.query)
    assert (auth(refused), auth(down)) == (False, True)
    assert (logins(refused), logins(down)) == (True, True)


def test_the_timeline_has_a_lane_per_check(tmp_path):
    rows = [
        gameday.Row(
            "uptime:backend", "t", "critical", "f", ["slack"], 300, detected_after=290, verdict="detected"
        ),
        gameday.Row("ssl:backend", "t", "info", "f", ["email"], 86760, verdict="missed"),
        gameday.Row("render:x", "t", "info", "", [], None, verdict="not run"),
    ]
    sizes = []
    for count in (1, 3):
        path = tmp_path / f"{count}.png"
        gameday_chart.render(gameday.Report("prod", rows[:count], ["slack (down) from x"], []), path)
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        sizes.append(struct.unpack(">II", header[16:24]))  # IHDR: width, height
    assert sizes[0][0] == sizes[1][0] and sizes[1][1] > sizes[0][1]  # taller with each lane


class Broken:
    """A world in which one monitor was made useless out of band (DOWN from before any case, never healed)
    and a case's own failure that heals at once: what `_exercise` sees of a world, on a clock it moves."""

    def __init__(self) -> None:
        self.clock = 0.0
        self.faulty = False
        self.sandbox = self

    def control(self, method: str, path: str) -> None:
        assert (method, path) == ("DELETE", "/deliveries")

    def now(self) -> float:
        return self.clock

    def step(self, seconds: float) -> float:
        self.clock += seconds
        return self.clock

    def deliveries(self) -> list[dict[str, str]]:
        return []

    def unsettled(self) -> set[str]:
        return {"uptimerobot monitor prod backend is reachable: DOWN"} | (
            {"uptimerobot monitor prod frontend is reachable: DOWN"} if self.faulty else set()
        )


def test_a_case_waits_only_for_what_its_own_failure_left_unsettled(prod):
    """A monitor broken before the case (as `lookout gameday` finds a live world) does not keep each case
    waiting out the longest Sentry window: the case is over once the world is as settled as before it."""
    plan, checks = prod
    case = next(c for c in cases(plan, checks) if c.check.key == "uptime:frontend")
    world = Broken()

    def inject(w: Any) -> None:
        w.faulty = True

    def heal(w: Any) -> None:
        w.faulty = False

    case = dataclasses.replace(case, inject=inject, heal=heal)
    row, stray = gameday._exercise(world, case, plan, checks, {}, settle=15000.0)  # type: ignore[arg-type]
    assert row.verdict == "missed" and stray == []
    assert world.clock == case.horizon  # watched to its horizon, then healed: nothing left to wait for


def test_an_escalation_of_a_page_opened_before_the_case_is_not_the_case_s():
    old = {"channel": "pagerduty", "status": "paged", "incident": "P1", "escalated": "rule 2, loop 0"}
    page = {"channel": "pagerduty", "status": "paged", "incident": "P2"}
    climbed = {**page, "escalated": "rule 2, loop 0"}
    slack = {"channel": "slack", "to": "#alerts", "via": "sentry", "event": "critical"}
    assert gameday.caused([old, page, slack, climbed]) == [page, slack, climbed]
