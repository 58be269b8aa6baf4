"""The one way commands speak: results to stdout (what a pipe or a CI step captures), problems and progress
to stderr. Provider code speaks through transport/notice.py instead."""

from __future__ import annotations

import sys


def result(text: object) -> None:
    """What the command produces: a report, a table, a path."""
    print(text, flush=True)


def problem(text: object) -> None:
    """An expected failure or a warning, in one message naming what to fix."""
    print(text, file=sys.stderr, flush=True)


def progress(text: str) -> None:
    """What is going on meanwhile (streamed `pulumi` output arrives with its own line endings)."""
    print(text, end="" if text.endswith("\n") else "\n", file=sys.stderr, flush=True)
