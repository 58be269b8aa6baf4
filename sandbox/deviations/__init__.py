"""Where the live APIs depart from their official specs: the one table, each row with its reason and source.

The sandbox checks every request against the vendor's spec (``sandbox/contract.py``). A row here changes
that check for the requests it names (``where``: ``METHOD /path`` relative to the vendor's base URL, ``*``
matching anything; ``*`` alone: the whole document):

* ``patch`` edits the loaded spec where the document is wrong about what the live API accepts;
* ``rewrite`` turns the body into the spec's form before the check (it is handled as sent);
* ``skip`` leaves the request unchecked: the spec lacks the operation the live API still answers.

Rows with none of the three record a response-side difference: the sandbox answers as the live API does,
and the fidelity tests (``tests/sandbox/test_*_fidelity.py``) name the row when they meet it. The README's
"Fidelity" section lists this table; ``tests/unit/test_deviations.py`` keeps the two in step.
"""

from __future__ import annotations

from .base import Deviation
from .pagerduty import PAGERDUTY
from .render import RENDER
from .sentry import SENTRY
from .supabase import SUPABASE
from .uptimerobot import UPTIMEROBOT

__all__ = ["TABLE", "Deviation", "for_vendor", "named"]

TABLE: list[Deviation] = [*UPTIMEROBOT, *SENTRY, *RENDER, *PAGERDUTY, *SUPABASE]


def for_vendor(vendor: str) -> list[Deviation]:
    return [d for d in TABLE if d.vendor == vendor]


def named(key: str) -> Deviation:
    """The row `key` (tests name the deviation they meet, so a removed row fails them)."""
    return next(d for d in TABLE if d.key == key)
