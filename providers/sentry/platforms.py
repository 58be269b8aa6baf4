"""The platform ids Sentry accepts for a project, from Sentry's own list (specs/sentry-platforms.txt, with
its source in specs/SOURCES.md): an unknown platform is refused at preview, not by a 400 at `up`."""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

LIST = Path(__file__).resolve().parents[2] / "specs" / "sentry-platforms.txt"
ALSO_ACCEPTED = ("other",)  # besides the getting-started list (specs/SOURCES.md)


@cache
def platforms() -> frozenset[str]:
    return frozenset(LIST.read_text().split()) | frozenset(ALSO_ACCEPTED)


def check_platform(value: str) -> str:
    """`value` if Sentry accepts it, else a ValueError naming the closest ids."""
    if value in platforms():
        return value
    close = difflib.get_close_matches(value, sorted(platforms()), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else " (see specs/sentry-platforms.txt)"
    raise ValueError(f"'{value}' is not a Sentry platform{hint}")
