"""Environments (docs/vendors/sentry.md, monitors): read-only in the API. They appear when events arrive,
which the control API
simulates with ``add``; monitors and alerts name them."""

from typing import Any

from flask import Blueprint, Response, request

from sandbox.sentry import orgs, repo
from sandbox.sentry.errors import detail
from sandbox.sentry.web import json_response, route

routes = Blueprint("sentry_environments", __name__)

VISIBILITIES = ("all", "hidden", "visible")

Doc = dict[str, Any]


def names() -> set[str]:
    return {environment["name"] for environment in repo.find(repo.ENVIRONMENTS)}


def add(project: Doc, name: str) -> Doc:
    """Events with environment ``name`` arrived for ``project``: the environment exists from now on."""
    if not name or len(name) > 64 or "\n" in name or "/" in name:
        raise ValueError("an environment name is 1-64 characters without newline or '/'")
    found = next((env for env in repo.find(repo.ENVIRONMENTS) if env["name"] == name), None)
    environment = found or {"id": repo.new_id(), "name": name, "projects": [], "isHidden": False}
    if project["id"] not in environment["projects"]:
        environment["projects"].append(project["id"])
    return repo.save(repo.ENVIRONMENTS, environment)


def _visible(environment: Doc) -> bool:
    visibility = request.args.get("visibility", "visible")
    if visibility not in VISIBILITIES:
        raise detail(400, f"Invalid value for 'visibility', valid values are: {list(VISIBILITIES)}")
    return visibility == "all" or environment["isHidden"] == (visibility == "hidden")


@route(routes, "/organizations/<org>/environments/", "GET")
def list_org_environments(org: str) -> Response:
    orgs.resolve(org)
    found = [env for env in repo.find(repo.ENVIRONMENTS) if _visible(env)]
    return json_response([{"id": str(env["id"]), "name": env["name"]} for env in found])


@route(routes, "/projects/<org>/<proj>/environments/", "GET")
def list_project_environments(org: str, proj: str) -> Response:
    orgs.resolve(org)
    project = repo.lookup(repo.PROJECTS, proj)
    found = [
        env for env in repo.find(repo.ENVIRONMENTS) if project["id"] in env["projects"] and _visible(env)
    ]
    return json_response(
        [{"id": str(env["id"]), "name": env["name"], "isHidden": env["isHidden"]} for env in found]
    )
