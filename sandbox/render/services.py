"""Services: list, retrieve and the partial update (docs/vendors/render.md, services)."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response

from sandbox.render import repo, web
from sandbox.render.catalog import SERVICE_TYPES
from sandbox.render.service_patch import apply_patch

routes = Blueprint("render_services", __name__)

REGIONS = ("frankfurt", "oregon", "ohio", "singapore", "virginia")
RUNTIMES = ("docker", "elixir", "go", "node", "python", "ruby", "rust", "image")

Doc = dict[str, Any]


def _filter() -> Callable[[Doc], bool]:
    """The list filters, parsed (and validated) once. ``name`` matches a prefix: the spec says only
    "Filter by name" (the owners list, in contrast, says "Only exact matches"), and a PR preview named after
    its base service shows up in a name lookup unless ``includePreviews=false`` (render.md, services). Callers
    must compare names exactly."""
    names = web.array_arg("name")
    types = web.array_arg("type", SERVICE_TYPES)
    owners = web.array_arg("ownerId")
    suspended = web.array_arg("suspended", ("suspended", "not_suspended"))
    regions = web.array_arg("region", REGIONS)
    runtimes = web.array_arg("env", RUNTIMES)
    environments = web.array_arg("environmentId")
    created = (web.time_arg("createdAfter"), web.time_arg("createdBefore"))
    updated = (web.time_arg("updatedAfter"), web.time_arg("updatedBefore"))
    include_previews = web.bool_arg("includePreviews", True)  # default true (render.md, services)

    def matches(service: Doc) -> bool:
        details = service["serviceDetails"]
        return (
            (include_previews or not repo.is_preview(service))
            and (not names or any(service["name"].startswith(name) for name in names))
            and (not types or service["type"] in types)
            and (not owners or service["ownerId"] in owners)
            and (not suspended or service["suspended"] in suspended)
            and (not regions or details.get("region") in regions)
            and (not runtimes or details.get("runtime") in runtimes)
            and (not environments or service.get("environmentId") in environments)
            and web.in_time_range(service["createdAt"], *created)
            and web.in_time_range(service["updatedAt"], *updated)
        )

    return matches


@routes.get("/services")
def list_services() -> Response:
    matches = _filter()
    web.limit_arg()  # validated even when nothing matches
    records = [record for record in repo.visible_services() if matches(record["doc"])]
    return web.json_response(web.page(records, lambda record: {"service": record["doc"]}))


@routes.get("/services/<serviceId>")
def get_service(service_id: str) -> Response:
    return web.json_response(repo.service_or_404(service_id)["doc"])


@routes.patch("/services/<serviceId>")
def update_service(service_id: str) -> Response:
    record = repo.service_or_404(service_id)
    apply_patch(record["doc"], web.body_object())
    record["doc"]["updatedAt"] = repo.now()
    repo.save(repo.SERVICES, record)
    return web.json_response(record["doc"])
