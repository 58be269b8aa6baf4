"""The plan's dashboard requirements: one Sentry dashboard and one status page per environment."""

from __future__ import annotations

import pytest

from lookout import stackfile
from providers.sentry.dashboard import SPEC as DASHBOARD
from stacks import dashboards
from stacks.plan import load_plan
from tests.unit.test_monitoring_stack import deploy, of


@pytest.fixture(scope="module", params=["dev", "prod"])
def plan(request: pytest.FixtureRequest):
    return stackfile.load(request.param)


def cells(widget: dict) -> set[tuple[int, int]]:
    at = widget["layout"]
    return {(x, y) for x in range(at["x"], at["x"] + at["w"]) for y in range(at["y"], at["y"] + at["h"])}


def test_every_measurable_metric_of_the_plan_has_a_widget(plan):
    by_title = {w["title"]: w for w in dashboards.widgets(plan)}
    assert set(by_title) == {
        "Error rate (target < 0.1%)",
        "Request rate (requests/minute)",
        "Failed payment rate",
        "Error rate over time",
        "API response time p50 / p95 / p99",
        "Database query time p50 / p95 / p99",
        "Page load time p75 (target < 2 s)",
        "API error rate by endpoint",
        "System-health findings (lookout watch)",
    }
    backend = plan.project_slug(plan.services[0])
    api = by_title["API response time p50 / p95 / p99"]["queries"][0]
    assert api["aggregates"] == ["p50(span.duration)", "p95(span.duration)", "p99(span.duration)"]
    assert api["conditions"] == f"is_transaction:true span.op:http.server project:{backend}"
    endpoints = by_title["API error rate by endpoint"]
    assert endpoints["queries"][0]["columns"] == ["transaction"] and endpoints["limit"] == 10
    page = by_title["Page load time p75 (target < 2 s)"]["queries"][0]
    assert page["conditions"] == f"span.op:pageload project:{plan.project_slug(plan.services[1])}"


def test_the_system_health_jobs_open_findings_are_an_issue_table(plan):
    [findings] = [w for w in dashboards.widgets(plan) if w["widget_type"] == "issue"]
    query = findings["queries"][0]
    assert (findings["display_type"], query["aggregates"]) == ("table", [])
    assert query["conditions"] == "is:unresolved lookout-watch"  # the job's issue titles: lookout/watch.py
    no_database = plan.model_copy(
        update={
            "database": None,
            "services": [s.model_copy(update={"render_service": None}) for s in plan.services],
        }
    )
    assert not [w for w in dashboards.widgets(no_database) if w["widget_type"] == "issue"]


def test_an_issue_widget_is_a_table_and_other_widgets_chart_aggregates():
    widget = {
        "title": "w",
        "display_type": "line",
        "widget_type": "issue",
        "queries": [{"columns": ["issue"]}],
        "layout": {"x": 0, "y": 0, "w": 2, "h": 2},
    }
    failures = DASHBOARD.validate({"title": "t", "widgets": [widget]})[1]
    assert failures == [("widgets.0", "widgets.0.display_type: an issue widget is a table")]
    spans = {**widget, "widget_type": "spans"}
    assert DASHBOARD.validate({"title": "t", "widgets": [spans]})[1] == [
        ("widgets.0.queries.0", "widgets.0.queries.0.aggregates: at least one, e.g. count()")
    ]


def test_the_widgets_tile_the_grid_without_overlap_and_pass_the_resource_checks(plan):
    widgets = dashboards.widgets(plan)
    taken: set[tuple[int, int]] = set()
    for widget in widgets:
        assert not cells(widget) & taken, widget["title"]
        taken |= cells(widget)
    assert {x for x, _ in taken} == set(range(6))
    props = {"title": "t", "projects": ["1", "2"], "environment": [plan.environment], "widgets": widgets}
    assert DASHBOARD.validate(props)[1] == []


def test_targets_in_titles_follow_the_objectives():
    values = stackfile.config_of("prod") | {
        "lookout:slos": {
            "objectives": [
                {"service": "backend", "kind": "errors", "target": 0.995},
                {"service": "frontend", "kind": "latency", "target": 0.9, "threshold_ms": 3000},
            ]
        }
    }
    plan = load_plan({k.removeprefix("lookout:"): v for k, v in values.items() if k.startswith("lookout:")})
    titles = [w["title"] for w in dashboards.widgets(plan)]
    assert "Error rate (target < 0.5%)" in titles and "Page load time p75 (target < 3 s)" in titles


def test_a_plan_without_sentry_projects_gets_no_dashboard():
    plan = stackfile.load("prod")
    bare = plan.model_copy(
        update={"services": [s.model_copy(update={"sentry_platform": None}) for s in plan.services]}
    )
    assert dashboards.widgets(bare) == []


def test_each_environment_deploys_one_dashboard_and_one_status_page_of_its_monitors():
    for stack in ("dev", "prod"):
        recorder = deploy(stack)
        (board,) = of(recorder, "Dashboard")
        assert board["title"] == f"optio {stack} health" and board["environment"] == [stack]
        assert board["period"] == "24h" and len(board["projects"]) == 2
        (page,) = of(recorder, "StatusPage")
        assert page["name"] == f"optio {stack} status"
        assert len(page["monitor_ids"]) == len(of(recorder, "Monitor")) == 4
