"""How the UptimeRobot API serves its collections (sandbox/collection.py): cursor pages of `{data, nextLink}`,
account-scoped records, reads that lag writes (repo.read_or_404) while writes act on the latest version,
201 on create, and 200 without a body on delete (specs/uptimerobot-openapi.yaml documents no body; maintenance
windows answer 204)."""

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify

from sandbox.collection import Collection, Dto, Style
from sandbox.uptimerobot import accounts, pagination, repo

Doc = dict[str, Any]


def _page(items: list[Doc], dto: Dto) -> Response:
    return jsonify(pagination.page(items, dto))


STYLE = Style(page=_page, deleted=200)


def collection(name: str, path: str, stored: str, view: Callable[[int], Dto], **more: Any) -> Collection:
    """The collection `stored` of the calling account at `path`, each record shown by `view(account id)`
    (built once per request); `more` sets or overrides Collection fields."""

    def account_id() -> int:
        return accounts.current().id

    fields: dict[str, Any] = {
        "records": lambda args: repo.find(stored, account_id()),
        "load": lambda args: repo.read_or_404(stored, account_id(), args["id"]),
        "edit": lambda args: repo.get_or_404(stored, account_id(), args["id"]),
        "dto": lambda args: view(account_id()),
    }
    return Collection(name, path, f"{path}/<int:id>", **{**fields, **more})
