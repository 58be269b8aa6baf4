"""Data access for the Render routes.

The shared store keys documents by an integer ``id``; Render's ids are strings (``srv-…``), so every
record carries the integer ``id`` (a sequence number, also the source of list cursors) and the Render
object or fields beside it. All records belong to the one sandbox account.
"""

import base64
import hashlib
from typing import Any

from sandbox.clock import iso
from sandbox.render.accounts import OWNER_ID, VENDOR
from sandbox.render.errors import forbidden, not_found
from sandbox.state import sandbox
from sandbox.store import Store

ACCOUNT = 1
OWNERS = "owners"
SERVICES = "services"  # {"id", "doc": service}
ENV_VARS = "env-vars"  # {"id", "serviceId", "key", "value"}
DEPLOYS = "deploys"  # {"id", "serviceId", "doc": deploy}
OWNER_NOTIFICATIONS = "owner-notifications"  # {"id", "ownerId", "slackEnabled", ...}
OVERRIDES = "notification-overrides"  # {"id", "serviceId", "previewNotificationsEnabled", ...}
OWNER_STREAMS = "owner-log-streams"  # {"id", "ownerId", "endpoint", "token", "preview"}
RESOURCE_STREAMS = "resource-log-streams"  # {"id", "resourceId", "endpoint", "token", "setting"}

Doc = dict[str, Any]


def render_id(prefix: str, seed: str) -> str:
    """A deterministic id: the prefix and 20 lowercase base32hex characters (``srv-crdnrr3h12fc706tdla0``)."""
    digest = hashlib.sha256(f"render:{seed}".encode()).digest()
    return f"{prefix}-{base64.b32hexencode(digest).decode().lower()[:20]}"


def next_seq(store: Store | None = None) -> int:
    return (store or sandbox().store).next_id(VENDOR)


def now() -> str:
    return iso(sandbox().clock.now())


def find(collection: str) -> list[Doc]:
    return sandbox().store.find(VENDOR, collection, ACCOUNT)


def save(collection: str, record: Doc, store: Store | None = None) -> Doc:
    return (store or sandbox().store).put(VENDOR, collection, ACCOUNT, record)


def remove(collection: str, seq: int) -> None:
    sandbox().store.delete(VENDOR, collection, seq)


def find_where(collection: str, **where: str | int) -> list[Doc]:
    """The records whose fields hold all these values (SQLite selects them; none is parsed in vain)."""
    return sandbox().store.find(VENDOR, collection, ACCOUNT, where=where)


def find_by(collection: str, field: str, value: str | int) -> list[Doc]:
    return find_where(collection, **{field: value})


def first_by(collection: str, field: str, value: str | int) -> Doc | None:
    return next(iter(find_by(collection, field, value)), None)


def accessible_owners() -> set[str]:
    """The workspaces the API key can see: the seeded one."""
    return {OWNER_ID}


def owner_or_404(owner_id: str) -> Doc:
    record = first_by(OWNERS, "doc.id", owner_id)
    if record is None or owner_id not in accessible_owners():
        raise not_found(owner_id)
    return record


def service_record(service_id: str) -> Doc | None:
    return first_by(SERVICES, "doc.id", service_id)


def service_or_404(service_id: str) -> Doc:
    """The service record; 404 ``not found: srv-…`` if missing, 403 if another workspace owns it."""
    record = service_record(service_id)
    if record is None:
        raise not_found(service_id)
    if record["doc"]["ownerId"] not in accessible_owners():
        raise forbidden()
    return record


def visible_services() -> list[Doc]:
    owners = accessible_owners()
    return [record for record in find(SERVICES) if record["doc"]["ownerId"] in owners]


def is_preview(service: Doc) -> bool:
    """A PR or image preview: its details name the base service as ``parentServer``."""
    return "parentServer" in service.get("serviceDetails", {})


def remove_service(record: Doc) -> None:
    """Delete a service with its env vars, notification override and log-stream override."""
    service_id = record["doc"]["id"]
    for collection, field in (
        (ENV_VARS, "serviceId"),
        (OVERRIDES, "serviceId"),
        (RESOURCE_STREAMS, "resourceId"),
    ):
        for item in find_by(collection, field, service_id):
            remove(collection, item["id"])
    remove(SERVICES, record["id"])
