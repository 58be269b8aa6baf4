"""The Sentry Dashboard resource against the sandbox: create, read without diff, edits that keep the
widgets' identity, out-of-band edits as drift, claims after a lost create, a taken title left alone."""

from __future__ import annotations

from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers.claims import AlreadyExists
from providers.sentry.resources import DashboardProvider

from .conftest import checked, fault, wire
from .test_sentry_provider import create, project  # noqa: F401 (fixture)

LAYOUT = {"x": 0, "y": 0, "w": 3, "h": 2, "min_h": 2}
P95 = {
    "title": "API p95",
    "display_type": "line",
    "queries": [{"aggregates": ["p95(span.duration)"], "conditions": "span.op:http.server"}],
    "layout": LAYOUT,
}
BY_ENDPOINT = {
    "title": "errors by endpoint",
    "display_type": "table",
    "limit": 10,
    "queries": [{"aggregates": ["failure_rate()"], "columns": ["transaction"], "orderby": "-failure_rate()"}],
    "layout": {"x": 3, "y": 0, "w": 3, "h": 2, "min_h": 2},
}


def props(owner: dict[str, Any], *widgets: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "api health",
        "projects": [owner["project_id"]],
        "widgets": list(widgets or (P95, BY_ENDPOINT)),
        **extra,
    }


def as_state(value: Any) -> Any:
    """Outputs as Pulumi state hands them back: every number, however deep, a float."""
    if isinstance(value, dict):
        return {k: as_state(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_state(v) for v in value]
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def dashboards(api: SandboxProcess) -> list[dict[str, Any]]:
    return [d for d in api.control("GET", "/sentry/dashboards").json() if d["title"] == "api health"]


def widget_ids(api: SandboxProcess) -> dict[str, str]:
    (board,) = dashboards(api)
    return {w["title"]: str(w["id"]) for w in board["widgets"]}


def test_a_dashboard_reads_back_without_a_diff(configured: SandboxProcess, project):  # noqa: F811
    provider = DashboardProvider()
    board_id, outs = create(provider, props(project))
    read = provider.read(board_id, as_state(outs))
    assert read.id == board_id
    again = provider.diff(board_id, as_state(read.outs), checked(provider, props(project)))
    assert again.changes is False
    assert [w["title"] for w in wire(read.outs)["widgets"]] == ["API p95", "errors by endpoint"]


def test_an_edit_keeps_the_widgets_and_adds_in_place(configured: SandboxProcess, project):  # noqa: F811
    provider = DashboardProvider()
    board_id, outs = create(provider, props(project))
    before = widget_ids(configured)
    p99 = {**P95, "queries": [{"aggregates": ["p99(span.duration)"], "conditions": "span.op:http.server"}]}
    below = {**LAYOUT, "y": 2}
    rate = {**P95, "title": "request rate", "queries": [{"aggregates": ["epm()"]}], "layout": below}
    news = checked(provider, props(project, p99, BY_ENDPOINT, rate))
    diff = provider.diff(board_id, as_state(outs), news)
    assert diff.changes is True and diff.replaces == []
    updated = provider.update(board_id, as_state(outs), news)
    after = widget_ids(configured)
    assert {t: after[t] for t in before} == before and set(after) == {*before, "request rate"}
    assert wire(updated.outs)["widgets"][0]["queries"][0]["aggregates"] == ["p99(span.duration)"]
    dropped = checked(provider, props(project, BY_ENDPOINT))
    provider.update(board_id, as_state(updated.outs), dropped)
    assert widget_ids(configured) == {"errors by endpoint": before["errors by endpoint"]}


def test_a_widget_edited_in_sentry_is_drift(configured: SandboxProcess, project):  # noqa: F811
    provider = DashboardProvider()
    board_id, outs = create(provider, props(project))
    (board,) = dashboards(configured)
    edited = [
        {**w, "queries": [{**q, "conditions": ""} for q in w["queries"]]} if w["title"] == "API p95" else w
        for w in board["widgets"]
    ]
    configured.control("PATCH", f"/sentry/dashboards/{board_id}", json={"widgets": edited})
    read = provider.read(board_id, as_state(outs))
    assert provider.diff(board_id, as_state(read.outs), checked(provider, props(project))).changes is True


def test_a_lost_create_is_claimed_not_duplicated(configured: SandboxProcess, project):  # noqa: F811
    fault(configured, "lost", "POST", "/organizations/{org}/dashboards/", vendor="sentry")
    provider = DashboardProvider()
    board_id, _ = create(provider, props(project))
    assert [str(d["id"]) for d in dashboards(configured)] == [board_id]


def test_a_taken_title_is_reported_and_left_alone(configured: SandboxProcess, project):  # noqa: F811
    provider = DashboardProvider()
    create(provider, props(project, P95))  # someone's own dashboard under the title
    with pytest.raises(AlreadyExists, match=r"differs in widgets.*adopt"):
        create(provider, props(project))
    (board,) = dashboards(configured)
    assert [w["title"] for w in board["widgets"]] == ["API p95"]


def test_delete_removes_it_and_a_second_delete_is_quiet(configured: SandboxProcess, project):  # noqa: F811
    provider = DashboardProvider()
    board_id, outs = create(provider, props(project))
    provider.delete(board_id, outs)
    assert dashboards(configured) == []
    provider.delete(board_id, outs)
    assert provider.read(board_id, outs).id is None
