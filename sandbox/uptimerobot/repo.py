"""Account-scoped data access for the UptimeRobot routes."""

from typing import Any

from sandbox.app import sandbox
from sandbox.uptimerobot.accounts import FIRST_ID, VENDOR
from sandbox.uptimerobot.errors import INTEGRATION_NOT_FOUND_CODE, ApiError, not_found

MONITORS = "monitors"
CONTACTS = "alert-contacts"
INTEGRATIONS = "integrations"
WINDOWS = "maintenance-windows"
PSPS = "psps"
TAGS = "tags"

_NOT_FOUND = {
    MONITORS: lambda: not_found("Monitor"),
    CONTACTS: lambda: not_found("Alert contact"),
    INTEGRATIONS: lambda: not_found("Integration", INTEGRATION_NOT_FOUND_CODE),
    WINDOWS: lambda: not_found("Maintenance window"),
    PSPS: lambda: not_found("PSP"),
    TAGS: lambda: not_found("Tag"),
}

Doc = dict[str, Any]


def now() -> float:
    return sandbox().clock.now()


def new_id() -> int:
    return sandbox().store.next_id(VENDOR, FIRST_ID)


def find(collection: str, account_id: int) -> list[Doc]:
    return sandbox().store.find(VENDOR, collection, account_id)


def get(collection: str, account_id: int, doc_id: int) -> Doc | None:
    return sandbox().store.get(VENDOR, collection, doc_id, account_id)


def get_or_404(collection: str, account_id: int, doc_id: int) -> Doc:
    doc = get(collection, account_id, doc_id)
    if doc is None:
        raise missing(collection)
    return doc


def missing(collection: str) -> ApiError:
    """The API's 404 error for an object of ``collection``."""
    return _NOT_FOUND[collection]()


def save(collection: str, account_id: int, doc: Doc) -> Doc:
    doc["_account"] = account_id
    return sandbox().store.put(VENDOR, collection, account_id, doc)


def find_all(collection: str) -> list[Doc]:
    """Every account's documents (for the control API)."""
    return sandbox().store.find(VENDOR, collection)


def remove(collection: str, doc_id: int) -> None:
    sandbox().store.delete(VENDOR, collection, doc_id)
