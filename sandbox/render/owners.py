"""Workspaces the API key can access (docs/vendors/render.md, conventions): ``GET /owners`` and ``GET
/owners/{ownerId}``.

The ``name`` and ``email`` filters match exactly (spec: "Only exact matches are returned").
"""

from flask import Blueprint, Response

from sandbox.render import repo, web

routes = Blueprint("render_owners", __name__)


@routes.get("/owners")
def list_owners() -> Response:
    names = web.array_arg("name")
    emails = web.array_arg("email")
    records = [
        record
        for record in repo.find(repo.OWNERS)
        if record["doc"]["id"] in repo.accessible_owners()
        and (not names or record["doc"]["name"] in names)
        and (not emails or record["doc"]["email"] in emails)
    ]
    return web.json_response(web.page(records, lambda record: {"owner": record["doc"]}))


@routes.get("/owners/<ownerId>")
def get_owner(owner_id: str) -> Response:
    return web.json_response(repo.owner_or_404(owner_id)["doc"])
