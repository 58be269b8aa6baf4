"""Teams (docs/vendors/sentry.md, teams and projects): ``/organizations/{org}/teams/`` and
``/teams/{org}/{team}/``."""

from typing import Any

from flask import Blueprint, Response, request

from sandbox.collection import Controlled
from sandbox.sentry import fields, orgs, project_dto, repo
from sandbox.sentry.errors import ApiError, invalid
from sandbox.sentry.web import body, json_response, matches_words, no_content, paginate, route, search

routes = Blueprint("sentry_teams", __name__)

TEAM_ACCESS = [
    "alerts:read", "alerts:write", "event:admin", "event:read", "event:write", "member:read",
    "org:integrations", "org:read", "project:admin", "project:read", "project:releases",
    "project:write", "team:admin", "team:read", "team:write",
]  # fmt: skip
TAKEN = "A team with this slug already exists."

Doc = dict[str, Any]


def dto(team: Doc, *, org: Doc | None = None, with_projects: bool = False) -> Doc:
    """A team; the caller (the org's only member) is an admin member of every team it created."""
    result: Doc = {
        "id": str(team["id"]),
        "slug": team["slug"],
        "name": team["name"],
        "dateCreated": team["dateCreated"],
        "isMember": True,
        "teamRole": "admin",
        "flags": {"idp:provisioned": False},
        "access": TEAM_ACCESS,
        "hasAccess": True,
        "isPending": False,
        "memberCount": 1,
        "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
    }
    if org is not None:
        result["organization"] = orgs.summary(org)
    if with_projects:
        owned = [p for p in repo.find(repo.PROJECTS) if team["id"] in p["teams"]]
        result["projects"] = [project_dto.base(project) for project in owned]
    return result


def create(data: Doc, *, checked: bool = True) -> Doc:
    """Create a team from ``{"slug"}`` and/or ``{"name"}`` (the name is deprecated but still accepted)."""
    name = fields.text(data["name"], ("name",), 64) if data.get("name") is not None else None
    slug = fields.slug(data["slug"], ("slug",), 50) if data.get("slug") is not None else None
    if checked and name is None and slug is None:
        raise ApiError(400, {"non_field_errors": ["Name or slug is required"]})
    slug = slug or repo.slugify(name or "team", 50)
    if checked and _slug_owner(slug) is not None:
        raise ApiError(409, {"non_field_errors": [TAKEN], "detail": TAKEN})
    team = {"id": repo.new_id(), "slug": slug, "name": name or slug, "dateCreated": repo.now()}
    return repo.save(repo.TEAMS, team)


def delete(team: Doc) -> None:
    """Delete a team; its projects stay, without it (the slug is free at once)."""
    for project in repo.find(repo.PROJECTS):
        if team["id"] in project["teams"]:
            project["teams"].remove(team["id"])
            repo.save(repo.PROJECTS, project)
    repo.remove(repo.TEAMS, team["id"])


def _slug_owner(slug: str) -> Doc | None:
    return next((team for team in repo.find(repo.TEAMS) if team["slug"] == slug), None)


def _matches(team: Doc, query: str | None) -> bool:
    tokens, words = search(query)
    if "slug" in tokens and team["slug"] not in tokens["slug"]:
        return False
    if "id" in tokens and str(team["id"]) not in tokens["id"]:
        return False
    return matches_words(words, team["slug"], team["name"])


@route(routes, "/organizations/<org>/teams/", "GET")
def list_teams(org: str) -> Response:
    orgs.resolve(org)
    found = [team for team in repo.find(repo.TEAMS) if _matches(team, request.args.get("query"))]
    detailed = request.args.get("detailed", "1") != "0"
    return paginate(found, lambda team: dto(team, with_projects=detailed))


@route(routes, "/organizations/<org>/teams/", "POST")
def create_team(org: str) -> Response:
    orgs.resolve(org)
    return json_response(dto(create(body())), 201)


@route(routes, "/teams/<org>/<team>/", "GET")
def get_team(org: str, team: str) -> Response:
    organization = orgs.resolve(org)
    found = repo.lookup(repo.TEAMS, team)
    embedded = None if "organization" in request.args.getlist("collapse") else organization
    return json_response(dto(found, org=embedded, with_projects="projects" in request.args.getlist("expand")))


@route(routes, "/teams/<org>/<team>/", "PUT")
def update_team(org: str, team: str) -> Response:
    organization = orgs.resolve(org)
    found = repo.lookup(repo.TEAMS, team)
    data = body()
    slug = fields.slug(fields.required(data, "slug"), ("slug",), 50)
    owner = _slug_owner(slug)
    if owner is not None and owner["id"] != found["id"]:
        raise invalid(("slug",), f'The slug "{slug}" is already in use.')
    found["slug"] = slug
    if data.get("name") is not None:
        found["name"] = fields.text(data["name"], ("name",), 64)
    return json_response(dto(repo.save(repo.TEAMS, found), org=organization))


@route(routes, "/teams/<org>/<team>/", "DELETE")
def delete_team(org: str, team: str) -> Response:
    orgs.resolve(org)
    delete(repo.lookup(repo.TEAMS, team))
    return no_content()


# Out of band (sandbox/sentry/control.py): shown as the API shows it; seeded without validation.
CONTROLLED = Controlled(
    repo.TEAMS,
    dto,
    delete,
    names=lambda view: [view["slug"]],
    create=lambda data: create(data, checked=False),
)
