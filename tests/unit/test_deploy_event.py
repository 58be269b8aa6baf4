"""`lookout deploy-event` before it sends anything: what goes on the timeline, and which plans send none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lookout import deploy_event, stackfile
from lookout.__main__ import main

WHEN = datetime(2026, 12, 3, 10, 30, tzinfo=UTC)


def test_a_deploy_names_the_render_service_version_and_environment():
    fields = deploy_event.payload(stackfile.load("prod"), "backend", "1.4.2", WHEN)
    assert fields["summary"] == "Deployed optio-prod-backend 1.4.2 to prod"
    assert fields["timestamp"] == "2026-12-03T10:30:00Z"
    assert fields["custom_details"] == {
        "service": "backend",
        "version": "1.4.2",
        "environment": "prod",
        "sent_by": "lookout deploy-event",
    }
    assert fields["links"][0]["href"].startswith("https://")


def test_plans_without_on_call_and_unknown_services_are_refused():
    with pytest.raises(deploy_event.Refused, match="dev plan sends no deploys to PagerDuty"):
        deploy_event.payload(stackfile.load("dev"), "backend", "1.4.2", WHEN)
    with pytest.raises(deploy_event.Refused, match=r"--service api: not a Render service.*backend, frontend"):
        deploy_event.payload(stackfile.load("prod"), "api", "1.4.2", WHEN)


def test_the_command_refuses_in_one_line_before_any_pulumi_runs(capsys, monkeypatch: pytest.MonkeyPatch):
    def no_runner(sandbox: bool) -> None:
        raise AssertionError("nothing may run for a refused deploy event")

    monkeypatch.setattr(deploy_event, "runner", no_runner)
    assert main(["deploy-event", "dev", "--service", "backend"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "deploy notifications go by e-mail" in err
    assert main(["deploy-event", "prod", "--service", "backend", "--dry-run"]) == 0
    assert "would send to PagerDuty: Deployed optio-prod-backend 1.0.0 to prod" in capsys.readouterr().out
