"""Virtual clock: wall time plus an offset that the control API advances, so tests never sleep.

Benchmarks may also speed it up: `LOOKOUT_TIME_SCALE=FACTOR@ANCHOR` (shared with the provider, see
transport/clock.py) makes time run FACTOR times faster from the epoch second ANCHOR on.
"""

import contextlib
import contextvars
import os
import time
from collections.abc import Iterator
from datetime import datetime, timezone

from sandbox.store import Store

_OFFSET_KEY = "clock.offset"
# The instant a vendor's scheduled work happens at while it runs (`Clock.at`), so that what it does (an
# incident opened, a page sent) is dated when it happened, not when the clock was last advanced.
_AT: contextvars.ContextVar[float | None] = contextvars.ContextVar("sandbox_clock_at", default=None)


class Clock:
    """Wall clock shifted by a persisted offset (seconds)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._factor, self._anchor = _time_scale(os.environ.get("LOOKOUT_TIME_SCALE", ""))

    @property
    def offset(self) -> float:
        return float(self._store.get_value(_OFFSET_KEY, 0.0))

    def now(self) -> float:
        """Current virtual time as a Unix timestamp."""
        at = _AT.get()
        if at is not None:
            return at
        return self._anchor + (time.time() - self._anchor) * self._factor + self.offset

    def wall_seconds(self, seconds: float) -> float:
        """How long `seconds` of virtual time last on the wall clock (a check's timeout)."""
        return seconds / self._factor

    @contextlib.contextmanager
    def at(self, instant: float) -> Iterator[None]:
        """Inside the block, `now()` is `instant`: scheduled work done late, dated when it was due."""
        token = _AT.set(instant)
        try:
            yield
        finally:
            _AT.reset(token)

    def advance(self, seconds: float) -> float:
        """Move the clock forward and return the new virtual time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._store.set_value(_OFFSET_KEY, self.offset + seconds)
        return self.now()

    def reset(self) -> None:
        self._store.set_value(_OFFSET_KEY, 0.0)


def _time_scale(value: str) -> tuple[float, float]:
    if not value:
        return 1.0, 0.0
    factor, _, anchor = value.partition("@")
    return float(factor), float(anchor)


def iso(timestamp: float) -> str:
    """Format a Unix timestamp the way the vendors do: ISO 8601, UTC, milliseconds, ``Z``."""
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_instant(value: object) -> float:
    """An ISO 8601 date-time as a Unix timestamp (UTC when it names no offset); ValueError otherwise."""
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()
