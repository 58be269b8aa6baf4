"""``owner`` of monitors and alerts: ``"team:<id>"`` or ``"user:<id>"`` (sentry.md, monitors), checked
against the org."""

from typing import Any

from sandbox.sentry import fields, orgs, repo
from sandbox.sentry.errors import invalid

PARSE_ERROR = "Could not parse actor. Format should be `type:id` where type is `team` or `user`."

Doc = dict[str, Any]


def parse(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    kind, _, actor_id = fields.text(raw, ("owner",), 64).partition(":")
    if kind not in ("team", "user") or not actor_id.isdigit():
        raise invalid(("owner",), PARSE_ERROR)
    found = repo.by_id(repo.TEAMS, actor_id) if kind == "team" else orgs.user(actor_id)
    if found is None:
        raise invalid(("owner",), f"{kind.title()} is not a member of this organization")
    return f"{kind}:{actor_id}"


def expand(owner: str | None) -> Doc | None:
    """A monitor's ``owner`` as the API returns it: ``{type, id, name}`` (plus ``email`` for users)."""
    if owner is None:
        return None
    kind, _, actor_id = owner.partition(":")
    if kind == "team":
        team = repo.by_id(repo.TEAMS, actor_id)
        return {"type": "team", "id": actor_id, "name": team["slug"] if team else actor_id}
    user = orgs.user(actor_id) or {"email": actor_id}
    return {"type": "user", "id": actor_id, "name": user["email"], "email": user["email"]}
