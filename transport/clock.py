"""Time, injectable: production uses the system clock, tests a fake one (nothing sleeps on wall clocks)."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def time(self) -> float:
        """Seconds since the epoch (vendors send reset times as epochs)."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()

TIME_SCALE_ENV = "LOOKOUT_TIME_SCALE"


class ScaledClock:
    """Time that runs `factor` times faster from the epoch second `anchor` on.

    For benchmarks against the sandbox only: with the same `LOOKOUT_TIME_SCALE=factor@anchor` the sandbox
    and the provider agree on the time, so a free plan's minute-long rate-limit windows pass in seconds
    while every wait keeps its proportions."""

    def __init__(self, factor: float, anchor: float) -> None:
        self.factor = factor
        self.anchor = anchor

    def time(self) -> float:
        return self.anchor + (time.time() - self.anchor) * self.factor

    def monotonic(self) -> float:
        return self.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds / self.factor)


def parse_time_scale(value: str) -> tuple[float, float]:
    """`"30@1764300000"` -> (30.0, 1764300000.0)."""
    factor, _, anchor = value.partition("@")
    try:
        parsed = float(factor), float(anchor)
    except ValueError:
        parsed = (0.0, 0.0)
    if not 1 <= parsed[0] <= 1000 or parsed[1] <= 0:
        raise ValueError(
            f"{TIME_SCALE_ENV} must be FACTOR@ANCHOR (factor 1-1000, anchor epoch seconds), not {value!r}"
        )
    return parsed
