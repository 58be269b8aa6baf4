"""Sentry control routes (``/_control/sentry``): no auth, never rate-limited, never counted.

::

    GET    /_control/sentry/settings      -> 200 {"rateLimit", "rateWindow", "concurrentLimit", "shuffle",
                                           "features", "dashboardLimit", "prebuiltDashboards"}
    PUT    /_control/sentry/settings      partial {"rateLimit": int|null (null: 40), "rateWindow": 1-60 s,
                                           "concurrentLimit": int, "shuffle": bool,
                                           "features": ["projects:rate-limits", ...],
                                           "dashboardLimit": int (-1: none; 20, the Team plan's),
                                           "prebuiltDashboards": bool} -> 200 as GET
                                           (sandbox/sentry/dashboards.py)
    GET    /_control/sentry/environments  -> 200 [{"id", "name", "projects": [project ids]}]
    POST   /_control/sentry/environments  {"project": slug|id, "name"} -> 201 the environment: events with
                                           that environment arrived for the project, so it now exists for
                                           the project and the organization
    GET    /_control/sentry/audit         -> 200 [{"object": "detector"|"workflow", "objectId",
                                           "action": "created"|"updated"|"deleted", "child": null|
                                           "dataSource"|"conditionGroup"|"condition"|"actionFilter"|"action",
                                           "childId"}]
                                           (API changes only; an update of a child is recorded when its
                                           content changed; an update of the object on every PUT)
    DELETE /_control/sentry/audit         -> 200 []
    POST   /_control/sentry/spans         {"project": slug|id, "count": n, "timestamp"?, "failed"?,
                                           "duration_ms"?, "op"?, "transaction"?, "is_transaction"?,
                                           "environment"?} -> 201 the batch: n spans that arrived for the
                                           project, behind GET /organizations/{org}/events/?dataset=spans
                                           (bodies, defaults and answers: sandbox/sentry/stats.py)
    GET    /_control/sentry/spans         -> 200 [batch, ...]
    DELETE /_control/sentry/spans         -> 200 []
    GET    /_control/sentry/<collection>            -> 200 [DTO, ...] (the API's shapes; projects detailed)
    POST   /_control/sentry/<collection>            API-shaped body -> 201 DTO; no validation, no plan gates;
                                                     projects also need "team" (slug|id) and get the same
                                                     side effects as in the API; keys and detectors need
                                                     "project" (slug|id)
    PATCH  /_control/sentry/<collection>/<id>       deep merge into the stored document -> 200 DTO: objects
                                                     merge key by key, lists of objects with "id" merge item
                                                     by id (e.g. {"conditionGroup": {"conditions":
                                                     [{"id": "7", "comparison": 5}]}} changes one condition,
                                                     as an edit in Sentry's UI would); other values replace
    DELETE /_control/sentry/<collection>/<id>       -> 200 {}; with the API's clean-up (a project's keys
                                                     and monitors, a monitor's alert links)
    collection: teams, projects, keys (id: the public key), detectors, workflows, integrations, dashboards
                (PATCH {"widgets": [{"id": "9", "queries": [{"id": "10", "conditions": ""}]}]} edits one
                widget's query, as a save in Sentry's UI would), issues
                (POST {"project": slug|id, "event": {...}}: as if the project's SDK sent the event, alerts
                included; DELETE takes the issue's events with it)
    errors: 400/404 {"error": "..."}

Out-of-band changes bypass validation, rate limits, request counters and the audit list.
"""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.collection import Controlled, controlled, names_of
from sandbox.sentry import children, environments, orgs, repo, stats
from sandbox.sentry.errors import ApiError

control = Blueprint("sentry_control", __name__, url_prefix="/_control/sentry")

Doc = dict[str, Any]


def collections() -> dict[str, Controlled]:
    return controlled("sandbox.sentry")


def inventory() -> list[str]:
    """Names of the account's objects that a plan could make (`GET /_control/inventory`)."""
    return names_of("sandbox.sentry", lambda c: (c.dto(doc) for doc in repo.find(c.name)))


@control.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error.response()


def _error(status: int, message: str) -> ApiError:
    return ApiError(status, {"error": message})


def _body() -> Doc:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise _error(400, "body must be a JSON object")
    return data


def _collection(name: str) -> Controlled:
    if name not in collections():
        raise _error(404, f"unknown collection {name}; use one of {', '.join(collections())}")
    return collections()[name]


def _find(collection: str, doc_id: str) -> Doc:
    if collection == repo.KEYS:
        found = next((key for key in repo.find(repo.KEYS) if key["public"] == doc_id), None)
    else:
        found = repo.by_id(collection, doc_id)
    if found is None:
        raise _error(404, f"no {collection[:-1]} {doc_id}")
    return found


def merge(target: Doc, changes: Doc) -> None:
    """Deep-merge ``changes`` into ``target``: lists of objects with ids merge item by id."""
    for key, value in changes.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merge(current, value)
        elif isinstance(value, list) and isinstance(current, list) and _all_have_ids(value):
            items = {str(item.get("id")): item for item in current if isinstance(item, dict)}
            for item in value:
                if str(item["id"]) in items:
                    merge(items[str(item["id"])], item)
                else:
                    current.append(item)
        else:
            target[key] = value


def _all_have_ids(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) and "id" in item for item in items)


@control.get("/settings")
def get_settings() -> Response:
    return jsonify(orgs.settings())


@control.put("/settings")
def put_settings() -> Response:
    try:
        return jsonify(orgs.update_settings(_body()))
    except ValueError as error:
        raise _error(400, str(error)) from None


@control.get("/environments")
def list_environments() -> Response:
    return jsonify([_environment_view(env) for env in repo.find(repo.ENVIRONMENTS)])


@control.post("/environments")
def add_environment() -> tuple[Response, int]:
    data = _body()
    project = repo.seeded_in(repo.PROJECTS, data.get("project"))
    try:
        environment = environments.add(project, str(data.get("name") or ""))
    except ValueError as error:
        raise _error(400, str(error)) from None
    return jsonify(_environment_view(environment)), 201


def _environment_view(environment: Doc) -> Doc:
    projects_ids = [str(project_id) for project_id in environment["projects"]]
    return {"id": str(environment["id"]), "name": environment["name"], "projects": projects_ids}


@control.get("/audit")
def get_audit() -> Response:
    return jsonify(children.audit_log())


@control.delete("/audit")
def clear_audit() -> Response:
    children.clear_audit()
    return jsonify([])


@control.get("/spans")
def list_spans() -> Response:
    return jsonify([stats.batch_view(batch) for batch in stats.batches()])


@control.post("/spans")
def add_spans() -> tuple[Response, int]:
    data = _body()
    project = repo.seeded_in(repo.PROJECTS, data.get("project"))
    try:
        batch = stats.add_batch(project, data)
    except ValueError as error:
        raise _error(400, str(error)) from None
    return jsonify(stats.batch_view(batch)), 201


@control.delete("/spans")
def clear_spans() -> Response:
    stats.clear_batches()
    return jsonify([])


@control.get("/<collection>")
def list_collection(collection: str) -> Response:
    to_dto = _collection(collection).dto
    return jsonify([to_dto(doc) for doc in repo.find(collection)])


@control.post("/<collection>")
def seed(collection: str) -> tuple[Response, int]:
    controlled = _collection(collection)
    if controlled.create is None:
        raise _error(405, f"{collection} are not seeded out of band")
    return jsonify(controlled.dto(controlled.create(_body()))), 201


@control.patch("/<collection>/<doc_id>")
def overwrite(collection: str, doc_id: str) -> Response:
    to_dto = _collection(collection).dto
    doc = _find(collection, doc_id)
    changes = {key: value for key, value in _body().items() if key != "id"}
    merge(doc, changes)
    if "_revision" in doc:  # a monitor or alert edited in the UI: a new revision
        doc["_revision"] += 1
        doc["dateUpdated"] = repo.now()
    return jsonify(to_dto(repo.save(collection, doc)))


@control.delete("/<collection>/<doc_id>")
def delete(collection: str, doc_id: str) -> Response:
    remove = _collection(collection).delete
    remove(_find(collection, doc_id))
    return jsonify({})
