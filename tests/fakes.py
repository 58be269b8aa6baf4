"""Test doubles shared by unit tests: a clock that never sleeps, and a scripted HTTP session."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests

from transport import RateLimitHeaders, RetryPolicy, Transport, Vendor, json_error_message


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.epoch = time.time()  # the sandbox's clock starts from the wall clock too
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.epoch + self.now - 1000.0

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0)


def response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = (
        (json.dumps(body) if not isinstance(body, str) else body).encode() if body is not None else b""
    )
    r.headers.update(headers or {})
    return r


Reply = requests.Response | Exception | Callable[[str, str, dict[str, Any]], requests.Response]


class ScriptedSession(requests.Session):
    """Answers requests from a script, recording what was sent."""

    def __init__(self, *replies: Reply) -> None:
        super().__init__()
        self.replies = list(replies)
        self.sent: list[dict[str, Any]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append({"method": method, "url": url, **kwargs})
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, requests.Response):
            return reply(method, url, kwargs)
        return reply


HEADERS = RateLimitHeaders("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


def make_transport(*replies, limit: int | None = None, vendor: Vendor | None = None):
    """A transport to a scripted test vendor on a fake clock: (transport, session, clock, token)."""
    clock = FakeClock()
    session = ScriptedSession(*replies)
    vendor = vendor or Vendor("testvendor", json_error_message, HEADERS, requests_per_window=limit)
    # A fresh token per test gives a fresh account budget (budgets are per account).
    token = f"tok-{uuid.uuid4().hex}"
    transport = Transport(
        vendor,
        "https://api.example.test/v3",
        token,
        clock=clock,
        session=session,
        policy=RetryPolicy(rng=random.Random(7)),
    )
    return transport, session, clock, token
