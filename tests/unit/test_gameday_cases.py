"""The game day's judgement: which check a notification belongs to, and the verdict on what arrived."""

from __future__ import annotations

import struct
from pathlib import Path

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
