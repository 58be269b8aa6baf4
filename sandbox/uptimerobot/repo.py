"""Account-scoped data access for the UptimeRobot routes.

Reads lag writes (``readAfterWriteLagSeconds``, control API): for that long after a write, a read of the
object answers from a replica that has not seen it, so a new object is not found and a changed one shows
its previous version. The official provider waits for reads to settle for this reason ("stale replica
responses", uptimerobot/terraform-provider-uptimerobot CHANGELOG 1.4.0). Listings are not lagged.
"""

from typing import Any

from sandbox.state import sandbox
from sandbox.uptimerobot import accounts
from sandbox.uptimerobot.accounts import FIRST_ID, VENDOR
from sandbox.uptimerobot.errors import INTEGRATION_NOT_FOUND_CODE, ApiError, BadRequest, not_found

MONITORS = "monitors"
CONTACTS = "alert-contacts"
INTEGRATIONS = "integrations"
WINDOWS = "maintenance-windows"
PSPS = "psps"
TAGS = "tags"
GROUPS = "monitor-groups"
COMMENTS = "incident-comments"
ANNOUNCEMENTS = "psp-announcements"
RESPONSE_TIMES = "response-times"

_NOT_FOUND = {
    MONITORS: lambda: not_found("Monitor"),
    CONTACTS: lambda: not_found("Alert contact"),
    INTEGRATIONS: lambda: not_found("Integration", INTEGRATION_NOT_FOUND_CODE),
    WINDOWS: lambda: not_found("Maintenance window"),
    PSPS: lambda: not_found("PSP"),
    TAGS: lambda: not_found("Tag"),
    # The wording of these three is the sandbox's: no source shows the live messages.
    GROUPS: lambda: not_found("Monitor group"),
    COMMENTS: lambda: not_found("Comment"),
    ANNOUNCEMENTS: lambda: not_found("Announcement"),
}

Doc = dict[str, Any]


def now() -> float:
    return sandbox().clock.now()


def new_id() -> int:
    return sandbox().store.next_id(VENDOR, FIRST_ID)


def find(collection: str, account_id: int, where: dict[str, str | int] | None = None) -> list[Doc]:
    return sandbox().store.find(VENDOR, collection, account_id, where)


def count(collection: str, account_id: int) -> int:
    return sandbox().store.count(VENDOR, collection, account_id)


def get(collection: str, account_id: int, doc_id: int) -> Doc | None:
    return sandbox().store.get(VENDOR, collection, doc_id, account_id)


def contact(account_id: int, contact_id: int) -> Doc | None:
    """The alert contact or integration `contact_id` (a monitor's `assignedAlertContacts` names either)."""
    return get(CONTACTS, account_id, contact_id) or get(INTEGRATIONS, account_id, contact_id)


def get_or_404(collection: str, account_id: int, doc_id: int) -> Doc:
    doc = get(collection, account_id, doc_id)
    if doc is None:
        raise missing(collection)
    return doc


def read_or_404(collection: str, account_id: int, doc_id: int) -> Doc:
    """The object as a lagging replica shows it (see the module docstring)."""
    doc = get_or_404(collection, account_id, doc_id)
    lag = float(accounts.settings()["readAfterWriteLagSeconds"])
    if lag <= 0 or now() - float(doc.get("_writtenAt", 0)) >= lag:
        return doc
    prior = doc.get("_prior")
    if prior is None:
        raise missing(collection)
    return {**prior, "_account": account_id}


def seeded_monitor(body: Doc) -> Doc:
    """The monitor a control-API body names by id (any account's): BadRequest, or the monitor's 404."""
    monitor_id = body.get("monitor")
    if isinstance(monitor_id, bool) or not isinstance(monitor_id, int):
        raise BadRequest("monitor must be the id (a number) of a monitor")
    monitor = next((m for m in find_all(MONITORS) if m["id"] == monitor_id), None)
    if monitor is None:
        raise missing(MONITORS)
    return monitor


def missing(collection: str) -> ApiError:
    """The API's 404 error for an object of ``collection``."""
    return _NOT_FOUND[collection]()


def save(collection: str, account_id: int, doc: Doc) -> Doc:
    before = get(collection, account_id, int(doc["id"]))
    doc["_prior"] = None if before is None else {k: v for k, v in before.items() if k != "_prior"}
    doc["_writtenAt"] = now()
    doc["_account"] = account_id
    return sandbox().store.put(VENDOR, collection, account_id, doc)


def find_all(collection: str) -> list[Doc]:
    """Every account's documents (for the control API)."""
    return sandbox().store.find(VENDOR, collection)


def remove(collection: str, doc_id: int) -> None:
    sandbox().store.delete(VENDOR, collection, doc_id)
