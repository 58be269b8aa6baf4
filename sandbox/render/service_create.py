"""``POST /services`` and ``DELETE /services/{id}`` (docs/vendors/render.md, "Cron jobs").

* A create answers **201** ``{service, deployId}`` (spec ``serviceAndDeploy``): the service and the first
  deploy, which builds on the sandbox clock as any other (sandbox/render/runtime.py).
* The body is ``servicePOST``; the contract check answers what breaks the spec's types and enums. What the
  spec leaves to prose or to a ``oneOf`` is checked here, before anything is written: a repo or an image,
  a native runtime's build and start commands, a cron job's runtime and schedule, an owner the key reaches
  (400: the spec lists no 404 for a create), unique env var keys. Omitted ``plan`` is ``starter`` and
  ``region`` ``oregon`` (the spec's defaults).
* A cron job's id is ``crn-…`` and its dashboard ``/cron/crn-…`` (render.md, conventions: id prefixes).
* A taken name is accepted: no source says Render refuses one (its slugs are the name and a random
  suffix, ``cron-job-tf-d6na``; Terraform's lookup by name fails unless exactly one matches), so clients
  must tell services apart by id. The slug here is the name and four characters of the id.
* ``DELETE`` answers **204** and takes the service's env vars and overrides with it; the id is then
  ``404 not found: <id>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cronsim import CronSim, CronSimError
from flask import Blueprint, Response

from sandbox.render import catalog, envvars, lifecycle, repo, web
from sandbox.render.errors import invalid
from sandbox.render.service_patch import DETAIL_FIELDS, PAID_PLANS, RUNTIMES
from sandbox.render.services import REGIONS

routes = Blueprint("render_service_create", __name__)

Doc = dict[str, Any]
NATIVE = ("elixir", "go", "node", "python", "ruby", "rust")
_CREATE_ONLY = {"region", "env"}  # serviceDetails a POST takes that a PATCH does not


def valid_schedule(schedule: str) -> bool:
    """A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC
    (render.com/docs/cronjobs)."""
    if len(schedule.split()) != 5:
        return False
    try:
        CronSim(schedule, datetime(2026, 1, 1))
    except (CronSimError, ValueError):
        return False
    return True


def _details(service_type: str, given: Any) -> Doc:
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise invalid("invalid serviceDetails: must be an object")
    allowed = DETAIL_FIELDS[service_type] | _CREATE_ONLY
    unknown = sorted(set(given) - allowed - {"envSpecificDetails"})
    if unknown:
        raise invalid(f"invalid serviceDetails.{unknown[0]}: not supported for {service_type} services")
    runtime = given.get("runtime") or given.get("env")
    if service_type != "static_site":
        if runtime is None:
            raise invalid("invalid serviceDetails.runtime: is required")
        if runtime not in RUNTIMES:
            raise invalid(f"invalid serviceDetails.runtime: must be one of {', '.join(RUNTIMES)}")
    if given.get("plan", "starter") not in PAID_PLANS and service_type == "cron_job":
        raise invalid(f"invalid serviceDetails.plan: must be one of {', '.join(PAID_PLANS)}")
    if given.get("region", "oregon") not in REGIONS:
        raise invalid(f"invalid serviceDetails.region: must be one of {', '.join(REGIONS)}")
    native = given.get("envSpecificDetails") or {}
    if runtime in NATIVE:
        for command in ("buildCommand", "startCommand"):
            if not isinstance(native.get(command), str) or not native[command].strip():
                raise invalid(f"invalid serviceDetails.envSpecificDetails.{command}: is required")
    if service_type == "cron_job":
        schedule = given.get("schedule")
        if not isinstance(schedule, str) or not schedule.strip():
            raise invalid("invalid serviceDetails.schedule: is required")
        if not valid_schedule(schedule):
            raise invalid(f"invalid serviceDetails.schedule: {schedule!r} is not a cron expression")
    return given


def _env_vars(given: Any) -> dict[str, str]:
    if given is None:
        return {}
    if not isinstance(given, list):
        raise invalid("invalid envVars: must be an array")
    found: dict[str, str] = {}
    for index, item in enumerate(given):
        key = envvars.check_key(item.get("key") if isinstance(item, dict) else None)
        if key in found:
            raise invalid(f"invalid envVars[{index}].key: duplicate key {key!r}")
        found[key] = envvars.resolve_value(item, f"envVars[{index}].")
    return found


@routes.post("/services")
def create_service() -> Response:
    body = web.body_object()
    service_type, owner = body["type"], body["ownerId"]
    if owner not in repo.accessible_owners():  # the spec lists no 404 for a create
        raise invalid(f"invalid ownerId: {owner} is not a workspace this API key can reach")
    if not body.get("repo") and not body.get("image"):
        raise invalid("invalid repo: a service needs a repo or an image")
    details = _details(service_type, body.get("serviceDetails"))
    variables = _env_vars(body.get("envVars"))  # null: none (deviation render-null-create-arrays)
    name = body["name"]
    if not isinstance(name, str) or not name.strip():
        raise invalid("invalid name: must be a non-empty string")

    seq = repo.next_seq()
    runtime = details.get("runtime") or details.get("env") or "image"
    seed = {
        "name": name,
        "type": service_type,
        "runtime": runtime,
        "ownerId": owner,
        "autoDeploy": body.get("autoDeploy", "yes"),
        "branch": body.get("branch") or "main",
        "repo": body.get("repo") or "",
        "rootDir": body.get("rootDir", ""),
        "serviceDetails": {
            "plan": "starter",
            "region": "oregon",
            **{k: v for k, v in details.items() if k != "env"},
            "env": runtime,
        },
    }
    if body.get("image"):
        seed["imagePath"] = body["image"].get("imagePath", "")
    service = catalog.new_service(seq, seed, repo.now())
    service["slug"] = f"{name}-{service['id'][-4:]}"
    repo.save(repo.SERVICES, {"id": seq, "doc": service})
    for key, value in variables.items():
        envvars.upsert(service["id"], key, value)
    deploy = lifecycle.new_deploy(service["id"], None)
    return web.json_response({"service": service, "deployId": deploy["id"]}, 201)


@routes.delete("/services/<serviceId>")
def delete_service(service_id: str) -> Response:
    repo.remove_service(repo.service_or_404(service_id))
    return web.empty(204)
