"""UptimeRobot's rules for one check (sandbox/uptimerobot/verdict.py), each against its source
(docs/vendors/uptimerobot.md, "How a monitor is checked")."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.probe import NO_SUCH_HOST, REFUSED, TIMEOUT, Answer
from sandbox.uptimerobot.verdict import judge, succeeded

UNHEALTHY = '{"checks":{"database":{"status":"unhealthy"}},"status":"unhealthy"}'
HEALTHY = '{"checks":{"database":{"status":"healthy"}},"status":"healthy"}'


def monitor(kind: str = "HTTP", **fields: Any) -> dict[str, Any]:
    return {"type": kind, "successHttpResponseCodes": ["2xx", "3xx"], "config": {}, **fields}


def keyword(value: str, kind: str = "ALERT_NOT_EXISTS", case: int = 1, **fields: Any) -> dict[str, Any]:
    return monitor("KEYWORD", keywordValue=value, keywordType=kind, keywordCaseType=case, **fields)


def answer(status: int | None = 200, body: str = "", error: str | None = None) -> Answer:
    return Answer("https://api.example.test/api/health", status=status, body=body, error=error)


@pytest.mark.parametrize(
    ("codes", "status", "expected"),
    [
        (["2xx", "3xx"], 200, True),
        (["2xx", "3xx"], 302, True),
        (["2xx", "3xx"], 404, False),
        (["2xx", "3xx"], 503, False),
        (["200"], 204, False),
        ([200, "401"], 401, True),
        (["2XX"], 250, True),
    ],
)
def test_success_codes_take_codes_and_ranges(codes: list[Any], status: int, expected: bool):
    assert succeeded(codes, status) is expected


def test_http_is_up_on_a_success_code_and_down_otherwise_with_the_status_as_cause():
    assert judge(monitor(), answer(200)).up
    down = judge(monitor(), answer(503))
    assert (down.up, down.cause, down.reason, down.application) == (
        False,
        503,
        "503 Service Unavailable",
        True,
    )
    assert judge(monitor(successHttpResponseCodes=["2xx", "503"]), answer(503)).up


def test_no_answer_is_a_connection_error_retried_three_times_whatever_the_setting():
    for error, reason in (
        (NO_SUCH_HOST, "Host not found"),
        (REFUSED, "Connection refused"),
        (TIMEOUT, "Connection timeout"),
    ):
        down = judge(monitor(config={"applicationErrorRetries": 0}), answer(None, error=error))
        assert (down.up, down.reason, down.cause, down.application) == (False, reason, 0, False)
        assert down.retries(monitor(config={"applicationErrorRetries": 0})) == 3


def test_application_errors_retry_as_configured():
    down = judge(monitor(), answer(500))
    assert down.retries(monitor(config={"applicationErrorRetries": 2})) == 2
    assert down.retries(monitor(config={})) == 0
    assert judge(monitor(), answer(200)).retries(monitor()) == 0


def test_keyword_not_exists_goes_down_when_the_keyword_is_missing():
    rule = keyword('"status":"healthy"')
    assert judge(rule, answer(200, HEALTHY)).up
    assert judge(rule, answer(200, UNHEALTHY)).reason == "Keyword Not Found"


def test_keyword_exists_goes_down_when_the_keyword_is_there():
    rule = keyword("maintenance", kind="ALERT_EXISTS")
    assert judge(rule, answer(200, "all good")).up
    found = judge(rule, answer(200, "Down for MAINTENANCE"))
    assert (found.up, found.reason, found.application) == (False, "Keyword Found", True)


def test_keyword_case_type_zero_is_case_sensitive():
    assert judge(keyword("HEALTHY", case=1), answer(200, HEALTHY)).up
    assert not judge(keyword("HEALTHY", case=0), answer(200, HEALTHY)).up


def test_a_bare_healthy_keyword_cannot_see_the_unhealthy_body_only_the_status_can():
    # `healthy` is contained in `unhealthy`: the keyword rule holds, and only the 503 makes it down.
    rule = keyword("healthy")
    assert judge(rule, answer(200, UNHEALTHY)).up
    down = judge(rule, answer(503, UNHEALTHY))
    assert (down.up, down.reason) == (False, "503 Service Unavailable")


def test_port_monitors_are_up_when_the_connection_opens():
    assert judge(monitor("PORT"), Answer("db.example.test:5432")).up
    assert not judge(monitor("PORT"), Answer("db.example.test:5432", error=REFUSED)).up
