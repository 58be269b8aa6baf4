"""The nested children of monitors and alerts: update semantics (sentry.md, alerts), the audit list and
shuffled order.

On PUT a child that carries ``id`` is updated in place, one without ``id`` is created with a new id and
every existing child the body omits is deleted. An ``id`` that is not one of the object's own children of
that kind is a 400. Every create, update (when the content changed) and delete is recorded in the audit
list of the control API.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sandbox.sentry import orgs, repo
from sandbox.sentry.errors import invalid
from sandbox.state import sandbox

AUDIT_KEY = "sentry.audit"

Doc = dict[str, Any]
Build = Callable[[Doc | None, Doc, Sequence[str | int]], Doc]


@dataclass
class Changes:
    """The audit entries of one create, update or delete of a monitor or an alert."""

    kind: str  # "detector" | "workflow"
    object_id: str
    entries: list[Doc] = field(default_factory=list)

    def record(self, action: str, child: str | None = None, child_id: str | None = None) -> None:
        self.entries.append(
            {
                "object": self.kind,
                "objectId": self.object_id,
                "action": action,
                "child": child,
                "childId": child_id,
            }
        )

    def commit(self) -> None:
        store = sandbox().store
        store.set_value(AUDIT_KEY, [*store.get_value(AUDIT_KEY, []), *self.entries])


def audit_log() -> list[Doc]:
    entries: list[Doc] = sandbox().store.get_value(AUDIT_KEY, [])
    return entries


def clear_audit() -> None:
    sandbox().store.set_value(AUDIT_KEY, [])


def sync(
    changes: Changes, child: str, old: Doc | None, new: Doc, path: Sequence[str | int], build: Build
) -> Doc:
    """One child (e.g. a condition group): kept and updated if ``new`` names ``old``'s id, else replaced."""
    new_id = new.get("id")
    if new_id is not None and (old is None or str(new_id) != old["id"]):
        raise invalid((*path, "id"), f"{child} {new_id} does not belong to this {changes.kind}")
    if new_id is None:
        if old is not None:
            deleted(changes, child, old)
        return created(changes, child, build(None, new, path))
    assert old is not None
    updated = {"id": old["id"], **build(old, new, path)}
    if _own_fields(updated) != _own_fields(old):
        changes.record("updated", child, old["id"])
    return updated


def sync_list(
    changes: Changes, child: str, old: list[Doc], new: list[Doc], path: Sequence[str | int], build: Build
) -> list[Doc]:
    """A list of children: by id, updated in place; without id, created; omitted, deleted."""
    remaining = {item["id"]: item for item in old}
    result = []
    for index, item in enumerate(new):
        item_id = item.get("id")
        if item_id is not None and str(item_id) not in remaining:
            raise invalid((*path, index, "id"), f"{child} {item_id} does not belong to this {changes.kind}")
        current = remaining.pop(str(item_id)) if item_id is not None else None
        result.append(sync(changes, child, current, item, (*path, index), build))
    for item in remaining.values():
        deleted(changes, child, item)
    return result


def created(changes: Changes, child: str, doc: Doc) -> Doc:
    """Give a new child its id (its nested children were created by ``build``)."""
    doc = {"id": str(repo.new_id()), **doc}
    changes.record("created", child, doc["id"])
    return doc


def deleted(changes: Changes, child: str, doc: Doc) -> None:
    for name, nested in _nested(doc):
        for item in nested:
            changes.record("deleted", name, item["id"])
    changes.record("deleted", child, doc["id"])


_NESTED = {"conditions": "condition", "actions": "action"}


def _nested(doc: Doc) -> list[tuple[str, list[Doc]]]:
    return [(name, doc.get(key) or []) for key, name in _NESTED.items()]


def _own_fields(doc: Doc) -> Doc:
    """A child without its nested children, whose changes are recorded on their own."""
    return {key: value for key, value in doc.items() if key not in _NESTED}


def shown(doc: Doc, **overrides: Any) -> Doc:
    """A child as the API shows it: its id, its organization's id, then its fields."""
    return {"id": doc["id"], "organizationId": str(orgs.ORG_ID), **doc, **overrides}


def shuffled(items: list[Doc], seed: str) -> list[Doc]:
    """The order the real API returns children in is arbitrary (TF sorts them by id); a control setting
    turns the shuffle off. The order is fixed for one revision of one object."""
    if not orgs.settings()["shuffle"]:
        return list(items)
    order = list(items)
    random.Random(seed).shuffle(order)
    return order
