"""``/user/me`` and ``/tags`` routes."""

from flask import Blueprint, Response, jsonify, request

from sandbox.uptimerobot import accounts, links, repo, serialize
from sandbox.uptimerobot.errors import BadRequest

routes = Blueprint("account", __name__)

TAG_PAGE_SIZE = 50


@routes.get("/user/me")
def me() -> Response:
    account = accounts.current()
    return jsonify(serialize.user(account, repo.count(repo.MONITORS, account.id)))


@routes.get("/tags")
def list_tags() -> Response:
    """SimpleTagPaginationDto: unlike the other lists it reports ``nextCursorId``, not ``nextLink``."""
    account = accounts.current()
    raw = request.args.get("cursor", "")
    if raw and not raw.isdigit():
        raise BadRequest("cursor must be a number conforming to the specified constraints")
    cursor = int(raw) if raw else 0
    tags = [tag for tag in repo.find(repo.TAGS, account.id) if tag["id"] > cursor][:TAG_PAGE_SIZE]
    next_cursor = tags[-1]["id"] if len(tags) == TAG_PAGE_SIZE else None
    return jsonify({"data": [serialize.tag(tag) for tag in tags], "nextCursorId": next_cursor})


@routes.delete("/tags/<int:id>")
def delete_tag(id: int) -> Response:
    account = accounts.current()
    repo.get_or_404(repo.TAGS, account.id, id)
    links.detach_tag(account.id, id)
    repo.remove(repo.TAGS, id)
    return Response(status=204)
