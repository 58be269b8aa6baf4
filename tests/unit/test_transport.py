"""The transport's retry matrix, rate limiting, typed errors, redaction and pagination."""

from __future__ import annotations

import logging
import random
import threading

import pytest
import requests

from tests.fakes import HEADERS, FakeClock, response
from tests.fakes import make_transport as make
from transport import (
    ApiError,
    BadRequest,
    ConnectionFailed,
    Gone,
    NotFound,
    RateLimited,
    RateLimitHeaders,
    RetryPolicy,
    ServerError,
    Unauthorized,
    Vendor,
    json_error_message,
    link_header_items,
    next_link_items,
    redact,
)
from transport.ratelimit import WindowLimiter


@pytest.mark.parametrize(
    ("method", "status", "attempts"),
    [
        ("GET", 500, 5),  # idempotent: retried up to max_attempts
        ("DELETE", 503, 5),
        ("PATCH", 502, 5),
        ("POST", 500, 1),  # a create may have been applied: not repeated blindly
        ("GET", 400, 1),  # the caller's fault: never retried
        ("GET", 404, 1),
        ("GET", 410, 1),
        ("POST", 429, 8),  # not processed: safe to repeat for every method
    ],
)
def test_retry_matrix(method, status, attempts):
    transport, session, _, _ = make(*[response(status, {"message": "nope"})] * 10)
    with pytest.raises(ApiError):
        transport.request(method, "/things")
    assert len(session.sent) == attempts


def test_connection_errors_retry_only_for_idempotent_requests():
    transport, session, _, _ = make(requests.ConnectionError("reset"), response(200, {"ok": True}))
    assert transport.request("GET", "/things") == {"ok": True}
    assert len(session.sent) == 2

    transport, session, _, _ = make(requests.ConnectionError("reset"), response(201, {"id": 1}))
    with pytest.raises(ConnectionFailed):
        transport.request("POST", "/things")
    assert len(session.sent) == 1


def test_post_is_retried_after_a_lookup_proves_nothing_was_created():
    transport, session, _, _ = make(requests.ConnectionError("reset"), response(201, {"id": 9}))
    lookups = []
    result = transport.request("POST", "/things", json_body={}, recover=lambda: lookups.append(1))
    assert result == {"id": 9}
    assert len(session.sent) == 2 and lookups == [1]


def test_post_whose_response_was_lost_is_adopted_not_duplicated():
    transport, session, _, _ = make(requests.ConnectionError("reset"))
    result = transport.request("POST", "/things", json_body={}, recover=lambda: {"id": 5, "found": True})
    assert result == {"id": 5, "found": True}
    assert len(session.sent) == 1


def test_429_waits_for_retry_after_on_the_injected_clock():
    limited = response(
        429, "ThrottlerException: Too Many Requests", {"Retry-After": "37", "X-RateLimit-Remaining": "0"}
    )
    transport, _session, clock, _ = make(limited, response(200, []))
    assert transport.request("GET", "/things") == []
    assert sum(clock.sleeps) == pytest.approx(37)


def test_429_without_retry_after_uses_the_vendor_reset_header():
    limited = response(429, "slow down", {"X-RateLimit-Reset": "12"})
    transport, _, clock, _ = make(limited, response(200, []))
    transport.request("GET", "/things")
    assert sum(clock.sleeps) == pytest.approx(12)


def test_backoff_is_exponential_with_jitter_and_capped():
    policy = RetryPolicy(base_delay=1, max_delay=8, rng=random.Random(1))
    waits = [policy.decide(attempt=n, status=500, replay_safe=True, server_wait=None) for n in range(1, 5)]
    for n, wait in enumerate(waits, start=1):
        ceiling = min(8, 2 ** (n - 1))
        assert ceiling / 2 <= wait <= ceiling
    assert policy.decide(attempt=1, status=429, replay_safe=False, server_wait=1000) is None  # too long


def test_errors_are_typed_and_carry_status_message_and_request_id():
    vendor = Vendor("testvendor", json_error_message, HEADERS, request_id_header="X-Request-Id")
    bad = response(400, {"message": ["interval must not be less than 30"]}, {"X-Request-Id": "req-42"})
    transport, _, _, _ = make(bad, vendor=vendor)
    with pytest.raises(BadRequest) as info:
        transport.request("POST", "/monitors", json_body={})
    err = info.value
    assert err.status == 400 and err.request_id == "req-42"
    assert "interval must not be less than 30" in str(err)
    for status, cls in [
        (401, Unauthorized),
        (404, NotFound),
        (410, Gone),
        (500, ServerError),
        (429, RateLimited),
    ]:
        transport, _, _, _ = make(*[response(status, {"message": "x", "code": "000-004"})] * 10)
        with pytest.raises(cls) as typed:
            transport.request("POST", "/x")
        assert typed.value.status == status


def test_token_never_appears_in_errors_or_logs(caplog):
    replies = response(500, {"message": "boom"}), response(401, {"message": "bad key"})
    transport, session, _, token = make(*replies)
    caplog.set_level(logging.DEBUG, logger="lookout")
    with pytest.raises(Unauthorized) as info:
        transport.request("GET", f"/things?key={token}")
    assert session.sent[0]["headers"]["Authorization"] == f"Bearer {token}"
    assert token not in str(info.value)
    assert "retrying" in caplog.text and "[redacted]" in caplog.text  # the lines exist, masked
    assert token not in caplog.text


def test_a_refused_credential_is_not_tried_again_in_the_process():
    transport, session, _, _ = make(response(401, {"message": "bad key"}), response(200, {"ok": True}))
    with pytest.raises(Unauthorized):
        transport.request("GET", "/a")
    with pytest.raises(Unauthorized, match="HTTP 401"):
        transport.request("GET", "/b")  # same account: fails at once, no second request
    assert len(session.sent) == 1


def test_redact_masks_known_secret_shapes():
    text = redact(
        "dsn https://abcdef0123@o1.ingest.sentry.io/5 hook https://hooks.slack.com/services/T0/B1/zzz "
        "Authorization: Bearer eyJabc.def"
    )
    assert "abcdef0123" not in text and "T0/B1" not in text and "eyJabc" not in text


def test_pagination_follows_next_link_until_it_ends():
    pages = [
        response(
            200, {"data": [{"id": 1}, {"id": 2}], "nextLink": "https://api.example.test/v3/things?cursor=2"}
        ),
        response(200, {"data": [{"id": 3}], "nextLink": None}),
    ]
    transport, session, _, _ = make(*pages)
    assert [item["id"] for item in next_link_items(transport, "/things", {"limit": 2})] == [1, 2, 3]
    assert session.sent[1]["url"] == "https://api.example.test/v3/things"
    assert session.sent[1]["params"] == {"limit": 2, "cursor": "2"}


def test_pagination_follows_only_the_cursor_of_a_next_link():
    """The link names the vendor's public host (not a proxy or the sandbox), or another host altogether:
    only its cursor is taken, asked of our own endpoint, and the credential never leaves it."""
    pages = [
        response(200, {"data": [{"id": 1}], "nextLink": "https://evil.test/steal?cursor=1&limit=9"}),
        response(200, {"data": [{"id": 2}], "nextLink": "https://evil.test/no-cursor"}),
    ]
    transport, session, _, _ = make(*pages)
    assert [item["id"] for item in next_link_items(transport, "/things", {"limit": 50})] == [1, 2]
    assert [sent["url"] for sent in session.sent] == ["https://api.example.test/v3/things"] * 2
    assert session.sent[1]["params"] == {"limit": 50, "cursor": "1"}


def test_window_limiter_holds_requests_until_the_window_resets():
    clock = FakeClock()
    limiter = WindowLimiter(10, 60, clock)
    for _ in range(10):
        limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()  # the 11th waits for the next window
    assert clock.sleeps == [pytest.approx(60)]


def test_window_limiter_is_shared_by_threads():
    clock = FakeClock()
    limiter = WindowLimiter(10, 60, clock)
    lock = threading.Lock()
    granted = []

    def worker():
        limiter.acquire()
        with lock:
            granted.append(clock.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    windows = {int((t - 1000) // 60) for t in granted}
    assert len(granted) == 25
    assert all(sum(1 for t in granted if int((t - 1000) // 60) == w) <= 10 for w in windows)


def test_server_headers_resynchronise_the_limiter():
    spent = response(
        200, [], {"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "25"}
    )
    transport, _, clock, _ = make(spent, response(200, []), limit=10)
    transport.request("GET", "/a")  # the server says this window is spent, 25 s to go
    transport.request("GET", "/b")
    assert sum(clock.sleeps) == pytest.approx(25)


def test_link_header_pagination_follows_next_while_results_true():
    def page(items, cursor, more):
        base = "https://api.example.test/v3/things/"
        link = (
            f'<{base}?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", '
            f'<{base}?cursor={cursor}>; rel="next"; results="{more}"; cursor="{cursor}"'
        )
        return response(200, items, {"Link": link})

    pages = page([{"id": "1"}], "0:1:0", "true"), page([{"id": "2"}], "0:2:0", "false")
    transport, session, _, _ = make(*pages)
    assert [item["id"] for item in link_header_items(transport, "/things/")] == ["1", "2"]
    assert session.sent[1]["url"].endswith("cursor=0:1:0")


def test_epoch_reset_headers_are_read_on_the_injected_clock():
    vendor = Vendor(
        "epochvendor",
        json_error_message,
        RateLimitHeaders("X-Limit", "X-Remaining", "X-Reset", reset_is_epoch=True, concurrent_limit="X-Conc"),
    )
    transport, session, clock, _ = make(vendor=vendor)
    reset = str(clock.time() + 9)
    session.replies += [response(429, {"detail": "too frequently"}, {"X-Reset": reset, "X-Remaining": "0"})]
    session.replies += [response(200, [])]
    transport.request("GET", "/things")
    assert sum(clock.sleeps) == pytest.approx(9)


def test_concurrent_limit_header_resizes_the_gate():
    vendor = Vendor("concvendor", json_error_message, RateLimitHeaders(concurrent_limit="X-Conc"))
    transport, _, _, _ = make(response(200, [], {"X-Conc": "3"}), vendor=vendor)
    transport.request("GET", "/things")
    assert transport.budget.gate.limit == 3


def test_endpoint_classes_keep_their_own_windows():
    """Render limits writes (here 2 per window) apart from reads: reads never wait for the write window."""

    def classes(method: str, path: str) -> tuple[str, int | None]:
        return ("read", None) if method == "GET" else ("write", 2)

    vendor = Vendor("classvendor", json_error_message, HEADERS, rate_class=classes)
    transport, session, clock, _ = make(*[response(200, {})] * 8, vendor=vendor)
    for _ in range(2):
        transport.request("PUT", "/things/a")
    for _ in range(3):
        transport.request("GET", "/things")
    assert clock.sleeps == []  # reads draw from their own budget
    transport.request("PUT", "/things/b")
    assert clock.sleeps and sum(clock.sleeps) == pytest.approx(60)  # the third write waits for the window
    assert [s["url"].endswith("/things/b") for s in session.sent][-1]


def test_render_classes_follow_its_documented_endpoint_groups():
    from providers.render.client import rate_class

    assert rate_class("PATCH", "/services/srv-1") == ("service srv-1", 10)
    assert rate_class("POST", "/services/srv-1/deploys") == ("service srv-1", 10)
    assert rate_class("GET", "/services/srv-1/deploys") == ("read", 400)
    assert rate_class("PUT", "/services/srv-1/env-vars/KEY") == ("write", 30)
    assert rate_class("PATCH", "/notification-settings/overrides/services/srv-1") == ("write", 30)


def test_a_repeated_rate_limit_header_counts_at_its_most_cautious():
    """Render sends some Ratelimit-* headers twice, from two limiters: joined, "496, 498"."""
    headers = {
        "X-RateLimit-Limit": "500, 500",
        "X-RateLimit-Remaining": "496, 498",
        "X-RateLimit-Reset": "24, 30",
    }
    transport, _, _, _ = make(response(200, {}, headers))
    transport.request("GET", "/things")
    limiter = transport.budget.limiter
    assert (limiter.limit, limiter._used) == (500, 4)


def test_410_means_deleted_where_the_vendor_says_so():
    """UptimeRobot answers 410 for a deleted object; Sentry's 410 means a retired endpoint."""
    gone = Vendor("uptimerobot-like", json_error_message, HEADERS, gone_is_deleted=True)
    transport, _, _, _ = make(response(410, {"message": "gone"}), vendor=gone)
    with pytest.raises(NotFound):
        transport.request("GET", "/monitors/1")
    transport, _, _, _ = make(response(410, {"message": "retired"}))
    with pytest.raises(Gone):
        transport.request("GET", "/rules/")
