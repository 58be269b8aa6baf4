"""UptimeRobot control routes (``/_control/uptimerobot``): settings, accounts and out-of-band data.

Seeding, editing and deleting here bypass validation, business rules, rate limits and request counters.

Downtime periods behind ``GET /monitors/{id}/stats/uptime`` and ``GET /monitors/uptime-stats`` (bodies,
answers: sandbox/uptimerobot/stats.py)::

    POST   /_control/uptimerobot/outages  {"monitor": id, "start": ISO 8601, "end": ISO 8601 | null} -> 201
    GET    /_control/uptimerobot/outages  -> 200 [{"id", "monitor", "start", "end"}, ...]
    DELETE /_control/uptimerobot/outages  -> 200 []

Response times behind ``GET /monitors/{id}/stats/response-time[/all]``, as the checks record them
(bodies, answers: sandbox/uptimerobot/response_times.py)::

    POST   /_control/uptimerobot/response-times  {"monitor": id, "at": ISO 8601, "ms": n, "regions"?} -> 201
    GET    /_control/uptimerobot/response-times  -> 200 [{"id", "monitor", "at", "ms", "regions"}, ...]
    DELETE /_control/uptimerobot/response-times  -> 200 []

Collections seeded through ``/_control/uptimerobot/<collection>`` besides the API's own (monitors,
alert-contacts, integrations, maintenance-windows, psps): ``monitor-groups`` (groups.py),
``incident-comments`` (comments.py) and ``psp-announcements`` (announcements.py), whose modules document the
bodies; the sandbox does not serve the API's writes of these yet.
"""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.collection import Controlled, controlled, names_of
from sandbox.state import sandbox
from sandbox.uptimerobot import accounts, repo, response_times, stats
from sandbox.uptimerobot.accounts import Account
from sandbox.uptimerobot.errors import ApiError, BadRequest

Doc = dict[str, Any]

control = Blueprint("uptimerobot_control", __name__, url_prefix="/_control/uptimerobot")


def collections() -> dict[str, Controlled]:
    return controlled("sandbox.uptimerobot")


def inventory() -> list[str]:
    """Names of every account's objects that a plan could make (`GET /_control/inventory`)."""
    return names_of(
        "sandbox.uptimerobot",
        lambda c: (c.dto(record, record["_account"]) for record in repo.find_all(c.name)),
    )


@control.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error.response()


@control.errorhandler(BadRequest)
def _bad_request(error: BadRequest) -> Response:
    return error.response()


def _body() -> Doc:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def _account() -> Account:
    """``?apiKey=`` selects the account; the default account otherwise."""
    store = sandbox().store
    key = request.args.get("apiKey")
    account = accounts.by_key(store, key) if key else Account.from_doc(accounts.default_account_doc(store))
    if account is None:
        raise ApiError(404, "Account not found", "000-004")
    return account


def _collection(name: str) -> Controlled:
    if name not in collections():
        raise ApiError(404, f"Unknown collection {name}; use one of {', '.join(collections())}", "000-004")
    return collections()[name]


@control.get("/settings")
def get_settings() -> Response:
    return jsonify(accounts.settings_view())


@control.put("/settings")
def put_settings() -> Response:
    try:
        return jsonify(accounts.update_settings(_body()))
    except ValueError as error:
        raise BadRequest(str(error)) from None


@control.post("/accounts")
def add_account() -> tuple[Response, int]:
    body = _body()
    try:
        doc = accounts.create_account(
            sandbox().store,
            str(body.get("apiKey", "")),
            str(body.get("plan", "free")),
            str(body.get("email", "")),
        )
    except ValueError as error:
        raise BadRequest(str(error)) from None
    return jsonify(doc), 201


@control.get("/outages")
def list_outages() -> Response:
    return jsonify([stats.outage_view(outage) for outage in stats.all_outages()])


@control.post("/outages")
def add_outage() -> tuple[Response, int]:
    return jsonify(stats.outage_view(stats.add_outage(_body()))), 201


@control.delete("/outages")
def clear_outages() -> Response:
    stats.clear_outages()
    return jsonify([])


@control.get("/response-times")
def list_response_times() -> Response:
    return jsonify([response_times.view(sample) for sample in response_times.all_samples()])


@control.post("/response-times")
def add_response_time() -> tuple[Response, int]:
    return jsonify(response_times.view(response_times.add(_body()))), 201


@control.delete("/response-times")
def clear_response_times() -> Response:
    response_times.clear()
    return jsonify([])


@control.get("/<collection>")
def list_collection(collection: str) -> Response:
    to_dto = _collection(collection).dto
    return jsonify([to_dto(record, record["_account"]) for record in repo.find_all(collection)])


@control.post("/<collection>")
def seed(collection: str) -> tuple[Response, int]:
    controlled = _collection(collection)
    if controlled.create is None:
        raise ApiError(405, f"{collection} are not seeded out of band", "000-004")
    account = _account()
    record = controlled.create(account, _body(), checked=False)
    return jsonify(controlled.dto(record, account.id)), 201


@control.patch("/<collection>/<int:doc_id>")
def overwrite(collection: str, doc_id: int) -> Response:
    """Overwrite stored fields as they are named in the DTO (read-time rules such as escaping still apply)."""
    to_dto = _collection(collection).dto
    record = _find(collection, doc_id)
    record.update(_body())
    repo.save(collection, record["_account"], record)
    return jsonify(to_dto(record, record["_account"]))


@control.delete("/<collection>/<int:doc_id>")
def delete(collection: str, doc_id: int) -> Response:
    remove = _collection(collection).delete
    record = _find(collection, doc_id)
    remove(record["_account"], doc_id)
    return jsonify({})


def _find(collection: str, doc_id: int) -> Doc:
    record = next((doc for doc in repo.find_all(collection) if doc["id"] == doc_id), None)
    if record is None:
        raise repo.missing(collection)
    return record
