"""Data access for the PagerDuty routes.

The shared store keys documents by an integer ``id``; PagerDuty's ids are 7-character strings (``PIJ90N7``),
so each record carries its sequence number as ``id`` and the public id as ``pid``. One account.
"""

import string
from typing import Any

from sandbox.clock import iso
from sandbox.pagerduty.errors import not_found
from sandbox.state import sandbox
from sandbox.store import Store

VENDOR = "pagerduty"
ACCOUNT = 1
USERS = "users"
POLICIES = "escalation_policies"
SERVICES = "services"
INTEGRATIONS = "integrations"  # {"id", "pid", "service": service pid, ...}
SCHEDULES = "schedules"
WINDOWS = "maintenance_windows"
INCIDENTS = "incidents"
CHANGES = "change_events"

Doc = dict[str, Any]
_ALPHABET = string.digits + string.ascii_uppercase


def public_id(seq: int) -> str:
    """``P`` and six base-36 characters, as PagerDuty's ids look (``PIJ90N7``)."""
    digits, n = [], seq * 7919 + 36**5  # spread so that neighbours do not look alike
    while n:
        n, r = divmod(n, 36)
        digits.append(_ALPHABET[r])
    return "P" + "".join(reversed(digits)).rjust(6, "0")[-6:]


def new_record(store: Store | None = None) -> Doc:
    seq = (store or sandbox().store).next_id(VENDOR)
    return {"id": seq, "pid": public_id(seq)}


def now() -> str:
    return iso(sandbox().clock.now())


def find(collection: str) -> list[Doc]:
    return sandbox().store.find(VENDOR, collection, ACCOUNT)


def by_pid(collection: str, pid: str) -> Doc | None:
    return next((record for record in find(collection) if record["pid"] == pid), None)


def get_or_404(collection: str, pid: str) -> Doc:
    record = by_pid(collection, pid)
    if record is None:
        raise not_found()
    return record


def save(collection: str, record: Doc, store: Store | None = None) -> Doc:
    return (store or sandbox().store).put(VENDOR, collection, ACCOUNT, record)


def remove(collection: str, record: Doc) -> None:
    sandbox().store.delete(VENDOR, collection, record["id"])
