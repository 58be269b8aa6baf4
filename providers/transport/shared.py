"""One transport per vendor account for the whole provider process, so every resource (and thread)
draws from the same rate-limit budget and connection pool."""

from __future__ import annotations

import threading

from .clock import SYSTEM_CLOCK, Clock
from .http import Transport, Vendor
from .listings import LISTINGS

_lock = threading.Lock()
_transports: dict[tuple[str, str, str, float], Transport] = {}
_clock: Clock = SYSTEM_CLOCK


def shared_transport(
    vendor: Vendor, endpoint: str, token: str, read_timeout: float = 30.0, clock: Clock | None = None
) -> Transport:
    key = (vendor.name, endpoint, token, read_timeout)
    with _lock:
        if key not in _transports:
            timeout = (min(5.0, read_timeout), read_timeout)
            chosen = clock if clock is not None and _clock is SYSTEM_CLOCK else _clock  # tests' clock wins
            _transports[key] = Transport(vendor, endpoint, token, clock=chosen, timeout=timeout)
        return _transports[key]


def use_clock(clock: Clock) -> None:
    """Start over with transports that wait on `clock` (tests inject a fake one)."""
    global _clock
    with _lock:
        _clock = clock
        _transports.clear()
        LISTINGS.clear()
