"""Suspend, resume and deploys of a service (docs/vendors/render.md, services).

* ``POST …/suspend`` and ``…/resume`` answer 202 with no body. Only a service suspended by a user can be
  resumed; a billing or admin suspension answers 400 "only services suspended by a user can be resumed"
  (the message public reports record for Render).
* ``POST …/deploys`` answers 201 with the deploy (the spec's other success, 202 "queued" with no body,
  is not produced). A suspended service answers **400** ``{"message": "cannot deploy suspended service"}``:
  TF #104 records the message, and the spec lists both 400 and 409 for create-deploy; the
  recorded failures (TF PR #110's regression test, public reports) carry status 400.
"""

import hashlib
from typing import Any

from flask import Blueprint, Response

from sandbox.render import repo, web
from sandbox.render.errors import invalid

routes = Blueprint("render_lifecycle", __name__)

DEPLOY_STATUSES = (
    "created",
    "queued",
    "build_in_progress",
    "update_in_progress",
    "live",
    "deactivated",
    "build_failed",
    "update_failed",
    "canceled",
    "pre_deploy_in_progress",
    "pre_deploy_failed",
)

Doc = dict[str, Any]


@routes.post("/services/<serviceId>/suspend")
def suspend(service_id: str) -> Response:
    record = repo.service_or_404(service_id)
    service = record["doc"]
    if "user" not in service["suspenders"]:
        service["suspenders"] = [*service["suspenders"], "user"]
    service["suspended"] = "suspended"
    service["updatedAt"] = repo.now()
    repo.save(repo.SERVICES, record)
    return web.empty(202)


@routes.post("/services/<serviceId>/resume")
def resume(service_id: str) -> Response:
    record = repo.service_or_404(service_id)
    service = record["doc"]
    if service["suspended"] == "suspended":
        if service["suspenders"] != ["user"]:
            raise invalid("only services suspended by a user can be resumed")
        service["suspended"], service["suspenders"] = "not_suspended", []
        service["updatedAt"] = repo.now()
        repo.save(repo.SERVICES, record)
    return web.empty(202)


@routes.post("/services/<serviceId>/deploys")
def create_deploy(service_id: str) -> Response:
    service = repo.service_or_404(service_id)["doc"]
    body = web.body_object(required=False)
    clear_cache = body.get("clearCache", "do_not_clear")
    if clear_cache not in ("clear", "do_not_clear"):
        raise invalid("invalid clearCache: must be one of clear, do_not_clear")
    for field in ("commitId", "imageUrl"):
        if not isinstance(body.get(field, ""), str):
            raise invalid(f"invalid {field}: must be a string")
    if body.get("deployMode", "build_and_deploy") not in ("build_and_deploy", "deploy_only"):
        raise invalid("invalid deployMode: must be one of build_and_deploy, deploy_only")
    if service["suspended"] == "suspended":
        raise invalid("cannot deploy suspended service")
    deploy = new_deploy(service_id, body.get("commitId"), clear_cache)
    return web.json_response(deploy, 201)


def new_deploy(service_id: str, commit_id: str | None, clear_cache: str = "do_not_clear") -> Doc:
    """A deploy of the service, ``created``: the runtime builds it on the sandbox clock."""
    seq = repo.next_seq()
    created = repo.now()
    commit = commit_id or hashlib.sha1(f"{service_id}:{seq}".encode()).hexdigest()
    deploy = {
        "id": repo.render_id("dep", f"{service_id}:{seq}"),
        "commit": {"id": commit, "message": "Deploy via the Render API", "createdAt": created},
        "status": "created",
        "trigger": "api",
        "createdAt": created,
        "updatedAt": created,
    }
    repo.save(repo.DEPLOYS, {"id": seq, "serviceId": service_id, "clearCache": clear_cache, "doc": deploy})
    return deploy


@routes.get("/services/<serviceId>/deploys")
def list_deploys(service_id: str) -> Response:
    repo.service_or_404(service_id)
    statuses = web.array_arg("status", DEPLOY_STATUSES)
    created = (web.time_arg("createdAfter"), web.time_arg("createdBefore"))
    records = [
        record
        for record in repo.find_by(repo.DEPLOYS, "serviceId", service_id)
        if (not statuses or record["doc"]["status"] in statuses)
        and web.in_time_range(record["doc"]["createdAt"], *created)
    ]
    return web.json_response(web.page(records, lambda record: {"deploy": record["doc"]}, descending=True))
