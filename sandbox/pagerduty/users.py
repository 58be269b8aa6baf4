"""``/users``: people. Lookout only reads them (it never invites anyone); tests and the demo seed them
through the control API."""

from typing import Any

from sandbox.collection import Args, Collection, Controlled
from sandbox.pagerduty import repo, web

Doc = dict[str, Any]


def create(data: Doc) -> Doc:
    """A person, as an admin would invite them (control API only)."""
    record = repo.new_record()
    record.update(
        name=str(data.get("name") or data.get("email") or "Someone"),
        email=str(data.get("email") or ""),
        time_zone=data.get("time_zone", "Etc/UTC"),
        role=data.get("role", "user"),
        job_title=data.get("job_title"),
    )
    return repo.save(repo.USERS, record)


def dto(record: Doc) -> Doc:
    return {
        **web.header(record, "user", "users"),
        "name": record["name"],
        "email": record["email"],
        "time_zone": record["time_zone"],
        "color": "green",
        "role": record["role"],
        "avatar_url": f"https://secure.gravatar.com/avatar/{record['pid'].lower()}.png",
        "description": None,
        "invitation_sent": False,
        "job_title": record.get("job_title"),
        "teams": [],
        "contact_methods": [],
        "notification_rules": [],
    }


def _listed(args: Args) -> list[Doc]:
    # ?query= matches the name or the e-mail address (GET /users, parameter `query`).
    return [u for u in repo.find(repo.USERS) if web.query_matches(u["name"], u["email"])]


COLLECTION = Collection(
    "pagerduty_users",
    "/users",
    "/users/<id>",
    records=_listed,
    load=lambda args: repo.get_or_404(repo.USERS, args["id"]),
    dto=lambda args: dto,
    page=web.pager("users"),
    envelope="user",
)
# Out of band (sandbox/pagerduty/control.py): shown as the API shows it, deleted without its checks.
CONTROLLED = Controlled(
    repo.USERS, dto, lambda record: repo.remove(repo.USERS, record), names=None
)  # people are invited by admins, never made by Lookout
