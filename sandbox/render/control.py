"""Render control routes (``/_control/render``): no auth, never rate-limited, never counted.

::

    GET    /_control/render/settings             -> 200 {"serviceRateLimit": 10, "writeRateLimit": 30,
                                                  "readRateLimit": 400}
    PUT    /_control/render/settings             partial, each a positive int or null (null: the default)
                                                  -> 200 as GET. Classes: serviceRateLimit = PATCH
                                                  /services/{id}, POST …/deploys, …/suspend, …/resume per
                                                  service; writeRateLimit = other POST/PUT/PATCH/DELETE per
                                                  key; readRateLimit = GET per key; windows of 60 s
    GET    /_control/render/services             -> 200 [service, ...]: every service, previews and other
                                                  workspaces' included
    POST   /_control/render/services             {"name", "type"? = web_service, "runtime"? = python,
                                                  "ownerId"?, "parentServer"? {id, name} (makes a preview),
                                                  any service field, "serviceDetails"? partial}
                                                  -> 201 the service (spec-complete defaults for its type)
    PATCH  /_control/render/services/<id>        deep merge into the service, e.g. {"serviceDetails":
                                                  {"healthCheckPath": "/x"}} or {"suspended": "suspended",
                                                  "suspenders": ["user"]}; objects merge key by key, other
                                                  values replace; updatedAt moves unless given -> 200 service
    DELETE /_control/render/services/<id>        -> 200 {}; with its env vars and overrides
    GET    /_control/render/services/<id>/env-vars          -> 200 [{"key", "value"}] in API order
    PUT    /_control/render/services/<id>/env-vars/<key>    {"value"} -> 200 {"key", "value"}
    DELETE /_control/render/services/<id>/env-vars/<key>    -> 200 {}
    GET    /_control/render/deploys              -> 200 [{"serviceId", "id", "createdAt", "trigger"}]: every
                                                  deploy created through the API, oldest first
    PUT    /_control/render/builds               {"serviceId": id|name, "fails": bool} -> 200 the same:
                                                  whether the service's next builds fail (the sandbox
                                                  builds no code; sandbox/render/runtime.py)
    GET    /_control/render/events               -> 200 [event, ...]: every service event, oldest first
    PUT    /_control/render/usage                {"serviceId": id|name, "cpu"?: cores, "memory"?: bytes,
                                                  "cpuPercent"?, "memoryPercent"?: of its instance's limit}
                                                  -> 200 {"serviceId", "cpu", "memory"}: what the service
                                                  uses from now on (sandbox/render/metrics.py)
    GET    /_control/render/notification-overrides  -> 200 [{"serviceId", "previewNotificationsEnabled",
                                                  "notificationsToSend"}]: overrides ever PATCHed (services
                                                  never overridden still answer "default" in the API)
    GET    /_control/render/owner-notifications  -> 200 the owner settings (``?ownerId=``, default the
                                                  seeded workspace)
    PATCH  /_control/render/owner-notifications  {"slackEnabled"?, "emailEnabled"?, ...} -> 200 as GET;
                                                  the only way to change the read-only slackEnabled
    GET    /_control/render/log-streams          -> 200 [{"ownerId", "endpoint", "token", "preview"} (an
                                                  owner stream) | {"resourceId", "endpoint", "token",
                                                  "setting"} (a resource override)], oldest first, tokens
                                                  included
    errors: 400/404 {"error": "..."}

Out-of-band changes bypass validation, rate limits and request counters. The shared routes (reset, clock,
faults with ``"vendor": "render"``, requests, log) live in ``sandbox/control.py``.
"""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.render import accounts, catalog, envvars, events, metrics, notifications, repo, runtime
from sandbox.render.errors import ApiError

control = Blueprint("render_control", __name__, url_prefix="/_control/render")

Doc = dict[str, Any]


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@control.errorhandler(ControlError)
def _control_error(error: ControlError) -> tuple[Response, int]:
    return jsonify({"error": error.message}), error.status


@control.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Response, int]:
    return jsonify({"error": error.message}), error.status


def _body() -> Doc:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ControlError(400, "body must be a JSON object")
    return data


def _service(service_id: str) -> Doc:
    record = repo.service_record(service_id)
    if record is None:
        raise ControlError(404, f"no service {service_id}")
    return record


def merge(target: Doc, changes: Doc) -> None:
    """Deep merge: objects merge key by key, other values replace."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value


def inventory() -> list[str]:
    """The objects a plan makes that could be made twice or lost: cron jobs by name, and env vars by
    service name and key (web services exist before any plan; a cron job's env vars come with it;
    notification and log-stream settings exist once per service or owner)."""
    services = [record["doc"] for record in repo.find(repo.SERVICES)]
    names = {s["id"]: s["name"] for s in services if s["type"] != "cron_job"}
    jobs = [f"services cron_job {s['name']}" for s in services if s["type"] == "cron_job"]
    variables = [
        f"env-vars {names[r['serviceId']]} {r['key']}"
        for r in repo.find(repo.ENV_VARS)
        if r["serviceId"] in names
    ]
    return jobs + variables


@control.get("/settings")
def get_settings() -> Response:
    return jsonify(accounts.settings())


@control.put("/settings")
def put_settings() -> Response:
    try:
        return jsonify(accounts.update_settings(_body()))
    except ValueError as error:
        raise ControlError(400, str(error)) from None


@control.get("/services")
def list_services() -> Response:
    return jsonify([record["doc"] for record in repo.find(repo.SERVICES)])


@control.post("/services")
def seed_service() -> tuple[Response, int]:
    data = _body()
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ControlError(400, "name is required")
    if data.get("type", "web_service") not in catalog.SERVICE_TYPES:
        raise ControlError(400, f"type must be one of {', '.join(catalog.SERVICE_TYPES)}")
    if data.get("id") and repo.service_record(str(data["id"])):
        raise ControlError(400, f"service {data['id']} exists")
    seq = repo.next_seq()
    doc = catalog.new_service(seq, data, repo.now())
    repo.save(repo.SERVICES, {"id": seq, "doc": doc})
    return jsonify(doc), 201


@control.patch("/services/<service_id>")
def edit_service(service_id: str) -> Response:
    record = _service(service_id)
    changes = {key: value for key, value in _body().items() if key != "id"}
    merge(record["doc"], changes)
    if "updatedAt" not in changes:
        record["doc"]["updatedAt"] = repo.now()
    repo.save(repo.SERVICES, record)
    return jsonify(record["doc"])


@control.delete("/services/<service_id>")
def delete_service(service_id: str) -> Response:
    repo.remove_service(_service(service_id))
    return jsonify({})


@control.get("/services/<service_id>/env-vars")
def list_env_vars(service_id: str) -> Response:
    _service(service_id)
    return jsonify([{"key": r["key"], "value": r["value"]} for r in envvars.service_vars(service_id)])


@control.put("/services/<service_id>/env-vars/<key>")
def put_env_var(service_id: str, key: str) -> Response:
    _service(service_id)
    value = _body().get("value")
    if not isinstance(value, str):
        raise ControlError(400, "value must be a string")
    record = envvars.upsert(service_id, key, value)
    return jsonify({"key": record["key"], "value": record["value"]})


@control.delete("/services/<service_id>/env-vars/<key>")
def delete_env_var(service_id: str, key: str) -> Response:
    _service(service_id)
    record = envvars.service_var(service_id, key)
    if record is None:
        raise ControlError(404, f"no env var {key} on {service_id}")
    repo.remove(repo.ENV_VARS, record["id"])
    return jsonify({})


@control.get("/deploys")
def list_deploys() -> Response:
    deploys = [
        {
            "serviceId": r["serviceId"],
            "id": r["doc"]["id"],
            "createdAt": r["doc"]["createdAt"],
            "trigger": r["doc"]["trigger"],
        }
        for r in repo.find(repo.DEPLOYS)
    ]
    return jsonify(deploys)


@control.put("/builds")
def put_builds() -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("fails"), bool):
        raise ControlError(400, 'a body {"serviceId": id or name, "fails": true|false}')
    found = _service_named(str(body.get("serviceId", "")))
    runtime.builds_fail(found["id"], body["fails"])
    return jsonify({"serviceId": found["id"], "fails": body["fails"]})


@control.put("/usage")
def put_usage() -> Response:
    body = request.get_json(silent=True)
    keys = ("cpu", "memory", "cpuPercent", "memoryPercent")
    if not isinstance(body, dict) or not all(
        isinstance(body.get(k), int | float) and body[k] >= 0 for k in keys if k in body
    ):
        raise ControlError(
            400,
            'a body {"serviceId": id or name, "cpu"?: cores, "memory"?: bytes, "cpuPercent"?, '
            '"memoryPercent"?: of the instance\'s limit}',
        )
    found = _service_named(str(body.get("serviceId", "")))
    cpu, memory = metrics.usage_of(found, body)
    metrics.set_usage(found["id"], cpu, memory)
    return jsonify({"serviceId": found["id"], "cpu": cpu, "memory": memory})


def _service_named(wanted: str) -> Doc:
    found = next(
        (r["doc"] for r in repo.find(repo.SERVICES) if wanted in (r["doc"]["id"], r["doc"]["name"])), None
    )
    if found is None:
        raise ControlError(404, f"no service {wanted}")
    return dict(found)


@control.get("/events")
def list_events() -> Response:
    return jsonify([r["doc"] for r in sorted(repo.find(events.EVENTS), key=lambda r: int(r["id"]))])


@control.get("/notification-overrides")
def list_overrides() -> Response:
    return jsonify([notifications.override_view(record["serviceId"]) for record in repo.find(repo.OVERRIDES)])


def _owner_settings() -> Doc:
    owner_id = request.args.get("ownerId", accounts.OWNER_ID)
    record = repo.first_by(repo.OWNER_NOTIFICATIONS, "ownerId", owner_id)
    if record is None:
        raise ControlError(404, f"no owner {owner_id}")
    return record


@control.get("/owner-notifications")
def get_owner_notifications() -> Response:
    return jsonify(notifications.owner_view(_owner_settings()))


@control.patch("/owner-notifications")
def edit_owner_notifications() -> Response:
    record = _owner_settings()
    fields = ("slackEnabled", *notifications.OWNER_FIELDS)
    record.update({key: value for key, value in _body().items() if key in fields})
    repo.save(repo.OWNER_NOTIFICATIONS, record)
    return jsonify(notifications.owner_view(record))


@control.get("/log-streams")
def list_log_streams() -> Response:
    owners = [
        (r["id"], {k: r[k] for k in ("ownerId", "endpoint", "token", "preview")})
        for r in repo.find(repo.OWNER_STREAMS)
    ]
    resources = [
        (r["id"], {k: r[k] for k in ("resourceId", "endpoint", "token", "setting")})
        for r in repo.find(repo.RESOURCE_STREAMS)
    ]
    return jsonify([stream for _, stream in sorted(owners + resources, key=lambda item: item[0])])
