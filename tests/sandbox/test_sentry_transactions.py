"""Transactions reach the spans dataset as Relay puts them there (sandbox/sentry/transactions.py): compressed
bodies decoded, clock drift corrected, segment and child spans with their own op and status, never an error
issue; and the span functions and wildcards the metric monitors use (sandbox/sentry/spans.py)."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

import brotli
import pytest
import requests
import sentry_sdk
import zstandard

from tests.sandbox.conftest import ORG, Client, Server, new_project, new_team
from tests.sandbox.test_sentry_events_api import EVENTS
from tests.sandbox.test_sentry_fidelity import check
from tests.sandbox.test_stats import clock_now, iso

INGEST = "/sentry-ingest"
ENCODERS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": lambda raw: zstandard.ZstdCompressor().compress(raw),
}


@pytest.fixture
def api(sentry: Client, sandbox_server: Server) -> dict[str, Any]:
    new_team(sentry)
    project = new_project(sentry, default_rules=False)
    key = sentry.get(f"/projects/{ORG}/api/keys/").json()[0]
    return {"id": project["id"], "key": key["public"], "dsn": key["dsn"]["public"]}


def transaction(end: float, seconds: float, name: str = "/api/x", status: str | None = "ok", **extra: Any):
    trace: dict[str, Any] = {"op": "http.server", "trace_id": "a" * 32, "span_id": "b" * 16}
    if status is not None:
        trace["status"] = status
    return {
        "type": "transaction",
        "transaction": name,
        "start_timestamp": iso(end - seconds),
        "timestamp": iso(end),
        "contexts": {"trace": trace},
        "environment": "production",
        **extra,
    }


def post_envelope(
    server: Server, api: dict[str, Any], event: dict[str, Any], sent_at: float, encoding: str | None = None
) -> requests.Response:
    header = {"event_id": "c" * 32, "sent_at": iso(sent_at), "dsn": api["dsn"]}
    payload = json.dumps(event).encode()
    raw = b"\n".join([json.dumps(header).encode(), json.dumps({"type": "transaction"}).encode(), payload])
    headers = {"Content-Type": "application/x-sentry-envelope"}
    if encoding:
        raw, headers["Content-Encoding"] = ENCODERS[encoding](raw), encoding
    url = f"{server.url}{INGEST}/api/{api['id']}/envelope/"
    return requests.post(url, data=raw, headers=headers, timeout=10)


def row(sentry: Client, fields: list[str], **params: Any) -> dict[str, Any]:
    body = check(sentry.get(EVENTS, params={"field": fields, "dataset": "spans", **params}), 200)
    found: dict[str, Any] = body["data"][0]
    return found


@pytest.mark.parametrize("encoding", [None, "gzip", "deflate", "br", "zstd"])
def test_a_transaction_becomes_spans_and_never_an_issue(
    sentry: Client, sandbox_server: Server, api, encoding
):
    now = clock_now(sandbox_server)
    event = transaction(now - 1, 0.5, status="internal_error")
    event["spans"] = [
        {"op": "db", "start_timestamp": iso(now - 1.4), "timestamp": iso(now - 1.2), "span_id": "d" * 16},
        {"op": "http.client", "status": "deadline_exceeded", "start_timestamp": iso(now - 1.1)},
    ]
    answer = post_envelope(sandbox_server, api, event, now, encoding)
    assert answer.status_code == 200, answer.text
    fields = ["count()", "failure_count()", "p100(span.duration)"]
    assert row(sentry, fields, query="is_transaction:true", statsPeriod="1h") == {
        "count()": 1,
        "failure_count()": 1,  # internal_error is a failure
        "p100(span.duration)": pytest.approx(500, abs=1),
    }
    # The db span has no status (ok), carries the transaction's name; the unfinished one ends with the
    # transaction as deadline_exceeded.
    db = row(sentry, fields, query="span.op:db transaction:/api/x", statsPeriod="1h")
    assert db == {"count()": 1, "failure_count()": 0, "p100(span.duration)": pytest.approx(200, abs=1)}
    client = row(sentry, fields, query="span.op:http.client", statsPeriod="1h")
    assert client == {"count()": 1, "failure_count()": 1, "p100(span.duration)": pytest.approx(100, abs=1)}
    issues = check(sentry.get(f"/projects/{ORG}/api/issues/"), 200)
    assert issues == []


def test_clock_drift_of_an_hour_moves_the_spans_to_when_they_arrived(sentry: Client, sandbox_server, api):
    now = clock_now(sandbox_server)
    sdk_now = now - 2 * 3600  # the SDK's clock is two hours behind the receiver's
    assert post_envelope(sandbox_server, api, transaction(sdk_now - 1, 1), sdk_now).status_code == 200
    assert row(sentry, ["count()"], statsPeriod="5m") == {"count()": 1}
    # Under 55 minutes of drift, the SDK's timestamps stand: 20 minutes ago is outside the last 5 minutes.
    sdk_now = now - 20 * 60
    assert post_envelope(sandbox_server, api, transaction(sdk_now - 1, 1), sdk_now).status_code == 200
    assert row(sentry, ["count()"], statsPeriod="5m") == {"count()": 1}
    assert row(sentry, ["count()"], statsPeriod="30m") == {"count()": 2}
    # A transaction ending in the future (beyond 60 s) is moved to end when it arrived.
    assert post_envelope(sandbox_server, api, transaction(now + 600, 1), now + 600 - 100).status_code == 200
    assert row(sentry, ["count()"], statsPeriod="5m") == {"count()": 2}


def test_bodies_in_an_unknown_encoding_or_corrupt_are_refused(sandbox_server: Server, api):
    url = f"{sandbox_server.url}{INGEST}/api/{api['id']}/envelope/"
    unknown = requests.post(url, data=b"{}", headers={"Content-Encoding": "compress"}, timeout=10)
    assert unknown.status_code == 415
    assert set(unknown.headers["Accept-Encoding"].split(",")) == set(ENCODERS)
    corrupt = requests.post(url, data=b"not gzip", headers={"Content-Encoding": "gzip"}, timeout=10)
    assert corrupt.status_code == 400 and corrupt.json()["detail"] == "invalid body"


def test_the_real_sdk_sends_compressed_transactions_that_arrive_as_spans(sentry: Client, sandbox_server, api):
    host = sandbox_server.url.split("://", 1)[1]
    dsn = f"http://{api['key']}@{host}{INGEST}/{api['id']}"  # the sandbox's ingest as the DSN's host
    sdk = sentry_sdk.Client(dsn=dsn, traces_sample_rate=1.0, environment="production")
    assert getattr(sdk.transport, "_compression_algo", None) == "br"  # brotli is importable: br by default
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(sdk)
        with sentry_sdk.start_transaction(name="/api/payments/checkout", op="http.server") as tx:
            with sentry_sdk.start_span(op="db", name="SELECT 1"):
                pass
            tx.set_status("internal_error")
    sdk.flush(timeout=10)
    found = row(sentry, ["count()", "failure_rate()"], query="transaction:/api/payments*", statsPeriod="1h")
    assert found == {"count()": 2, "failure_rate()": 0.5}  # the failed segment and its db span
    assert row(sentry, ["count()"], query="is_transaction:true span.op:http.server", statsPeriod="1h") == {
        "count()": 1
    }
    assert check(sentry.get(f"/projects/{ORG}/api/issues/"), 200) == []


def test_percentiles_averages_and_wildcards(sentry: Client, sandbox_server: Server, api):
    now = clock_now(sandbox_server)
    for count, duration, name in (
        (18, 100, "/api/auth/login"),
        (1, 2500, "/api/auth/logout"),
        (1, 4000, "/"),
    ):
        body = {"project": "api", "count": count, "duration_ms": duration, "transaction": name,
                "timestamp": iso(now - 60), "is_transaction": True}  # fmt: skip
        sandbox_server.control("POST", "/sentry/spans", json=body)
    fields = ["p50(span.duration)", "p95(span.duration)", "p100()", "avg(span.duration)"]
    # 20 spans: ranks 0-17 are 100, 18 is 2500, 19 is 4000; p95 sits at rank 18.05.
    assert row(sentry, fields, statsPeriod="1h") == {
        "p50(span.duration)": 100,
        "p95(span.duration)": pytest.approx(2500 * 0.95 + 4000 * 0.05),
        "p100()": 4000,
        "avg(span.duration)": pytest.approx((18 * 100 + 2500 + 4000) / 20),
    }
    assert row(sentry, ["count()"], query="transaction:/api/auth*", statsPeriod="1h") == {"count()": 19}
    assert row(sentry, ["count()"], query='transaction:"*/log*"', statsPeriod="1h") == {"count()": 19}
    assert row(sentry, ["count()"], query="transaction:/api/*/logout", statsPeriod="1h") == {"count()": 1}
    answer = check(sentry.get(EVENTS, params={"field": "p95(span.duration)", "dataset": "spans"}), 200)
    assert answer["meta"]["fields"] == {"p95(span.duration)": "duration"}


def test_a_status_filter_tells_refused_logins_from_a_failing_service(sentry: Client, sandbox_server, api):
    now = clock_now(sandbox_server)
    for status in ("ok", "unauthenticated", "unauthenticated", "unavailable"):
        event = transaction(now - 1, 0.1, name="/api/auth/login", status=status)
        assert post_envelope(sandbox_server, api, event, now).status_code == 200
    everything = row(sentry, ["failure_rate()"], query="transaction:/api/auth*", statsPeriod="1h")
    assert everything == {"failure_rate()": 0.75}  # a refused password is a failing span too
    service = "transaction:/api/auth* !span.status:unauthenticated"
    assert row(sentry, ["failure_rate()", "count()"], query=service, statsPeriod="1h") == {
        "failure_rate()": 0.5,
        "count()": 2,
    }
    assert row(sentry, ["count()"], query="span.status:unauthenticated", statsPeriod="1h") == {"count()": 2}
