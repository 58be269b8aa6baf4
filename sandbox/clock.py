"""Virtual clock: wall time plus an offset that the control API advances, so tests never sleep."""

import time
from datetime import datetime, timezone

from sandbox.store import Store

_OFFSET_KEY = "clock.offset"


class Clock:
    """Wall clock shifted by a persisted offset (seconds)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def offset(self) -> float:
        return float(self._store.get_value(_OFFSET_KEY, 0.0))

    def now(self) -> float:
        """Current virtual time as a Unix timestamp."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward and return the new virtual time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._store.set_value(_OFFSET_KEY, self.offset + seconds)
        return self.now()

    def reset(self) -> None:
        self._store.set_value(_OFFSET_KEY, 0.0)


def iso(timestamp: float) -> str:
    """Format a Unix timestamp the way the vendors do: ISO 8601, UTC, milliseconds, ``Z``."""
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
