"""One transport per vendor account for the whole provider process, so every resource (and thread)
draws from the same rate-limit budget and connection pool."""

from __future__ import annotations

import threading

from .clock import SYSTEM_CLOCK, Clock
from .http import Transport, Vendor

_lock = threading.Lock()
_transports: dict[tuple[str, str, str], Transport] = {}
_clock: Clock = SYSTEM_CLOCK


def shared_transport(vendor: Vendor, endpoint: str, token: str) -> Transport:
    key = (vendor.name, endpoint, token)
    with _lock:
        if key not in _transports:
            _transports[key] = Transport(vendor, endpoint, token, clock=_clock)
        return _transports[key]


def use_clock(clock: Clock) -> None:
    """Start over with transports that wait on `clock` (tests inject a fake one)."""
    global _clock
    with _lock:
        _clock = clock
        _transports.clear()
