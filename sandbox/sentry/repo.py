"""Data access for the Sentry routes: the organization's documents, ids, timestamps and slug lookups.

Documents are stored much as the API shows them (camelCase, string ids for nested children); the
top-level ``id`` is an int because the shared store keys documents by integer id.
"""

import re
from typing import Any

from sandbox.clock import iso
from sandbox.sentry.errors import ApiError, not_found
from sandbox.sentry.orgs import FIRST_ID, ORG_ID, SEQUENCE, VENDOR
from sandbox.state import sandbox

TEAMS = "teams"
PROJECTS = "projects"
KEYS = "keys"
DETECTORS = "detectors"
WORKFLOWS = "workflows"
INTEGRATIONS = "integrations"
ENVIRONMENTS = "environments"

SLUG_PATTERN = re.compile(r"^(?![0-9]+$)[a-z0-9_\-]+$")

Doc = dict[str, Any]


def new_id() -> int:
    return sandbox().store.next_id(SEQUENCE, FIRST_ID)


def now() -> str:
    return iso(sandbox().clock.now())


def find(collection: str, since: tuple[str, str] | None = None) -> list[Doc]:
    return sandbox().store.find(VENDOR, collection, ORG_ID, since=since)


def get(collection: str, doc_id: int) -> Doc | None:
    return sandbox().store.get(VENDOR, collection, doc_id, ORG_ID)


def save(collection: str, doc: Doc) -> Doc:
    return sandbox().store.put(VENDOR, collection, ORG_ID, doc)


def remove(collection: str, doc_id: int) -> None:
    sandbox().store.delete(VENDOR, collection, doc_id)


def by_id(collection: str, raw: Any) -> Doc | None:
    """The document whose id is ``raw`` (an int or a numeric string), if any."""
    text = str(raw)
    return get(collection, int(text)) if text.isdigit() else None


def lookup(collection: str, id_or_slug: str) -> Doc:
    """A team or project by id or slug: a purely numeric segment is an id (sentry.md, conventions); 404 if
    missing."""
    if id_or_slug.isdigit():
        doc = get(collection, int(id_or_slug))
    else:
        doc = next((item for item in find(collection) if item["slug"] == id_or_slug), None)
    if doc is None:
        raise not_found()
    return doc


def seeded_in(collection: str, id_or_slug: Any) -> Doc:
    """The team or project an out-of-band seed names (the control API): 400 without one, 404 if unknown."""
    if id_or_slug is None:
        raise ApiError(400, {"error": f"{collection[:-1]} (slug or id) is required"})
    try:
        return lookup(collection, str(id_or_slug))
    except ApiError:
        raise ApiError(404, {"error": f"unknown {collection[:-1]} {id_or_slug}"}) from None


def project_slug(project_id: Any) -> str | None:
    """The slug of the project with this id, if there is one (names an object among its project's)."""
    project = by_id(PROJECTS, project_id)
    return project["slug"] if project else None


def slugify(name: str, limit: int) -> str:
    slug = re.sub(r"[^a-z0-9_\-]+", "-", name.lower()).strip("-")[:limit]
    return slug if slug and not slug.isdigit() else f"x-{slug}"[:limit]
