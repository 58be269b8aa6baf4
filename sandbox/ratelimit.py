"""Fixed-window rate limiting on the virtual clock, keyed by whatever the vendor limits (an account)."""

import itertools
import math
import threading
from dataclasses import dataclass

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Quota:
    """The state of one window after a request: what the rate-limit headers report."""

    limit: int
    remaining: int
    reset_seconds: int
    allowed: bool


class RateLimiter:
    """A window starts with the first request counted in it and lasts ``WINDOW_SECONDS``."""

    def __init__(self, window: int = WINDOW_SECONDS) -> None:
        self._window = window
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, now: float) -> Quota:
        """Count one request against ``key`` and say whether it is allowed."""
        with self._lock:
            start, used = self._current(key, now)
            used += 1
            self._windows[key] = (start, used)
            return self._quota(start, used, limit, now)

    def peek(self, key: str, limit: int, now: float) -> Quota:
        """The quota of ``key`` without counting a request."""
        with self._lock:
            start, used = self._current(key, now)
            return self._quota(start, used, limit, now)

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()

    def _current(self, key: str, now: float) -> tuple[float, int]:
        start, used = self._windows.get(key, (now, 0))
        if now >= start + self._window:
            return now, 0
        return start, used

    def _quota(self, start: float, used: int, limit: int, now: float) -> Quota:
        reset = max(1, math.ceil(start + self._window - now))
        return Quota(limit=limit, remaining=max(0, limit - used), reset_seconds=reset, allowed=used <= limit)


class Buckets:
    """Numbers the buckets a vendor counts apart (a key, a rate class, a scope, a window...); the number
    serves as the limiter's account id (`Caller.account_id`)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._next = itertools.count(1)
        self._lock = threading.Lock()

    def bucket(self, *name: str) -> int:
        key = " ".join(name)
        with self._lock:
            if key not in self._ids:
                self._ids[key] = next(self._next)
            return self._ids[key]

    def clear(self) -> None:
        with self._lock:
            self._ids.clear()
