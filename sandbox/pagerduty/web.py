"""How the PagerDuty REST API answers every collection (sandbox/collection.py): offset pages wrapped in the
collection's name, bodies wrapped in the singular type, references as ``{id, type, summary, self,
html_url}``, 201 on create and 204 on delete (specs/pagerduty-rest-openapi.json)."""

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request

from sandbox.collection import Dto, Style
from sandbox.pagerduty.errors import invalid

Doc = dict[str, Any]
API = "https://api.pagerduty.com"
WEB = "https://sandbox.pagerduty.com"
DEFAULT_LIMIT = 25
# Offset pagination: 25 by default, at most 100 a page, and offset + limit at most 10000
# (PagerDuty/developer-docs docs/rest-api/09-Pagination.md).
MAX_LIMIT = 100
MAX_WINDOW = 10_000


def _number(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise invalid(f"{name} must be a non-negative integer")
    return int(raw)


def pager(plural: str) -> Callable[[list[Doc], Dto], Response]:
    """``{<plural>: [...], limit, offset, more, total}``; ``total`` is null unless ``total=true``."""

    def page(items: list[Doc], dto: Dto) -> Response:
        limit = min(max(_number("limit", DEFAULT_LIMIT), 1), MAX_LIMIT)
        offset = _number("offset", 0)
        if offset + limit > MAX_WINDOW:
            raise invalid(f"Offset must be less than {MAX_WINDOW - limit + 1}")
        chunk = items[offset : offset + limit]
        total = len(items) if request.args.get("total") == "true" else None
        return jsonify(
            {
                plural: [dto(item) for item in chunk],
                "limit": limit,
                "offset": offset,
                "total": total,
                "more": offset + limit < len(items),
            }
        )

    return page


def wrapped(singular: str) -> Callable[[], Doc]:
    """The object of a ``{"<singular>": {...}}`` body; 400 when it is not there."""

    def body() -> Doc:
        data = request.get_json(silent=True)
        inner = data.get(singular) if isinstance(data, dict) else None
        if not isinstance(inner, dict):
            raise invalid(f'{singular} must be an object: the body is {{"{singular}": {{...}}}}')
        return inner

    return body


def ref(kind: str, record: Doc, path: str) -> Doc:
    """A reference to `record` (``escalation_policy_reference``, ...)."""
    return {
        "id": record["pid"],
        "type": f"{kind}_reference",
        "summary": record.get("name") or record.get("summary") or record["pid"],
        "self": f"{API}/{path}/{record['pid']}",
        "html_url": f"{WEB}/{path}/{record['pid']}",
    }


def header(record: Doc, kind: str, path: str) -> Doc:
    """The fields every PagerDuty object starts with."""
    return {
        "id": record["pid"],
        "type": kind,
        "summary": record.get("name") or record["pid"],
        "self": f"{API}/{path}/{record['pid']}",
        "html_url": f"{WEB}/{path}/{record['pid']}",
    }


def query_matches(*fields: Any) -> bool:
    """``?query=``: a case-insensitive substring of one of `fields` (names, e-mail addresses)."""
    wanted = (request.args.get("query") or "").casefold()
    return not wanted or any(wanted in str(value or "").casefold() for value in fields)


STYLE = Style(page=pager("items"), deleted=204)
