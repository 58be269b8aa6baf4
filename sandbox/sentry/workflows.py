"""Alerts = workflows (docs/vendors/sentry.md, alerts): triggers, action filters with their actions, and
links to monitors."""

from typing import Any

from flask import request

from sandbox.collection import Args, Collection, Controlled
from sandbox.sentry import children, detectors, firing, orgs, repo, workflow_rules
from sandbox.sentry.children import Changes, sync, sync_list
from sandbox.sentry.errors import not_found
from sandbox.sentry.web import matches_words, search

DEFAULT_NAME = "Send a notification for high priority issues"

Doc = dict[str, Any]


def dto(workflow: Doc) -> Doc:
    seed = f"{workflow['id']}:{workflow['_revision']}"
    triggers = workflow["triggers"]
    filters = [
        children.shown(
            group,
            conditions=children.shuffled(group["conditions"], f"{seed}:{group['id']}:conditions"),
            actions=children.shuffled(group["actions"], f"{seed}:{group['id']}:actions"),
        )
        for group in workflow["actionFilters"]
    ]
    return {
        "id": str(workflow["id"]),
        "name": workflow["name"],
        "organizationId": str(orgs.ORG_ID),
        "createdBy": workflow["createdBy"],
        "dateCreated": workflow["dateCreated"],
        "dateUpdated": workflow["dateUpdated"],
        "triggers": children.shown(
            triggers, conditions=children.shuffled(triggers["conditions"], f"{seed}:triggers")
        ),
        "actionFilters": children.shuffled(filters, f"{seed}:filters"),
        "environment": workflow["environment"],
        "config": workflow["config"],
        "detectorIds": workflow["detectorIds"],
        "enabled": workflow["enabled"],
        "lastTriggered": firing.last_triggered(workflow["id"]),
        "owner": workflow["owner"],
    }


def create(data: Doc, *, checked: bool = True, created_by: str | None = str(orgs.USER_ID)) -> Doc:
    clean = workflow_rules.validate(data, creating=True) if checked else data
    now = repo.now()
    workflow: Doc = {
        "id": repo.new_id(),
        "name": clean.get("name", ""),
        "createdBy": created_by,
        "dateCreated": now,
        "dateUpdated": now,
        "triggers": None,
        "actionFilters": [],
        "environment": clean.get("environment"),
        "config": clean.get("config", {"frequency": 30}),
        "detectorIds": [str(i) for i in clean.get("detectorIds", [])],
        "enabled": clean.get("enabled", True),
        "owner": clean.get("owner"),
        "_revision": 0,
    }
    changes = Changes("workflow", str(workflow["id"]))
    changes.record("created")
    _apply(workflow, {"triggers": {"logicType": "any-short"}, **clean}, changes)
    repo.save(repo.WORKFLOWS, workflow)
    changes.commit()
    return workflow


def default_alert(error_detector: Doc) -> Doc:
    """The alert ``default_rules`` creates with a project: e-mail the suggested assignees of high
    priority issues."""
    email = {
        "type": "email",
        "data": {"fallthroughType": "ActiveMembers"},
        "config": {"targetType": "issue_owners", "targetDisplay": None, "targetIdentifier": None},
    }
    high = [
        {"type": kind, "comparison": True, "conditionResult": True}
        for kind in ("new_high_priority_issue", "existing_high_priority_issue")
    ]
    body = {
        "name": DEFAULT_NAME,
        "config": {"frequency": 30},
        "detectorIds": [str(error_detector["id"])],
        "triggers": {"logicType": "any-short", "conditions": high},
        "actionFilters": [{"logicType": "all", "conditions": [], "actions": [email]}],
    }
    return create(body, checked=False, created_by=None)


def update(workflow: Doc, data: Doc) -> Doc:
    clean = workflow_rules.validate(data, creating=False)
    changes = Changes("workflow", str(workflow["id"]))
    _apply(workflow, clean, changes)
    workflow["dateUpdated"] = repo.now()
    workflow["_revision"] += 1
    changes.record("updated")
    repo.save(repo.WORKFLOWS, workflow)
    changes.commit()
    return workflow


def delete(workflow: Doc) -> None:
    changes = Changes("workflow", str(workflow["id"]))
    children.deleted(changes, "conditionGroup", workflow["triggers"])
    for group in workflow["actionFilters"]:
        children.deleted(changes, "actionFilter", group)
    changes.record("deleted")
    repo.remove(repo.WORKFLOWS, workflow["id"])
    changes.commit()


def _apply(workflow: Doc, clean: Doc, changes: Changes) -> None:
    for key in ("name", "enabled", "owner", "environment", "config", "detectorIds"):
        if key in clean:
            workflow[key] = clean[key]
    if "triggers" in clean:
        build = _group(changes, with_actions=False)
        workflow["triggers"] = sync(
            changes, "conditionGroup", workflow["triggers"], clean["triggers"], ("triggers",), build
        )
    if "actionFilters" in clean:
        build = _group(changes, with_actions=True)
        old = workflow["actionFilters"]
        workflow["actionFilters"] = sync_list(
            changes, "actionFilter", old, clean["actionFilters"], ("actionFilters",), build
        )


def _group(changes: Changes, with_actions: bool) -> children.Build:
    def build(old: Doc | None, new: Doc, path: Any) -> Doc:
        previous = old or {}
        conditions = sync_list(
            changes,
            "condition",
            previous.get("conditions", []),
            new.get("conditions", []),
            (*path, "conditions"),
            _condition,
        )
        actions = []
        if with_actions:
            actions = sync_list(
                changes,
                "action",
                previous.get("actions", []),
                new.get("actions", []),
                (*path, "actions"),
                _action,
            )
        return {"logicType": new.get("logicType", "all"), "conditions": conditions, "actions": actions}

    return build


def _condition(old: Doc | None, new: Doc, path: Any) -> Doc:
    return {
        "type": new.get("type"),
        "comparison": new.get("comparison", True),
        "conditionResult": new.get("conditionResult", True),
    }


def _action(old: Doc | None, new: Doc, path: Any) -> Doc:
    return {
        "type": new.get("type"),
        "integrationId": new.get("integrationId"),
        "data": new.get("data", {}),
        "config": new.get("config", {}),
        "status": new.get("status", "active"),
    }


def _matches(workflow: Doc, projects: set[str] | None, ids: set[str] | None) -> bool:
    tokens, words = search(request.args.get("query"))
    if ids is not None and str(workflow["id"]) not in ids:
        return False
    if projects is not None:
        linked = [repo.by_id(repo.DETECTORS, detector_id) for detector_id in workflow["detectorIds"]]
        if not any(d is not None and d["projectId"] in projects for d in linked):
            return False
    if "name" in tokens and not any(matches_words([n], workflow["name"]) for n in tokens["name"]):
        return False
    return matches_words(words, workflow["name"])


def _get(workflow_id: str) -> Doc:
    found = repo.by_id(repo.WORKFLOWS, workflow_id)
    if found is None:
        raise not_found()
    return found


def _listed(args: Args) -> list[Doc]:
    projects, ids = detectors.project_filter(), detectors.id_filter()
    return [w for w in repo.find(repo.WORKFLOWS) if _matches(w, projects, ids)]


COLLECTION = Collection(
    "workflows",
    "/organizations/<org>/workflows/",
    "/organizations/<org>/workflows/<id>/",
    records=_listed,
    load=lambda args: _get(args["id"]),
    dto=lambda args: dto,
    create=lambda args, data: create(data),
    update=lambda args, record, data: update(record, data),
    delete=lambda args, record: delete(record),
    update_method="PUT",
)


# Out of band (sandbox/sentry/control.py): shown as the API shows it; seeded without validation.
CONTROLLED = Controlled(
    repo.WORKFLOWS,
    dto,
    delete,
    names=lambda view: [view["name"]],
    create=lambda data: create(data, checked=False),
)
