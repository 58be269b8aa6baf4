"""One transport per vendor account for the whole provider process, so every resource (and thread)
draws from the same rate-limit budget and connection pool."""

from __future__ import annotations

import threading
from pathlib import Path

from .clock import SYSTEM_CLOCK, Clock
from .http import Transport, Vendor
from .listings import LISTINGS

_lock = threading.Lock()
_transports: dict[tuple[str, str, str, float], Transport] = {}
_clock: Clock = SYSTEM_CLOCK


def shared_transport(
    vendor: Vendor,
    endpoint: str,
    token: str,
    read_timeout: float = 30.0,
    clock: Clock | None = None,
    windows: Path | None = None,
) -> Transport:
    """`windows`: where rate windows are kept for the next process; never with a test's injected clock,
    whose time no other process shares."""
    key = (vendor.name, endpoint, token, read_timeout)
    with _lock:
        if key not in _transports:
            timeout = (min(5.0, read_timeout), read_timeout)
            injected = _clock is not SYSTEM_CLOCK
            chosen = _clock if injected or clock is None else clock  # tests' clock wins
            kept = None if injected else windows
            _transports[key] = Transport(vendor, endpoint, token, clock=chosen, timeout=timeout, windows=kept)
        return _transports[key]


def use_clock(clock: Clock) -> None:
    """Start over with transports that wait on `clock` (tests inject a fake one)."""
    global _clock
    with _lock:
        _clock = clock
        _transports.clear()
        LISTINGS.clear()
