"""`lookout drill` before it sends anything: which routes it walks, the prod guard, and how it judges."""

from __future__ import annotations

import pytest

from lookout import drill, stackfile
from lookout.__main__ import main


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
