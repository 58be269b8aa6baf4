"""Client-side request budget shared by every thread of the provider process.

UptimeRobot counts requests per account in fixed 60 s windows (free plan: 10), so all resources that use
one account key draw from one `WindowLimiter`. Server headers re-synchronise it: when the server says
the window is spent, every thread waits for the reset instead of collecting 429s. With a `WindowFile`,
the window is also shared with the provider processes before and beside this one (windows.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .clock import Clock
from .notice import announce
from .windows import Window, WindowFile

SAME_WINDOW = 1.0  # seconds: two processes' estimates of one window's end differ by less


class WindowLimiter:
    def __init__(
        self, limit: int | None, window: float, clock: Clock, name: str = "", file: WindowFile | None = None
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.name = name  # the vendor (or `vendor/endpoint class`) in wait notices
        self._lock = threading.Lock()
        self._window_end = 0.0
        self._used = 0
        self._blocked_until = 0.0
        self._announced_until = 0.0  # the end of the last wait announced: threads waiting with it stay quiet
        self._file = file

    def acquire(self) -> None:
        """Take one request from the budget, waiting (on the injected clock) until one is free.

        A long wait is announced once (notice.py), however many threads wait for the same moment."""
        while True:
            with self._lock, self._shared():
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
        """Adopt what the server reports about the current window. An answer that agrees with the window
        (most do: the server counted the requests we counted) is news to no other process, so the file is
        left alone; writing it twice per request was most of the limiter's cost."""
        with self._lock:
            before = (self.limit, self._window_end, self._used)
            self._adopt(limit, remaining, reset_in)
            if (self.limit, self._window_end, self._used) == before:
                return
            with self._shared():
                self._adopt(limit, remaining, reset_in)  # again, over what the others saved

    def _adopt(self, limit: int | None, remaining: int | None, reset_in: float | None) -> None:
        now = self.clock.monotonic()
        if limit is not None and limit > 0:
            self.limit = limit
        if reset_in is not None and reset_in >= 0:
            self._window_end = now + reset_in
        if remaining is not None and self.limit is not None:
            self._used = max(self._used, self.limit - remaining)

    def block_for(self, seconds: float) -> None:
        """The server refused us: nobody sends until it said to come back."""
        with self._lock, self._shared():
            self._blocked_until = max(self._blocked_until, self.clock.monotonic() + seconds)

    @contextlib.contextmanager
    def _shared(self) -> Iterator[None]:
        """(Under `_lock`.) Take in the window other processes saved, then save this one's."""
        if self._file is None:
            yield
            return
        with self._file.locked() as held:
            if held:
                self._merge(self._file.load(self.clock.time()))
            yield
            if held:
                offset = self.clock.time() - self.clock.monotonic()  # monotonic -> epoch
                blocked = (
                    self._blocked_until + offset if self._blocked_until > self.clock.monotonic() else 0.0
                )
                self._file.save(Window(self._window_end + offset, self._used, self.limit, blocked))

    def _merge(self, saved: Window | None) -> None:
        if saved is None:
            return
        offset = self.clock.monotonic() - self.clock.time()  # epoch -> monotonic
        end = saved.end + offset
        if end > self._window_end + SAME_WINDOW:  # a window opened after ours ended (or before we started)
            self._window_end, self._used = end, saved.used
        elif end > self._window_end - SAME_WINDOW:
            self._used = max(self._used, saved.used)
        if saved.limit is not None:
            self.limit = saved.limit  # what the server last announced
        self._blocked_until = max(self._blocked_until, saved.blocked_until + offset)


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


def budget_for(
    vendor: str,
    credential: str,
    limit: int | None,
    window: float,
    clock: Clock,
    windows: Path | None = None,
    endpoint: str = "",
) -> Budget:
    """One budget per vendor account, keyed by a hash of the credential (never the credential itself).

    Production has one clock; tests that inject their own get a budget that waits on it. With `windows`
    (a directory), the window is kept there for other processes of the same account and endpoint.
    """
    digest = hashlib.sha256(f"{endpoint}\n{credential}".encode()).hexdigest()[:16]
    key = f"{vendor}:{digest}:{id(clock)}:{windows}"
    with _registry_lock:
        if key not in _registry:
            file = WindowFile(windows, vendor, endpoint, credential) if windows is not None else None
            limiter = WindowLimiter(limit, window, clock, vendor, file)
            _registry[key] = Budget(limiter, ConcurrencyGate(None))
        return _registry[key]
