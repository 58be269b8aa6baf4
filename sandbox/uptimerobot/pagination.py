"""Cursor pagination: the cursor is the last item's id; a full page always links to the next one."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import request

from sandbox.uptimerobot.errors import BadRequest

PAGE_SIZE = 50
MAX_LIMIT = 200


def _number(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(float(raw))
    except ValueError:
        raise BadRequest(f"{name} must be a number conforming to the specified constraints") from None


def limit_arg() -> int:
    """``?limit=`` of ``GET /monitors``: 1-200, default 50."""
    limit = _number("limit")
    if limit is None:
        return PAGE_SIZE
    if limit < 1:
        raise BadRequest("limit must not be less than 1")
    if limit > MAX_LIMIT:
        raise BadRequest(f"limit must not be greater than {MAX_LIMIT}")
    return limit


def page(
    items: list[dict[str, Any]],
    to_dto: Callable[[dict[str, Any]], dict[str, Any]],
    limit: int = PAGE_SIZE,
    newest_first: bool = False,
) -> dict[str, Any]:
    """``{"data": [...], "nextLink": url|None}`` for the page after ``?cursor=`` (items sorted by id, or from
    the highest id down when ``newest_first``: the next page then holds the older items)."""
    cursor = _number("cursor")
    if newest_first:
        ordered = sorted(items, key=lambda item: item["id"], reverse=True)
        after = [item for item in ordered if cursor is None or item["id"] < cursor]
    else:
        after = [item for item in items if cursor is None or item["id"] > cursor]
    chunk = after[:limit]
    link = _next_link(chunk[-1]["id"]) if len(chunk) == limit else None
    return {"data": [to_dto(item) for item in chunk], "nextLink": link}


def _next_link(last_id: int) -> str:
    args = request.args.to_dict(flat=False)
    args["cursor"] = [str(last_id)]
    return f"{request.base_url}?{urlencode(args, doseq=True)}"
