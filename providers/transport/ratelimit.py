"""Client-side request budget shared by every thread of the provider process.

UptimeRobot counts requests per account in fixed 60 s windows (free plan: 10), so all resources that use
one account key draw from one `WindowLimiter`. Server headers re-synchronise it: when the server says
the window is spent, every thread waits for the reset instead of collecting 429s.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from .clock import Clock
from .notice import announce


class WindowLimiter:
    def __init__(self, limit: int | None, window: float, clock: Clock, name: str = "") -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.name = name  # the vendor (or `vendor/endpoint class`) in wait notices
        self._lock = threading.Lock()
        self._window_end = 0.0
        self._used = 0
        self._blocked_until = 0.0
        self._announced_until = 0.0  # the end of the last wait announced: threads waiting with it stay quiet

    def acquire(self) -> None:
        """Take one request from the budget, waiting (on the injected clock) until one is free.

        A long wait is announced once (notice.py), however many threads wait for the same moment."""
        while True:
            with self._lock:
                now = self.clock.monotonic()
                wait = self._blocked_until - now
                why = "for the rate limit to reset (the server answered 429 Too Many Requests)"
                if wait <= 0:
                    if self.limit is None:
                        return
                    if now >= self._window_end:
                        self._window_end, self._used = now + self.window, 0
                    if self._used < self.limit:
                        self._used += 1
                        return
                    wait = self._window_end - now
                    per = f"{self.limit} request{'s' * (self.limit != 1)} per {self.window:g} s"
                    why = f"for the rate-limit window ({per})"
                tell = now + wait > self._announced_until + 1.0
                if tell:
                    self._announced_until = now + wait
            if tell:
                announce(self.name or "api", wait, why)
            self.clock.sleep(wait)

    def observe(self, limit: int | None, remaining: int | None, reset_in: float | None) -> None:
        """Adopt what the server reports about the current window."""
        with self._lock:
            now = self.clock.monotonic()
            if limit is not None and limit > 0:
                self.limit = limit
            if reset_in is not None and reset_in >= 0:
                self._window_end = now + reset_in
            if remaining is not None and self.limit is not None:
                self._used = max(self._used, self.limit - remaining)

    def block_for(self, seconds: float) -> None:
        """The server refused us: nobody sends until it said to come back."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self.clock.monotonic() + seconds)


class ConcurrencyGate:
    """Caps requests in flight (Sentry announces a per-organisation concurrent limit)."""

    def __init__(self, limit: int | None) -> None:
        self._cond = threading.Condition()
        self.limit = limit
        self._active = 0

    def __enter__(self) -> ConcurrencyGate:
        with self._cond:
            while self.limit is not None and self._active >= self.limit:
                self._cond.wait()
            self._active += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._active -= 1
            self._cond.notify()

    def resize(self, limit: int | None) -> None:
        with self._cond:
            if limit is not None and limit > 0:
                self.limit = limit
                self._cond.notify_all()


@dataclass
class Budget:
    limiter: WindowLimiter
    gate: ConcurrencyGate
    refused: Exception | None = None  # the 401 this credential got: later calls fail without a request


_registry: dict[str, Budget] = {}
_registry_lock = threading.Lock()


def budget_for(vendor: str, credential: str, limit: int | None, window: float, clock: Clock) -> Budget:
    """One budget per vendor account, keyed by a hash of the credential (never the credential itself).

    Production has one clock; tests that inject their own get a budget that waits on it.
    """
    key = f"{vendor}:{hashlib.sha256(credential.encode()).hexdigest()[:16]}:{id(clock)}"
    with _registry_lock:
        if key not in _registry:
            _registry[key] = Budget(WindowLimiter(limit, window, clock, vendor), ConcurrencyGate(None))
        return _registry[key]
