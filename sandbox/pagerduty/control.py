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

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.pagerduty import (
    changes,
    incidents,
    integrations,
    policies,
    repo,
    schedules,
    services,
    users,
    windows,
)
from sandbox.pagerduty.errors import ApiError, invalid, not_found

control = Blueprint("pagerduty_control", __name__, url_prefix="/_control/pagerduty")

Doc = dict[str, Any]
# collection -> (record -> DTO, delete with the API's clean-up)
COLLECTIONS: dict[str, tuple[Callable[[Doc], Doc], Callable[[Doc], None]]] = {
    repo.USERS: (users.dto, lambda record: repo.remove(repo.USERS, record)),
    repo.POLICIES: (policies.dto, lambda record: repo.remove(repo.POLICIES, record)),
    repo.SERVICES: (services.dto, services.delete),
    repo.INTEGRATIONS: (integrations.dto, lambda record: repo.remove(repo.INTEGRATIONS, record)),
    repo.WINDOWS: (windows.dto, lambda record: repo.remove(repo.WINDOWS, record)),
    repo.SCHEDULES: (schedules.dto, lambda record: repo.remove(repo.SCHEDULES, record)),
    repo.INCIDENTS: (incidents.dto, lambda record: repo.remove(repo.INCIDENTS, record)),
    repo.CHANGES: (changes.dto, lambda record: repo.remove(repo.CHANGES, record)),
}
# Stored fields an out-of-band edit may set, by their DTO names where those differ.
RENAMED = {"on_call_handoff_notifications": "handoff", "incident_urgency_rule": "urgency"}


@control.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error.response()


def _collection(name: str) -> tuple[Callable[[Doc], Doc], Callable[[Doc], None]]:
    if name not in COLLECTIONS:
        raise ApiError(404, f"Unknown collection {name}; use one of {', '.join(COLLECTIONS)}", 2100)
    return COLLECTIONS[name]


def _body() -> Doc:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise invalid("body must be a JSON object")
    return data


@control.get("/<collection>")
def list_collection(collection: str) -> Response:
    dto = _collection(collection)[0]
    return jsonify([dto(record) for record in repo.find(collection)])


@control.post("/users")
def add_user() -> tuple[Response, int]:
    return jsonify(users.dto(users.create(_body()))), 201


@control.patch("/<collection>/<pid>")
def overwrite(collection: str, pid: str) -> Response:
    dto = _collection(collection)[0]
    record = repo.by_pid(collection, pid)
    if record is None:
        raise not_found()
    record.update({RENAMED.get(k, k): v for k, v in _body().items() if k not in ("id", "pid")})
    repo.save(collection, record)
    return jsonify(dto(record))


@control.delete("/<collection>/<pid>")
def delete(collection: str, pid: str) -> Response:
    remove = _collection(collection)[1]
    record = repo.by_pid(collection, pid)
    if record is None:
        raise not_found()
    remove(record)
    return jsonify({})
