"""The one way provider code tells the user something: warnings, notes and long waits.

Each line names what it is about (a resource kind and name or id, or a vendor) and goes to stderr, redacted.
Inside a dynamic provider process that is the only channel there is: the engine shows the plugin's output
lines in the `pulumi up`/`preview` output, and `pulumi.log` has no engine connection there, so it falls back
to the same stderr (Pulumi 3.260 shows print, stderr, logging and pulumi.log lines alike, under the stack,
none against the resource; hence the subject in every line). In `python -m lookout adopt` it is the
terminal. Tests replace the sink (`use_sink`).

Long waits say what they wait for (issue #12): a free UptimeRobot plan holds a run for up to a minute per
window, which looks like a hang unless something says so: one line per wait longer than `NOTICE_AFTER`
seconds, e.g. `uptimerobot: waiting 57 s for the rate-limit window (10 requests per 60 s)`.
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


def _say(line: str) -> None:
    with _lock:
        _sink(redact(line))


def warn(subject: str, message: str) -> None:
    """Something the user should act on or know went differently, e.g. `warning: sentry:Team 'x': …`."""
    _say(f"warning: {subject}: {message}")


def note(subject: str, message: str) -> None:
    """Something worth knowing that needs no action."""
    _say(f"note: {subject}: {message}")


def announce(budget: str, seconds: float, what: str) -> bool:
    """One line if the wait is long enough to be noticed; True when it was written."""
    if seconds < NOTICE_AFTER:
        return False
    _say(f"{who(budget)}: waiting {math.ceil(seconds)} s {what}")
    return True
