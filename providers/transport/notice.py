"""Long waits say what they wait for (issue #12): a free UptimeRobot plan holds a run for up to a minute per
window, which looks like a hang unless something says so.

One line per wait longer than `NOTICE_AFTER` seconds, e.g. `uptimerobot: waiting 57 s for the rate-limit
window (10 requests per 60 s)`. It goes to stderr: inside a dynamic provider the engine shows every line the
plugin writes there in the `pulumi up`/`preview` output, while `pulumi.log` has no engine to talk to in that
process (it falls back to stderr itself); in `python -m lookout adopt` it is the terminal. Lines are
redacted and name only the vendor, never a credential. Tests replace the sink (`use_sink`).
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Callable

from .redact import redact

NOTICE_AFTER = 5.0  # seconds: shorter waits pass without a word

Sink = Callable[[str], None]


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


_sink: Sink = _stderr
_lock = threading.Lock()


def use_sink(sink: Sink | None) -> None:
    """Send the notices to `sink` (tests); None restores stderr."""
    global _sink
    with _lock:
        _sink = sink or _stderr


def who(budget: str) -> str:
    """`uptimerobot` stays; an endpoint class of a vendor (`render/write`) reads `render (write)`."""
    vendor, _, endpoints = budget.partition("/")
    return f"{vendor} ({endpoints})" if endpoints else vendor


def announce(budget: str, seconds: float, what: str) -> bool:
    """One line if the wait is long enough to be noticed; True when it was written."""
    if seconds < NOTICE_AFTER:
        return False
    line = redact(f"{who(budget)}: waiting {math.ceil(seconds)} s {what}")
    with _lock:
        _sink(line)
    return True
