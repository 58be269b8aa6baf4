"""`lookout drill`: every alert route of the committed plans, proved against the sandbox after a real
`pulumi up`: prod's critical page reaches the person on call and is resolved, Slack and e-mail routes are
checked or named, and dev never pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from lookout import deploy_event, drill, stackfile
from providers import settings

from .conftest import Stack


@pytest.fixture(autouse=True)
def forget_settings() -> Iterator[None]:
    yield
    settings.use_config({})


def deployed(api: SandboxProcess, tmp_path: Path, name: str) -> Stack:
    stack = Stack(api, tmp_path, name)
    stack.configure({}, inherit=True)
    stack.pulumi("up", "--yes")
    api.control("DELETE", "/deliveries")
    return stack


def _runner(target: Stack) -> Any:
    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    return run


def run_drill(stack: Stack, name: str, dry_run: bool = False) -> list[drill.Result]:
    return drill.drill(_runner(stack), name, stackfile.load(name), dry_run)


def test_prod_critical_pages_the_person_on_call_and_every_route_is_confirmed(
    api: SandboxProcess, tmp_path: Path
):
    stack = deployed(api, tmp_path, "prod")
    results = run_drill(stack, "prod")
    by_route = {(r.severity, r.channel): r for r in results}
    page = by_route[("critical", "pagerduty")]
    assert page.status == "confirmed" and "reached alex@optioeducation.com" in page.detail, page.detail
    assert by_route[("critical", "slack")].status == "confirmed"
    assert by_route[("critical", "email")].status == "by hand"
    assert drill.passed(results)
    delivered = api.control("GET", "/deliveries").json()
    pages = [d for d in delivered if d["channel"] == "pagerduty"]
    assert [(d["to"], d["severity"], d["status"]) for d in pages] == [
        ("alex@optioeducation.com", "critical", "paged")
    ]
    slack_texts = [d["text"] for d in delivered if d["channel"] == "slack" and "via" not in d]
    assert slack_texts and all(t.startswith("[Lookout drill] prod") for t in slack_texts)
    assert [i["status"] for i in api.control("GET", "/pagerduty/incidents").json()] == ["resolved"]
    _assert_sentry_alerts_reached_people(api, results, "prod")
    sentry_rows = [r for r in results if r.channel == "sentry"]
    routes = 3 + len(sentry_rows)  # critical page, two Slack, and one test event per Sentry project
    assert drill.table(results).endswith(f"{routes} of {routes} checkable routes confirmed")

    # A deploy goes on the on-call service's timeline as a change event, paging nobody.
    change_id, summary = deploy_event.send(
        _runner(stack), "prod", stackfile.load("prod"), "backend", "v9.9.9", datetime.now(UTC)
    )
    assert change_id and "v9.9.9" in summary
    changes = [d for d in api.control("GET", "/deliveries").json() if d.get("status") == "change event"]
    assert [d["summary"] for d in changes] == [summary]


def _assert_sentry_alerts_reached_people(api: SandboxProcess, results: list[drill.Result], env: str) -> None:
    """Each watched Sentry project got a marked event whose issue fired the new-issue alert, which the
    sandbox's Sentry delivered to the plan's warning channels (Slack in both plans), never paging."""
    sentry_rows = [r for r in results if r.channel == "sentry"]
    assert sentry_rows and all(r.status == "confirmed" for r in sentry_rows), [r.detail for r in sentry_rows]
    # Each project's new-issue alert (warning), and the system-health job's critical route (lookout watch)
    (job,) = [r for r in sentry_rows if "system-health" in r.target]
    assert job.severity == "critical" and all(r.severity == "warning" for r in sentry_rows if r is not job)
    assert all("system-health" not in r.detail for r in sentry_rows if r is not job)  # only tagged findings
    assert "system-health finding → slack, email" in job.target, job.target
    assert f"“{env}: system-health critical findings”" in job.detail, job.detail
    via_sentry = [d for d in api.control("GET", "/deliveries").json() if d.get("via") == "sentry"]
    assert set(stackfile.load(env).routed("warning")) == {"slack"}
    alerts = {(d["channel"], d["alert"]) for d in via_sentry}
    assert ("email", f"{env}: system-health critical findings") in alerts  # only for the job's finding
    assert {c for c, a in alerts if "system-health" not in a} == {"slack"}
    assert len({d["issue"] for d in via_sentry}) == len(sentry_rows)
    assert all(d["title"].startswith(f"[Lookout drill] {env}") for d in via_sentry)
    issues = api.control("GET", "/sentry/issues").json()
    assert issues and all(i["status"] == "resolved" for i in issues)


def test_dev_never_pages_and_a_dry_run_sends_nothing(api: SandboxProcess, tmp_path: Path):
    stack = deployed(api, tmp_path, "dev")
    results = run_drill(stack, "dev")
    assert all(r.channel != "pagerduty" or r.status == "not sent" for r in results)
    assert drill.passed(results)
    assert [d for d in api.control("GET", "/deliveries").json() if d["channel"] == "pagerduty"] == []
    _assert_sentry_alerts_reached_people(api, results, "dev")
    api.control("DELETE", "/deliveries")
    planned = run_drill(stack, "dev", dry_run=True)
    assert {r.status for r in planned} <= {"would send", "by hand", "not sent"}
    assert api.control("GET", "/deliveries").json() == []
