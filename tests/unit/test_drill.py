"""`lookout drill` before it sends anything: which routes it walks, the prod guard, and how it judges."""

from __future__ import annotations

from typing import Any

import pytest

from lookout import drill, drill_sentry, stackfile
from lookout.__main__ import main
from providers import settings
from providers.sentry import ingest
from tests.fakes import FakeClock


def test_prod_is_refused_without_yes_before_anything_runs(capsys, monkeypatch: pytest.MonkeyPatch):
    def no_runner(sandbox: bool) -> None:
        raise AssertionError("the guard must come first")

    monkeypatch.setattr(drill, "runner", no_runner)
    assert main(["drill", "prod"]) == 1
    assert "add --yes to send it" in capsys.readouterr().err


def test_the_routes_follow_the_plan_and_dev_never_pages():
    prod, dev = stackfile.load("prod"), stackfile.load("dev")
    assert ("critical", "pagerduty") in drill.routes(prod)
    assert all(channel != "pagerduty" for _, channel in drill.routes(dev))


def test_a_drill_passes_only_when_every_checkable_route_is_confirmed():
    ok = [
        drill.Result("critical", "pagerduty", "s", "confirmed"),
        drill.Result("info", "email", "a@b.c", "by hand"),
    ]
    assert drill.passed(ok) and drill.table(ok).endswith("1 of 1 checkable routes confirmed")
    failed = [*ok, drill.Result("warning", "slack", "#alerts", "failed", "no_service")]
    assert not drill.passed(failed) and drill.table(failed).endswith("1 of 2 checkable routes confirmed")


def test_every_project_watched_for_new_issues_gets_a_sentry_test_event_and_a_dry_run_sends_none():
    prod = stackfile.load("prod")
    checks = drill_sentry.new_issue_checks(prod)
    assert checks and {c.service for c in checks} == {s.name for s in prod.services if s.sentry_platform}
    planned = drill_sentry.drill(checks[0], "prod", {}, "m1", dry_run=True)
    assert planned.status == "would send" and planned.target.startswith("project optio-prod-")


def test_a_sentry_route_without_a_deployed_dsn_fails_before_any_request():
    check = drill_sentry.new_issue_checks(stackfile.load("dev"))[0]
    outcome = drill_sentry.drill(
        check, "dev", {"someone-else": "https://k@o1.ingest.sentry.io/1"}, "m", False
    )
    assert (outcome.status, outcome.detail) == (
        "failed",
        "no DSN among the stack outputs: deploy the stack first",
    )


def test_a_dsn_names_its_key_and_project_and_a_bad_one_is_refused_without_being_shown(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(settings, "get", lambda key, default=None: None)
    dsn = ingest.parse_dsn("https://0123456789abcdef0123456789abcdef@o1.ingest.us.sentry.io/4505")
    assert (dsn.base, dsn.public_key, dsn.project_id) == (
        "https://o1.ingest.us.sentry.io",
        "0123456789abcdef0123456789abcdef",
        "4505",
    )
    with pytest.raises(ValueError) as refused:
        ingest.parse_dsn("https://o1.ingest.us.sentry.io/secret-path")
    assert "secret-path" not in str(refused.value)
    monkeypatch.setattr(settings, "get", lambda key, default=None: "http://127.0.0.1:1/sentry-ingest/")
    assert ingest.parse_dsn("https://k@o1.ingest.us.sentry.io/7").base == "http://127.0.0.1:1/sentry-ingest"


class SlowPagerDuty:
    """PagerDuty's REST side as it is after a 202: the incident shows a moment after the trigger, and its
    resolve a moment after the resolve event (Events v2 processes events asynchronously)."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.resolved_at: float | None = None
        self.incident = {
            "id": "PINC1",
            "status": "triggered",
            "service": {"summary": "optio prod"},
            "assignments": [{"assignee": {"id": "PUSER1"}}],
        }

    def send(self, _client: Any, _key: str, action: str, _dedup: str, **_: Any) -> None:
        if action == "resolve":
            self.resolved_at = self.clock.now + 3  # processed three seconds after the 202

    def request(self, method: str, path: str, **_: Any) -> dict[str, Any]:
        if path.startswith("/users/"):
            return {"user": {"email": "alex@optioeducation.com"}}
        done = self.resolved_at is not None and self.clock.now >= self.resolved_at
        return {"incident": {**self.incident, "status": "resolved" if done else "triggered"}}


def test_a_page_counts_as_resolved_once_pagerduty_shows_it_resolved(monkeypatch: pytest.MonkeyPatch):
    slow = SlowPagerDuty()
    monkeypatch.setattr(drill.events, "client", lambda: None)
    monkeypatch.setattr(drill.events, "send", slow.send)
    monkeypatch.setattr(drill.pagerduty, "client", lambda: slow)
    monkeypatch.setattr(drill.pagerduty, "list_all", lambda *_a, **_k: [slow.incident])
    plan = stackfile.load("prod")
    outputs = {"pagerduty_integration_key": "k" * 32}
    result = drill._page(plan, "prod", "critical", {}, outputs, "m1", dry_run=False)
    assert (result.status, result.detail.rsplit("; ", 1)[-1]) == ("confirmed", "resolved")
    assert sum(slow.clock.sleeps) >= 3  # it asked again until PagerDuty showed the resolve
