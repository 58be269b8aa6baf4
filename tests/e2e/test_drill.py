"""`lookout drill`: every alert route of the committed plans, proved against the sandbox after a real
`pulumi up`: prod's critical page reaches the person on call and is resolved, Slack and e-mail routes are
checked or named, and dev never pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lookout import drill, stackfile
from lookout.harness.sandbox_process import SandboxProcess
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


def run_drill(stack: Stack, name: str, dry_run: bool = False) -> list[drill.Result]:
    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    target = stack
    return drill.drill(run, name, stackfile.load(name), dry_run)


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
    slack_texts = [d["text"] for d in delivered if d["channel"] == "slack"]
    assert slack_texts and all(t.startswith("[Lookout drill] prod") for t in slack_texts)
    assert [i["status"] for i in api.control("GET", "/pagerduty/incidents").json()] == ["resolved"]
    assert drill.table(results).endswith("3 of 3 checkable routes confirmed")  # critical page and two Slack


def test_dev_never_pages_and_a_dry_run_sends_nothing(api: SandboxProcess, tmp_path: Path):
    stack = deployed(api, tmp_path, "dev")
    results = run_drill(stack, "dev")
    assert all(r.channel != "pagerduty" or r.status == "not sent" for r in results)
    assert drill.passed(results)
    assert [d for d in api.control("GET", "/deliveries").json() if d["channel"] == "pagerduty"] == []
    api.control("DELETE", "/deliveries")
    planned = run_drill(stack, "dev", dry_run=True)
    assert {r.status for r in planned} <= {"would send", "by hand", "not sent"}
    assert api.control("GET", "/deliveries").json() == []
