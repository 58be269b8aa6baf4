"""Log streams (docs/vendors/render.md, log streams).

* Owner stream: PUT ``{endpoint?, token?, preview: send|drop}`` -> ``{ownerId, endpoint, preview}``.
* Resource override: PUT ``{endpoint?, token?, setting: send|drop}`` -> ``{resourceId, endpoint,
  setting}``; ``endpoint`` must be present for ``send`` and absent (or empty) for ``drop`` (spec).
* The ``token`` is write-only: stored (the control API shows it) but never returned.
* GET answers 404 ``{"message": "not found: <id>"}`` when no stream or override is set (recorded for
  resource overrides; TF reads the owner stream the same way); DELETE of a missing one is 404 too.
* A PUT without ``token`` keeps the stored one (a client cannot read it back to resend it); ``""`` clears.
* The override list items carry no ``cursor`` (as in the spec); ``?cursor=`` is honoured for symmetry.
"""

from typing import Any

from flask import Blueprint, Response

from sandbox.render import repo, web
from sandbox.render.errors import invalid, not_found

routes = Blueprint("render_logstreams", __name__)

SETTINGS = ("send", "drop")

Doc = dict[str, Any]


def _stream_body(mode_field: str) -> Doc:
    body = web.body_object()
    if body.get(mode_field) not in SETTINGS:
        raise invalid(f"invalid {mode_field}: must be one of send, drop")
    for field in ("endpoint", "token"):
        if field in body and not isinstance(body[field], str):
            raise invalid(f"invalid {field}: must be a string")
    return body


def _store(collection: str, id_field: str, owner: str, mode_field: str, body: Doc) -> Doc:
    record = repo.first_by(collection, id_field, owner) or {
        "id": repo.next_seq(),
        id_field: owner,
        "token": "",
    }
    record["endpoint"] = body.get("endpoint", "")
    record[mode_field] = body[mode_field]
    if "token" in body:
        record["token"] = body["token"]
    return repo.save(collection, record)


def owner_view(record: Doc) -> Doc:
    return {"ownerId": record["ownerId"], "endpoint": record["endpoint"], "preview": record["preview"]}


def resource_view(record: Doc) -> Doc:
    return {"resourceId": record["resourceId"], "endpoint": record["endpoint"], "setting": record["setting"]}


def _owner_stream(owner_id: str) -> Doc:
    repo.owner_or_404(owner_id)
    record = repo.first_by(repo.OWNER_STREAMS, "ownerId", owner_id)
    if record is None:
        raise not_found(owner_id)
    return record


def _resource_override(resource_id: str) -> Doc:
    repo.service_or_404(resource_id)
    record = repo.first_by(repo.RESOURCE_STREAMS, "resourceId", resource_id)
    if record is None:
        raise not_found(resource_id)
    return record


@routes.get("/logs/streams/owner/<ownerId>")
def get_owner_stream(owner_id: str) -> Response:
    return web.json_response(owner_view(_owner_stream(owner_id)))


@routes.put("/logs/streams/owner/<ownerId>")
def put_owner_stream(owner_id: str) -> Response:
    repo.owner_or_404(owner_id)
    body = _stream_body("preview")
    return web.json_response(owner_view(_store(repo.OWNER_STREAMS, "ownerId", owner_id, "preview", body)))


@routes.delete("/logs/streams/owner/<ownerId>")
def delete_owner_stream(owner_id: str) -> Response:
    repo.remove(repo.OWNER_STREAMS, _owner_stream(owner_id)["id"])
    return web.empty(204)


@routes.get("/logs/streams/resource")
def list_resource_overrides() -> Response:
    owners = web.array_arg("ownerId")
    resources = web.array_arg("resourceId")
    settings = web.array_arg("setting", SETTINGS)
    stream_ids = web.array_arg("logStreamId")
    services = {record["doc"]["id"]: record["doc"] for record in repo.visible_services()}
    records = [
        record
        for record in repo.find(repo.RESOURCE_STREAMS)
        if record["resourceId"] in services
        and (not owners or services[record["resourceId"]]["ownerId"] in owners)
        and (not resources or record["resourceId"] in resources)
        and (not settings or record["setting"] in settings)
        and not stream_ids  # the sandbox gives overrides no log-stream ids, so that filter matches none
    ]
    return web.json_response(web.page(records, resource_view, with_cursor=False))


@routes.get("/logs/streams/resource/<resourceId>")
def get_resource_override(resource_id: str) -> Response:
    return web.json_response(resource_view(_resource_override(resource_id)))


@routes.put("/logs/streams/resource/<resourceId>")
def put_resource_override(resource_id: str) -> Response:
    repo.service_or_404(resource_id)
    body = _stream_body("setting")
    endpoint = body.get("endpoint", "")
    if body["setting"] == "send" and not endpoint:
        raise invalid("invalid endpoint: required when setting is send")
    if body["setting"] == "drop" and endpoint:
        raise invalid("invalid endpoint: must be empty when setting is drop")
    record = _store(repo.RESOURCE_STREAMS, "resourceId", resource_id, "setting", body)
    return web.json_response(resource_view(record))


@routes.delete("/logs/streams/resource/<resourceId>")
def delete_resource_override(resource_id: str) -> Response:
    repo.remove(repo.RESOURCE_STREAMS, _resource_override(resource_id)["id"])
    return web.empty(204)
