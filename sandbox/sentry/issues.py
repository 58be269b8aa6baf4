"""Issues (groups) and the events they collect: what ingestion creates (sandbox/sentry/ingest.py) and what
the API shows of it.

Grouping follows getsentry/sentry ``grouping/strategies/message.py``: events with the same message (with
numbers, hex and UUIDs normalised) share an issue, unless the event sends its own ``fingerprint``, which
then is the grouping key (``{{ default }}`` in it stands for the message). An issue's title is the first
line of the message cut at 100 characters, ``<unlabeled event>`` without one; its culprit is the event's
``culprit``, else its ``transaction``, else empty; its short id is the project slug in capitals and a
per-project counter in Sentry's base 32 (``models/group.py``, ``utils/strings.py`` base32_encode). A new
issue's priority comes from its level (``event_manager.py`` _get_priority_for_group: debug and info low,
warning medium, error and fatal high). An event for a resolved issue reopens it as regressed.

Routes: ``GET /organizations/{org}/eventids/{event_id}/`` (the event, its issue and project),
``GET``/``PUT /organizations/{org}/issues/{issue_id}/`` (detail; resolve or reopen), and the project's issue
list ``GET /projects/{org}/{project}/issues/`` (``?query=is:unresolved`` and free text on the title).
"""

import hashlib
import re
import uuid
from typing import Any

from flask import Blueprint, Response, request

from sandbox.collection import Controlled
from sandbox.sentry import environments, firing, orgs, repo
from sandbox.sentry.errors import ApiError, detail, not_found
from sandbox.sentry.web import body, json_response, paginate, route, search
from sandbox.state import sandbox

EVENTS, GROUPS = "events", "issues"
COUNTERS = "sentry.shortid"
PRIORITIES = {"debug": "low", "info": "low", "warning": "medium", "error": "high", "fatal": "high"}
LEVELS = ("debug", "info", "warning", "error", "fatal")
_BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VARIABLE = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
    r"|\b0x[0-9a-fA-F]+\b|\b[0-9a-fA-F]{16,}\b|\b\d+(?:\.\d+)?\b"
)
_EVENT_ID = re.compile(r"^[0-9a-fA-F-]{32,36}$")

routes = Blueprint("sentry_issues", __name__)

Doc = dict[str, Any]


def short_id(project: Doc, counter: int) -> str:
    digits = ""
    while True:
        counter, rest = divmod(counter, 32)
        digits = _BASE32[rest] + digits
        if counter == 0:
            return f"{project['slug'].upper()}-{digits}"


def message_of(event: Doc) -> str:
    logentry: Doc = event["logentry"] if isinstance(event.get("logentry"), dict) else {}
    text = logentry.get("formatted") or logentry.get("message") or event.get("message") or ""
    if not text and isinstance(event.get("exception"), dict):
        values = event["exception"].get("values") or []
        if values and isinstance(values[-1], dict):
            text = f"{values[-1].get('type', '')}: {values[-1].get('value', '')}".strip(": ")
    return str(text)


def title_of(message: str) -> str:
    first = message.strip().splitlines()[0] if message.strip() else ""
    return first[:100] if first else "<unlabeled event>"


def grouping_hash(event: Doc, message: str) -> str:
    normalised = _VARIABLE.sub("<var>", message)
    fingerprint = event.get("fingerprint")
    parts = (
        [normalised if str(p) == "{{ default }}" else str(p) for p in fingerprint]
        if isinstance(fingerprint, list) and fingerprint
        else [normalised]
    )
    return hashlib.md5("\x00".join(parts).encode(), usedforsecurity=False).hexdigest()


def ingest(project: Doc, event: Doc, event_id: str) -> Doc:
    """Store the event, group it, and run the project's alerts on what happened to the issue. An event id
    seen before for the project is dropped (ingest/consumer/processors.py: the ``ev:{project}:{event id}``
    deduplication key), so an SDK's resend counts once."""
    seen = next(
        (e for e in repo.find(EVENTS) if e["eventID"] == event_id and e["projectId"] == project["id"]), None
    )
    if seen is not None:
        return seen
    now = repo.now()
    environment = event.get("environment")
    if isinstance(environment, str):
        try:
            environments.add(project, environment)  # an event's environment exists from then on
        except ValueError:
            event = {**event, "environment": None}  # Relay drops an invalid environment name
    message = message_of(event)
    level = str(event["level"]) if event.get("level") in LEVELS else "error"
    key = grouping_hash(event, message)
    group = next((g for g in repo.find(GROUPS) if g["projectId"] == project["id"] and g["hash"] == key), None)
    state = "ongoing"
    if group is None:
        group = _new_group(project, event, message, level, key, now)
        state = "new"
    else:
        if group["status"] == "resolved":
            group.update(status="unresolved", substatus="regressed")
            state = "regressed"
        group["count"] += 1
        group["lastSeen"] = now
    repo.save(GROUPS, group)
    stored = {
        "id": repo.new_id(),
        "eventID": event_id,
        "groupId": group["id"],
        "projectId": project["id"],
        "message": message,
        "title": group["title"],
        "culprit": group["culprit"],
        "level": level,
        "platform": event.get("platform") or "other",
        "environment": event.get("environment"),
        "tags": event.get("tags") if isinstance(event.get("tags"), dict) else {},
        "sdk": event.get("sdk") if isinstance(event.get("sdk"), dict) else None,
        "dateReceived": now,
        "dateCreated": event.get("timestamp") if isinstance(event.get("timestamp"), str) else now,
        "type": "error" if event.get("exception") else "default",
    }
    repo.save(EVENTS, stored)
    firing.process(project, group, stored, state)
    return stored


def next_short_id(project: Doc) -> str:
    """The project's next short id (its per-project counter)."""
    store = sandbox().store
    counters: dict[str, int] = store.get_value(COUNTERS, {})
    counter = counters.get(str(project["id"]), 0) + 1
    store.set_value(COUNTERS, {**counters, str(project["id"]): counter})
    return short_id(project, counter)


def _new_group(project: Doc, event: Doc, message: str, level: str, key: str, now: str) -> Doc:
    culprit = event.get("culprit") or event.get("transaction") or ""
    return {
        "id": repo.new_id(),
        "projectId": project["id"],
        "hash": key,
        "shortId": next_short_id(project),
        "title": title_of(message),
        "culprit": str(culprit),
        "level": level,
        "priority": PRIORITIES[level],
        "status": "unresolved",
        "substatus": "new",
        "type": "error" if event.get("exception") else "default",
        "platform": event.get("platform") or "other",
        "firstSeen": now,
        "lastSeen": now,
        "count": 1,
    }


def delete(group: Doc) -> None:
    for event in repo.find(EVENTS):
        if event["groupId"] == group["id"]:
            repo.remove(EVENTS, event["id"])
    repo.remove(GROUPS, group["id"])


def group_dto(group: Doc) -> Doc:
    project = repo.get(repo.PROJECTS, group["projectId"]) or {}
    org = orgs.ORG_SLUG
    return {
        "id": str(group["id"]),
        "shareId": None,
        "shortId": group["shortId"],
        "title": group["title"],
        "culprit": group["culprit"],
        "permalink": f"https://{org}.sentry.io/issues/{group['id']}/",
        "logger": None,
        "level": group["level"],
        "status": group["status"],
        "statusDetails": {},
        "substatus": group["substatus"] if group["status"] == "unresolved" else None,
        "isPublic": False,
        "platform": group["platform"],
        "priority": group["priority"],
        "priorityLockedAt": None,
        "seerFixabilityScore": None,
        "seerAutofixLastTriggered": None,
        "seerExplorerAutofixLastTriggered": None,
        "project": {
            "id": str(group["projectId"]),
            "name": project.get("name", ""),
            "slug": project.get("slug", ""),
            "platform": project.get("platform"),
        },
        "type": group["type"],
        "issueType": group.get("issueType", "error"),
        "issueCategory": group.get("issueCategory", "error"),
        "metadata": {"title": group["title"]},
        "numComments": 0,
        "assignedTo": None,
        "isBookmarked": False,
        "isSubscribed": False,
        "subscriptionDetails": {"disabled": False},
        "hasSeen": False,
        "annotations": [],
        "isUnhandled": False,
        "count": str(group["count"]),  # a string in Sentry's serializer
        "userCount": 0,
        "firstSeen": group["firstSeen"],
        "lastSeen": group["lastSeen"],
        "stats": {"24h": []},
        "activity": [],
        "seenBy": [],
        "userReportCount": 0,
        "participants": [],
    }


def event_dto(event: Doc) -> Doc:
    tags = [{"key": str(k), "value": str(v)} for k, v in sorted(event["tags"].items())]
    if event.get("environment"):
        tags.append({"key": "environment", "value": str(event["environment"])})
    sdk = event.get("sdk") or {}
    return {
        "id": event["eventID"],
        "groupID": str(event["groupId"]),
        "eventID": event["eventID"],
        "projectID": str(event["projectId"]),
        "message": event["message"],
        "title": event["title"],
        "location": event["culprit"] or None,
        "culprit": event["culprit"],
        "user": None,
        "tags": tags,
        "platform": event["platform"],
        "dateReceived": event["dateReceived"],
        "dateCreated": event["dateCreated"],
        "contexts": {},
        "size": None,
        "entries": [{"type": "message", "data": {"formatted": event["message"]}}],
        "dist": None,
        "sdk": {"name": sdk.get("name"), "version": sdk.get("version")} if sdk else None,
        "context": {},
        "packages": {},
        "type": event["type"],
        "metadata": {"title": event["title"]},
        "errors": [],
        "occurrence": None,
        "_meta": {},
    }


def _group(org: str, issue_id: str) -> Doc:
    orgs.resolve(org)
    group = repo.by_id(GROUPS, issue_id)
    if group is None:
        raise not_found()
    return group


@route(routes, "/organizations/<org>/eventids/<event_id>/", "GET")
def event_by_id(org: str, event_id: str) -> Response:
    orgs.resolve(org)
    if not _EVENT_ID.match(event_id):
        raise detail(
            400,
            "Event ID must be a valid UUID hex (32-36 characters long, containing only digits, dashes, "
            "or a-f characters)",
        )
    wanted = event_id.replace("-", "").lower()
    event = next((e for e in repo.find(EVENTS) if e["eventID"] == wanted), None)
    project = repo.get(repo.PROJECTS, event["projectId"]) if event else None
    if event is None or project is None:
        raise not_found()
    return json_response(
        {
            "organizationSlug": orgs.ORG_SLUG,
            "projectSlug": project["slug"],
            "groupId": str(event["groupId"]),
            "eventId": event["eventID"],
            "event": event_dto(event),
        }
    )


@route(routes, "/organizations/<org>/issues/<issue_id>/", "GET")
def get_issue(org: str, issue_id: str) -> Response:
    return json_response(group_dto(_group(org, issue_id)))


@route(routes, "/organizations/<org>/issues/<issue_id>/", "PUT")
def update_issue(org: str, issue_id: str) -> Response:
    group = _group(org, issue_id)
    data = body()
    status = data.get("status")
    if status is not None:
        if status not in ("resolved", "unresolved", "ignored", "resolvedInNextRelease", "muted"):
            raise ApiError(400, {"status": [f'"{status}" is not a valid choice.']})
        named = {"resolvedInNextRelease": "resolved", "muted": "ignored"}
        group["status"] = named.get(status, status)
        group["substatus"] = "ongoing" if status == "unresolved" else None
        repo.save(GROUPS, group)
    return json_response(group_dto(group))


@route(routes, "/projects/<org>/<proj>/issues/", "GET")
def list_project_issues(org: str, proj: str) -> Response:
    orgs.resolve(org)
    project = repo.lookup(repo.PROJECTS, proj)
    tokens, words = search(request.args.get("query", "is:unresolved"))
    wanted = {"unresolved", "resolved", "ignored"} & set(tokens.get("is", []))
    found = [
        g
        for g in repo.find(GROUPS)
        if g["projectId"] == project["id"]
        and (not wanted or g["status"] in wanted)
        and all(w.lower() in g["title"].lower() for w in words)
    ]
    found.sort(key=lambda g: g["lastSeen"], reverse=True)
    return paginate(found, group_dto)


def _seed(data: Doc) -> Doc:
    """As if the project's SDK had sent ``event`` (its alerts run too)."""
    event: Doc = data["event"] if isinstance(data.get("event"), dict) else {}
    project = repo.seeded_in(repo.PROJECTS, data.get("project"))
    stored = ingest(project, event, str(event.get("event_id") or uuid.uuid4().hex))
    found = repo.get(GROUPS, stored["groupId"])
    assert found is not None
    return found


# Out of band (sandbox/sentry/control.py): shown as the API shows it; raised by events, never declared.
CONTROLLED = Controlled(GROUPS, group_dto, delete, names=None, create=_seed)
