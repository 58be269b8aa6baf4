"""Keeps secrets out of every log line and error message.

Secrets are registered as they become known (API keys at configure time, secret inputs at check time)
and also caught by shape, for values that were never registered (tokens in URLs, DSNs, hook URLs).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MASK = "[redacted]"
_MIN_SECRET_LENGTH = 6

_PATTERNS = [
    (re.compile(r"(?i)(bearer\s+)[^\s\"',]+"), r"\1" + MASK),
    (re.compile(r"https://hooks\.slack\.com/services/[^\s\"',]+"), MASK),
    (re.compile(r"(https?://)[^/\s:@\"']+(?::[^@\s\"']*)?@"), r"\1" + MASK + "@"),  # DSNs, URL credentials
    (re.compile(r"\bu\d{6,}-[a-f0-9]{20,}\b"), MASK),  # UptimeRobot main API keys
    (re.compile(r"\bsntry[su]_[A-Za-z0-9_=+/]{20,}"), MASK),
    (re.compile(r"\brnd_[A-Za-z0-9]{20,}\b"), MASK),
]

_lock = threading.Lock()
_known: set[str] = set()


def register_secret(value: object) -> None:
    """Remember a secret value so that it is masked wherever it appears later: a string, or each string of
    a mapping's values or a list (a cron job's env vars are one secret input)."""
    if isinstance(value, dict):
        for item in value.values():
            register_secret(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            register_secret(item)
    elif isinstance(value, str) and len(value) >= _MIN_SECRET_LENGTH:
        with _lock:
            _known.add(value)


@contextmanager
def secrets_kept_apart() -> Iterator[None]:
    """The secrets registered meanwhile are forgotten afterwards: one process that runs many providers' calls
    in turn (a test worker) masks in each only what that one registered."""
    with _lock:
        before = set(_known)
    try:
        yield
    finally:
        with _lock:
            _known.intersection_update(before)


def redact(text: str) -> str:
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        text = text.replace(value, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in the fully formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), None
        return True


def install_log_redaction(logger: logging.Logger) -> None:
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
