"""Monitors = detectors (docs/vendors/sentry.md, monitors): metric monitors through the API, plus the
``error`` and ``issue_stream``
monitors Sentry creates with every project (which the API can read and link alerts to, but not change).

A monitor's ``workflowIds`` are the alerts whose ``detectorIds`` name it; both sides edit the same links.
"""

from typing import Any

from flask import request

from sandbox.collection import Args, Collection, Controlled
from sandbox.sentry import children, detector_rules, orgs, owners, repo
from sandbox.sentry.children import Changes, sync, sync_list
from sandbox.sentry.errors import forbidden, invalid, not_found
from sandbox.sentry.web import arg_values, matches_words, search

SYSTEM_NAMES = {"error": "Error Monitor", "issue_stream": "Issue Stream"}
QUERY_DEFAULTS: dict[str, Any] = {
    "dataset": "events",
    "query": "",
    "aggregate": "count()",
    "timeWindow": 3600,
    "environment": None,
    "eventTypes": ["error", "default"],
    "extrapolationMode": "unknown",
}

Doc = dict[str, Any]


def dto(detector: Doc) -> Doc:
    seed = f"{detector['id']}:{detector['_revision']}"
    group = detector["conditionGroup"]
    sources = detector["dataSources"]
    return {
        "id": str(detector["id"]),
        "projectId": detector["projectId"],
        "name": detector["name"],
        "description": detector["description"],
        "type": detector["type"],
        "workflowIds": linked_workflows(detector),
        "owner": owners.expand(detector["owner"]),
        "createdBy": detector["createdBy"],
        "dateCreated": detector["dateCreated"],
        "dateUpdated": detector["dateUpdated"],
        "dataSources": None if sources is None else [children.shown(source) for source in sources],
        "conditionGroup": None
        if group is None
        else children.shown(group, conditions=children.shuffled(group["conditions"], seed)),
        "config": detector["config"],
        "enabled": detector["enabled"],
        "latestGroup": None,
    }


def linked_workflows(detector: Doc) -> list[str]:
    detector_id = str(detector["id"])
    return [str(w["id"]) for w in repo.find(repo.WORKFLOWS) if detector_id in w["detectorIds"]]


def create(
    project: Doc, data: Doc, *, checked: bool = True, created_by: str | None = str(orgs.USER_ID)
) -> Doc:
    clean = detector_rules.validate(data) if checked else data
    now = repo.now()
    detector: Doc = {
        "id": repo.new_id(),
        "projectId": str(project["id"]),
        "name": clean.get("name", ""),
        "description": clean.get("description"),
        "type": clean.get("type", detector_rules.METRIC),
        "owner": clean.get("owner"),
        "createdBy": created_by,
        "dateCreated": now,
        "dateUpdated": now,
        "enabled": clean.get("enabled", True),
        "config": clean.get("config", {}),
        "dataSources": None,
        "conditionGroup": None,
        "_revision": 0,
    }
    changes = Changes("detector", str(detector["id"]))
    changes.record("created")
    _apply(detector, clean, changes)
    repo.save(repo.DETECTORS, detector)
    changes.commit()
    return detector


def system_detector(project: Doc, kind: str) -> Doc:
    return create(project, {"name": SYSTEM_NAMES[kind], "type": kind}, checked=False, created_by=None)


def update(detector: Doc, data: Doc) -> Doc:
    clean = detector_rules.validate(data, existing=detector)
    changes = Changes("detector", str(detector["id"]))
    _apply(detector, clean, changes)
    detector["dateUpdated"] = repo.now()
    detector["_revision"] += 1
    changes.record("updated")
    repo.save(repo.DETECTORS, detector)
    changes.commit()
    return detector


def delete(detector: Doc) -> None:
    changes = Changes("detector", str(detector["id"]))
    for source in detector["dataSources"] or []:
        children.deleted(changes, "dataSource", source)
    if detector["conditionGroup"] is not None:
        children.deleted(changes, "conditionGroup", detector["conditionGroup"])
    changes.record("deleted")
    _link(detector, [])
    repo.remove(repo.DETECTORS, detector["id"])
    changes.commit()


def _apply(detector: Doc, clean: Doc, changes: Changes) -> None:
    for key in ("name", "description", "owner", "enabled", "config"):
        if key in clean:
            detector[key] = clean[key]
    if "dataSources" in clean:
        old = detector["dataSources"] or []
        detector["dataSources"] = sync_list(
            changes, "dataSource", old, clean["dataSources"], ("dataSources",), _source
        )
    if "conditionGroup" in clean:
        group = clean["conditionGroup"]
        detector["conditionGroup"] = sync(
            changes, "conditionGroup", detector["conditionGroup"], group, ("conditionGroup",), _group(changes)
        )
    if "workflowIds" in clean:
        _link(detector, clean["workflowIds"])


def _source(old: Doc | None, new: Doc, path: Any) -> Doc:
    """A snuba query subscription; an updated one keeps its subscription and query ids."""
    query = {key: new.get(key, default) for key, default in QUERY_DEFAULTS.items()}
    source_id = old["sourceId"] if old else str(repo.new_id())
    query_id = old["queryObj"]["snubaQuery"]["id"] if old else str(repo.new_id())
    return {
        "type": "snuba_query_subscription",
        "sourceId": source_id,
        "queryObj": {
            "id": source_id,
            "status": 0,
            "subscription": None,
            "snubaQuery": {"id": query_id, **query},
        },
    }


def _group(changes: Changes) -> children.Build:
    def build(old: Doc | None, new: Doc, path: Any) -> Doc:
        conditions = sync_list(
            changes,
            "condition",
            (old or {}).get("conditions", []),
            new.get("conditions", []),
            (*path, "conditions"),
            _condition,
        )
        return {"logicType": new.get("logicType", "any"), "conditions": conditions, "actions": []}

    return build


def _condition(old: Doc | None, new: Doc, path: Any) -> Doc:
    return {
        "type": new.get("type"),
        "comparison": new.get("comparison"),
        "conditionResult": new.get("conditionResult"),
    }


def _link(detector: Doc, workflow_ids: list[str]) -> None:
    """Make exactly ``workflow_ids`` the alerts linked to ``detector``."""
    detector_id, wanted_ids = str(detector["id"]), {str(i) for i in workflow_ids}
    for workflow in repo.find(repo.WORKFLOWS):
        linked = detector_id in workflow["detectorIds"]
        wanted = str(workflow["id"]) in wanted_ids
        if linked != wanted:
            ids = workflow["detectorIds"]
            workflow["detectorIds"] = [*ids, detector_id] if wanted else [i for i in ids if i != detector_id]
            repo.save(repo.WORKFLOWS, workflow)


def project_filter() -> set[str] | None:
    """The project ids of ``?project=`` (ids or slugs); 403 for a project the caller cannot see."""
    wanted = arg_values("project")
    if not wanted:
        return None
    projects = {str(p["id"]): p for p in repo.find(repo.PROJECTS)}
    by_slug = {p["slug"]: str(p["id"]) for p in projects.values()}
    ids = {value if value in projects else by_slug.get(value, "") for value in wanted}
    if "" in ids or not ids <= projects.keys():
        raise forbidden()
    return ids


def id_filter() -> set[str] | None:
    ids = arg_values("id")
    for value in ids:
        if not value.isdigit():
            raise invalid(("id",), "A valid integer is required.")
    return set(ids) or None


def _matches(detector: Doc, projects: set[str] | None, ids: set[str] | None) -> bool:
    tokens, words = search(request.args.get("query"))
    if projects is not None and detector["projectId"] not in projects:
        return False
    if ids is not None and str(detector["id"]) not in ids:
        return False
    if "type" in tokens and detector["type"] not in tokens["type"]:
        return False
    if "name" in tokens and not any(matches_words([n], detector["name"]) for n in tokens["name"]):
        return False
    return matches_words(words, detector["name"])


def _get(detector_id: str) -> Doc:
    found = repo.by_id(repo.DETECTORS, detector_id)
    if found is None:
        raise not_found()
    return found


def _editable(detector_id: str) -> Doc:
    found = _get(detector_id)
    if found["type"] in detector_rules.SYSTEM_TYPES:
        raise forbidden()
    return found


def _listed(args: Args) -> list[Doc]:
    projects, ids = project_filter(), id_filter()
    return [d for d in repo.find(repo.DETECTORS) if _matches(d, projects, ids)]


COLLECTION = Collection(
    "detectors",
    "/organizations/<org>/detectors/",
    "/organizations/<org>/detectors/<id>/",
    records=_listed,
    load=lambda args: _get(args["id"]),
    edit=lambda args: _editable(args["id"]),
    dto=lambda args: dto,
    create=lambda args, data: create(args["parent"], data),
    parent=lambda args: repo.lookup(repo.PROJECTS, args["proj"]),
    create_at="/organizations/<org>/projects/<proj>/detectors/",
    update=lambda args, record, data: update(record, data),
    delete=lambda args, record: delete(record),
    update_method="PUT",
)


# Out of band (sandbox/sentry/control.py): shown as the API shows it; seeded without validation.
def _names(view: Doc) -> list[str]:
    """A monitor by its project, type and name; the system monitors come with their project (one each),
    never from a plan."""
    if view["type"] in detector_rules.SYSTEM_TYPES:
        return []
    return [f"{repo.project_slug(view.get('projectId'))} {view['type']} {view['name']}"]


CONTROLLED = Controlled(
    repo.DETECTORS,
    dto,
    delete,
    names=_names,
    create=lambda data: create(
        repo.seeded_in(repo.PROJECTS, data.get("project", data.get("projectId"))), data, checked=False
    ),
)
