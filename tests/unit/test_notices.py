"""What provider code tells the user: one redacted line per warning, note or long wait, naming its subject."""

from __future__ import annotations

import math
import random
import threading

import pytest

from tests.fakes import HEADERS, FakeClock, response
from tests.fakes import make_transport as make
from transport import RetryPolicy, Vendor, json_error_message, notice, register_secret
from transport.notice import use_sink
from transport.ratelimit import WindowLimiter

# -- long waits say what they wait for (issue #12) ----------------------------------------------------------


@pytest.fixture
def notices():
    lines: list[str] = []
    use_sink(lines.append)
    yield lines
    use_sink(None)


def test_a_long_wait_for_the_rate_limit_window_is_announced_with_the_limit(notices):
    clock = FakeClock()
    limiter = WindowLimiter(10, 60, clock, "uptimerobot")
    for _ in range(10):
        limiter.acquire()
    clock.now += 3
    limiter.acquire()  # the 11th waits for the rest of the window, on the fake clock
    assert clock.sleeps == [pytest.approx(57)]
    assert notices == ["uptimerobot: waiting 57 s for the rate-limit window (10 requests per 60 s)"]


def test_short_waits_pass_without_a_word(notices):
    clock = FakeClock()
    limiter = WindowLimiter(1, 4, clock, "sentry")
    limiter.acquire()
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(4)] and notices == []


def test_threads_waiting_for_the_same_window_announce_it_once(notices):
    class GatheringClock(FakeClock):
        """Sleepers wait for one another (not for time), then time moves on once: both wait together."""

        def __init__(self, sleepers: int) -> None:
            super().__init__()
            self.cond = threading.Condition()
            self.sleepers = sleepers

        def sleep(self, seconds: float) -> None:
            with self.cond:
                self.sleeps.append(seconds)
                target = self.now + seconds
                self.cond.notify_all()
                assert self.cond.wait_for(lambda: len(self.sleeps) >= self.sleepers, timeout=10)
                self.now = max(self.now, target)

    clock = GatheringClock(sleepers=2)
    limiter = WindowLimiter(2, 60, clock, "uptimerobot")
    limiter.acquire()
    limiter.acquire()
    threads = [threading.Thread(target=limiter.acquire) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(clock.sleeps) == 2
    assert notices == ["uptimerobot: waiting 60 s for the rate-limit window (2 requests per 60 s)"]


def test_a_429_wait_names_the_vendor_and_never_the_key(notices):
    limited = response(429, "slow down", {"Retry-After": "37"})
    transport, _, clock, token = make(limited, response(200, []))
    transport.request("GET", "/things")
    assert sum(clock.sleeps) == pytest.approx(37)
    assert notices == [
        "testvendor: waiting 37 s for the rate limit to reset (the server answered 429 Too Many Requests)"
    ]
    assert token not in "".join(notices)


def test_a_long_backoff_after_a_server_error_is_announced(notices):
    transport, _, clock, _ = make(response(503, "busy"), response(200, []))
    transport.policy = RetryPolicy(base_delay=12, max_delay=12, rng=random.Random(7))
    transport.request("GET", "/things")
    assert len(clock.sleeps) == 1 and clock.sleeps[0] >= 6
    assert notices == [
        f"testvendor: waiting {math.ceil(clock.sleeps[0])} s before retrying GET /v3/things (it answered 503)"
    ]


def test_an_endpoint_class_is_named_in_its_notice(notices):
    def classes(method: str, path: str) -> tuple[str, int | None]:
        return ("read", None) if method == "GET" else ("write", 1)

    vendor = Vendor("classvendor", json_error_message, HEADERS, rate_class=classes)
    transport, _, _, _ = make(response(200, {}), response(200, {}), vendor=vendor)
    transport.request("PUT", "/things/a")
    transport.request("PUT", "/things/b")
    assert notices == ["classvendor (write): waiting 60 s for the rate-limit window (1 request per 60 s)"]


def test_a_warning_names_its_subject_and_never_a_secret(notices):
    secret = "https://hooks.slack.com/services/TFAKE/BFAKE/not-a-real-secret"
    register_secret(secret)
    notice.warn("uptimerobot:Integration 7", f"an identical object exists ({secret})")
    notice.note("render:EnvVar SENTRY_DSN", "takes effect at the next deploy")
    assert notices[0].startswith("warning: uptimerobot:Integration 7: an identical object exists (")
    assert notices[1] == "note: render:EnvVar SENTRY_DSN: takes effect at the next deploy"
    assert secret not in "".join(notices)
