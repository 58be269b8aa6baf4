"""PagerDuty control routes (``/_control/pagerduty``): no auth, never rate-limited, never counted.

::

    GET    /_control/pagerduty/<collection>          -> 200 [DTO, ...]
    POST   /_control/pagerduty/users                 {"name", "email", "time_zone"?, "role"?} -> 201 the user
                                                      (people are invited by admins, never by Lookout)
    PATCH  /_control/pagerduty/<collection>/<id>     stored fields to overwrite (an edit in the web app),
                                                      e.g. {"status": "disabled"}, {"num_loops": 2} -> 200
    DELETE /_control/pagerduty/<collection>/<id>     -> 200 {}; a service goes with its integrations
    collection: users, escalation_policies, services, integrations, maintenance_windows, schedules,
    incidents, change_events
    errors: 400/404 {"error": {"message", "code"}}
"""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.collection import Controlled, controlled, names_of
from sandbox.pagerduty import repo, users
from sandbox.pagerduty.errors import ApiError, invalid, not_found

control = Blueprint("pagerduty_control", __name__, url_prefix="/_control/pagerduty")

Doc = dict[str, Any]
# Stored fields an out-of-band edit may set, by their DTO names where those differ.
RENAMED = {"on_call_handoff_notifications": "handoff", "incident_urgency_rule": "urgency"}


def collections() -> dict[str, Controlled]:
    return controlled("sandbox.pagerduty")


def inventory() -> list[str]:
    """Names of the account's objects that a plan could make (`GET /_control/inventory`)."""
    return names_of("sandbox.pagerduty", lambda c: (c.dto(record) for record in repo.find(c.name)))


@control.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error.response()


def _collection(name: str) -> Controlled:
    if name not in collections():
        raise ApiError(404, f"Unknown collection {name}; use one of {', '.join(collections())}", 2100)
    return collections()[name]


def _body() -> Doc:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise invalid("body must be a JSON object")
    return data


@control.get("/<collection>")
def list_collection(collection: str) -> Response:
    dto = _collection(collection).dto
    return jsonify([dto(record) for record in repo.find(collection)])


@control.post("/users")
def add_user() -> tuple[Response, int]:
    return jsonify(users.dto(users.create(_body()))), 201


@control.patch("/<collection>/<pid>")
def overwrite(collection: str, pid: str) -> Response:
    dto = _collection(collection).dto
    record = repo.by_pid(collection, pid)
    if record is None:
        raise not_found()
    record.update({RENAMED.get(k, k): v for k, v in _body().items() if k not in ("id", "pid")})
    repo.save(collection, record)
    return jsonify(dto(record))


@control.delete("/<collection>/<pid>")
def delete(collection: str, pid: str) -> Response:
    remove = _collection(collection).delete
    record = repo.by_pid(collection, pid)
    if record is None:
        raise not_found()
    remove(record)
    return jsonify({})
