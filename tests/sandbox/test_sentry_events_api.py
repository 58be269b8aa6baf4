"""Sentry's ``GET /organizations/{org}/events/?dataset=spans`` against hand-computed numbers, over span
batches seeded out of band (``/_control/sentry/spans``).

Every 200 (and every answer the spec documents) is validated against the vendor's spec as the fidelity tests
do. Time moves only through the virtual clock.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sandbox.sentry.errors import NOT_FOUND, PERMISSION_DENIED
from tests.sandbox.conftest import ORG, Client, Server, new_project, new_team
from tests.sandbox.test_sentry_fidelity import check as sentry_check
from tests.sandbox.test_sentry_fidelity import check_quirk
from tests.sandbox.test_stats import DAY, clock_now, iso

EVENTS = f"/organizations/{ORG}/events/"
FIELDS = [
    "count()",
    "failure_count()",
    "failure_rate()",
    "count_if(span.duration,greater,300)",
    "count_if(span.duration,lessOrEquals,120)",
]


def spans(server: Server, **body: Any) -> dict[str, Any]:
    created: dict[str, Any] = server.control("POST", "/sentry/spans", json=body).json()
    return created


def explore(sentry: Client, fields: list[str], **params: Any) -> dict[str, Any]:
    """The one row of aggregates, after checking the whole answer against the spec and its meta."""
    body = sentry_check(sentry.get(EVENTS, params={"field": fields, "dataset": "spans", **params}), 200)
    assert list(body["meta"]["fields"]) == list(dict.fromkeys(fields)) and body["meta"]["dataset"] == "spans"
    assert len(body["data"]) == 1 and list(body["data"][0]) == list(dict.fromkeys(fields))
    row: dict[str, Any] = body["data"][0]
    return row


def counts(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[field] for field in FIELDS)


@pytest.fixture
def seeded(sentry: Client, sandbox_server: Server) -> dict[str, Any]:
    """Span batches of projects ``api`` and ``web``: four in the last 24 hours, one ten days old.

    ====  =======  =====  ======  ========  ===========  ============  ===========  ==========
    name  project  age    spans   failed    duration ms  op            transaction  is_txn/env
    ====  =======  =====  ======  ========  ===========  ============  ===========  ==========
    A     api      1 h    100     5         120          http.server   /api/x       yes/prod
    B     api      2 h    50      10        450          http.server   /api/y       yes/prod
    C     api      3 h    200     0         30           db            /api/x       no/prod
    D     web      1 h    40      4         800          http.server   /            yes/staging
    E     api      10 d   1000    100       300          http.server   /api/x       yes/prod
    ====  =======  =====  ======  ========  ===========  ============  ===========  ==========
    """
    new_team(sentry)
    api, web = new_project(sentry, slug="api"), new_project(sentry, slug="web", platform="javascript")
    now = clock_now(sandbox_server)
    common = {"op": "http.server", "is_transaction": True, "environment": "production"}
    batches = [
        {"project": "api", "age": 3600, "count": 100, "failed": 5, "duration_ms": 120,
         "transaction": "/api/x"},
        {"project": "api", "age": 7200, "count": 50, "failed": 10, "duration_ms": 450,
         "transaction": "/api/y"},
        {"project": api["id"], "age": 3 * 3600, "count": 200, "duration_ms": 30, "transaction": "/api/x",
         "op": "db", "is_transaction": False},
        {"project": "web", "age": 3600, "count": 40, "failed": 4, "duration_ms": 800, "transaction": "/",
         "environment": "staging"},
        {"project": "api", "age": 10 * DAY, "count": 1000, "failed": 100, "duration_ms": 300,
         "transaction": "/api/x"},
    ]  # fmt: skip
    for batch in batches:
        age = batch.pop("age")
        spans(sandbox_server, **{**common, **batch, "timestamp": iso(now - age)})
    return {"api": api, "web": web, "now": now}


def test_span_aggregates_over_the_last_day(sentry: Client, seeded: dict[str, Any]):
    row = explore(sentry, FIELDS, statsPeriod="24h")
    # count A+B+C+D = 390, failed 5+10+0+4 = 19; > 300 ms: B 50 + D 40; <= 120 ms: A 100 + C 200.
    assert counts(row) == (390, 19, 19 / 390, 90, 300)
    body = sentry.get(EVENTS, params={"field": FIELDS, "dataset": "spans", "statsPeriod": "24h"}).json()
    assert body["meta"]["fields"] == {
        "count()": "integer",
        "failure_count()": "integer",
        "failure_rate()": "percentage",
        "count_if(span.duration,greater,300)": "integer",
        "count_if(span.duration,lessOrEquals,120)": "integer",
    }
    assert body["meta"]["units"] == dict.fromkeys(FIELDS)


def test_the_period_decides_which_batches_count(sentry: Client, seeded: dict[str, Any]):
    # 30 days (and the 90-day default) take E too: 1390 spans, 119 failed, E's 300 ms is not > 300.
    assert counts(explore(sentry, FIELDS, statsPeriod="30d")) == (1390, 119, 119 / 1390, 90, 300)
    assert counts(explore(sentry, FIELDS)) == (1390, 119, 119 / 1390, 90, 300)
    assert counts(explore(sentry, FIELDS, statsPeriod="90m")) == (140, 9, 9 / 140, 40, 100)  # A, D
    assert explore(sentry, ["count()"], statsPeriod="5400")["count()"] == 140  # seconds without a unit
    assert explore(sentry, ["count()"], statsPeriod="2w")["count()"] == 1390
    now = seeded["now"]
    between = {"start": iso(now - 2.5 * 3600), "end": iso(now - 0.5 * 3600)}  # A, B and D
    assert counts(explore(sentry, FIELDS, **between)) == (190, 19, 0.1, 90, 100)
    # statsPeriod overrides start and end.
    assert explore(sentry, ["count()"], statsPeriod="24h", **between)["count()"] == 390


def test_count_if_comparisons(sentry: Client, seeded: dict[str, Any]):
    fields = [f"count_if(span.duration,{op},450)" for op in ("greater", "greaterOrEquals", "less")]
    fields += [f"count_if(span.duration,{op},450)" for op in ("lessOrEquals", "equals", "notEquals")]
    row = explore(sentry, fields, statsPeriod="24h")
    # durations (spans): 120 (100), 450 (50), 30 (200), 800 (40)
    assert list(row.values()) == [40, 90, 300, 350, 50, 340]
    assert explore(sentry, ["count_if(span.duration, less, 120.5)"], statsPeriod="24h") == {
        "count_if(span.duration, less, 120.5)": 300
    }


def test_project_environment_and_query_filters(sentry: Client, seeded: dict[str, Any]):
    day = {"statsPeriod": "24h"}
    assert counts(explore(sentry, FIELDS, project="api", **day)) == (350, 15, 15 / 350, 50, 300)
    assert counts(explore(sentry, FIELDS, project=seeded["web"]["id"], **day)) == (40, 4, 0.1, 40, 0)
    both = [seeded["api"]["id"], "web"]
    assert explore(sentry, ["count()"], project=both, **day)["count()"] == 390
    assert explore(sentry, ["count()"], project="-1", **day)["count()"] == 390
    assert explore(sentry, ["count()"], environment="production", **day)["count()"] == 350
    assert explore(sentry, ["count()"], environment=["production", "staging"], **day)["count()"] == 390
    # is_transaction: A, B, D = 190 spans, 19 failed.
    row = explore(sentry, FIELDS, query="is_transaction:true", **day)
    assert counts(row) == (190, 19, 0.1, 90, 100)
    assert explore(sentry, ["count()"], query="is_transaction:0", **day)["count()"] == 200
    assert counts(explore(sentry, FIELDS, query="span.op:db", **day)) == (200, 0, 0.0, 0, 200)
    assert explore(sentry, ["count()"], query="transaction:/api/x", **day)["count()"] == 300  # A, C
    query = 'is_transaction:true transaction:"/api/x" span.op:http.server'
    assert counts(explore(sentry, FIELDS, query=query, **day)) == (100, 5, 0.05, 0, 100)
    # Nothing matches: zeros, and a failure rate of 0 rather than a division by zero.
    empty = explore(sentry, FIELDS, query="span.op:cache.get", **day)
    assert counts(empty) == (0, 0, 0.0, 0, 0)


def test_errors_of_the_events_endpoint(sentry: Client, seeded: dict[str, Any]):
    def ask(**params: Any) -> requests.Response:
        return sentry.get(EVENTS, params={"field": ["count()"], "dataset": "spans", **params})

    def refused(response: requests.Response, message: str | None = None) -> None:
        body = sentry_check(response, 400)
        assert list(body) == ["detail"], body
        if message is not None:
            assert body["detail"] == message

    refused(ask(dataset="errors"))
    refused(ask(field=["transaction", "count()"]))  # the sandbox does not group
    refused(ask(field=["avg(measurements.lcp)"]))
    refused(ask(field=["count_if(span.duration,between,100)"]))
    refused(
        ask(field=["count_if(span.duration,greater,abc)"]), "Invalid parameter 'abc'. Must be of type number."
    )
    refused(
        ask(field=["count()"] * 21),
        "You can view up to 20 fields at a time. Please delete some and try again.",
    )
    for query in (
        "has:transaction",
        "!environment:production",
        "slow",
        "span.op:db OR span.op:http",
        "transaction:[/api/x,/api/y]",
    ):
        refused(ask(query=query))
    refused(ask(query="environment:production"))
    refused(ask(query="is_transaction:maybe"))
    refused(ask(statsPeriod="24x"), "Invalid date range: Invalid statsPeriod: '24x'")
    refused(ask(start="2026-01-01T00:00:00Z"), "Invalid date range: start and end are both required")
    same = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"}
    refused(ask(**same), "Invalid date range: start must be before end")
    missing = sentry.get(EVENTS, params={"dataset": "spans"})  # the spec makes field required
    assert missing.status_code == 400 and "field" in missing.json()
    forbidden = sentry_check(ask(project="nope"), 403)
    assert forbidden == {"detail": PERMISSION_DENIED}
    # Deviation sentry-events-unknown-environment: an unknown environment is a 404 the spec does not list.
    check_quirk(ask(environment="nowhere"), 404, {"detail": NOT_FOUND})
    other_org = sentry.get(
        "/organizations/other-org/events/", params={"field": "count()", "dataset": "spans"}
    )
    check_quirk(other_org, 404, {"detail": NOT_FOUND})


def test_an_organization_without_projects(sentry: Client):
    body = sentry_check(sentry.get(EVENTS, params={"field": ["count()"], "dataset": "spans"}), 200)
    assert body == {"data": [], "meta": {"tips": {"query": "Need at least one valid project to query."}}}


def test_span_control_routes(sentry: Client, sandbox_server: Server):
    new_team(sentry)
    project = new_project(sentry, slug="api")
    batch = spans(sandbox_server, project="api", count=3, timestamp="2026-01-01T00:00:00Z", environment="qa")
    assert batch == {
        "id": batch["id"],
        "project": project["id"],
        "timestamp": "2026-01-01T00:00:00.000Z",
        "count": 3,
        "failed": 0,
        "duration_ms": 0,
        "op": None,
        "transaction": None,
        "is_transaction": False,
        "environment": "qa",
    }
    assert sandbox_server.control("GET", "/sentry/spans").json() == [batch]
    environments = sentry.get(f"/projects/{ORG}/api/environments/").json()
    assert [environment["name"] for environment in environments] == ["qa"]

    def refused(body: dict[str, Any]) -> requests.Response:
        return requests.post(f"{sandbox_server.url}/_control/sentry/spans", json=body, timeout=10)

    for body in (
        {"project": "api", "count": 3, "failed": 4},
        {"project": "api", "count": 0},
        {"project": "api", "count": 1, "duration_ms": -1},
        {"project": "api", "count": 1, "timestamp": "soon"},
        {"project": "api", "count": 1, "colour": "red"},
        {"project": "api", "count": 1, "is_transaction": "yes"},
    ):
        response = refused(body)
        assert response.status_code == 400 and "error" in response.json(), body
    assert refused({"project": "nope", "count": 1}).status_code == 404
    assert sandbox_server.control("DELETE", "/sentry/spans").json() == []
    assert sandbox_server.control("GET", "/sentry/spans").json() == []
