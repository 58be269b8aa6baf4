"""Request plumbing shared by the Sentry routes: routing, JSON bodies, search queries, pagination
(docs/vendors/sentry.md, conventions)."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request

from sandbox.sentry.errors import INVALID_BODY, ApiError, detail, type_name

MAX_PER_PAGE = 100
_TOKEN = re.compile(r'(?:(\w+):)?("[^"]*"|\S+)')

Doc = dict[str, Any]
View = Callable[..., Any]


def route(blueprint: Blueprint, rule: str, *methods: str) -> Callable[[View], View]:
    """Register ``rule`` (ending in ``/``, as Sentry's routes do) so that it also matches without it."""
    return blueprint.route(rule, methods=list(methods), strict_slashes=False)


def body() -> Doc:
    """The JSON object of the request; an empty body counts as ``{}``."""
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if data is None:
        raise detail(400, "JSON parse error - Expecting value: line 1 column 1 (char 0)")
    if not isinstance(data, dict):
        raise ApiError(400, {"non_field_errors": [INVALID_BODY.format(type_name(data))]})
    return data


def json_response(payload: Any, status: int = 200) -> Response:
    response = jsonify(payload)
    response.status_code = status
    return response


def no_content() -> Response:
    return Response(status=204)


def search(raw: str | None) -> tuple[dict[str, list[str]], list[str]]:
    """Split ``?query=`` into ``key:value`` tokens and free-text words (quotes group words)."""
    tokens: dict[str, list[str]] = {}
    words: list[str] = []
    for key, value in _TOKEN.findall(raw or ""):
        text = value.strip('"')
        if key:
            tokens.setdefault(key, []).append(text)
        else:
            words.append(text)
    return tokens, words


def matches_words(words: list[str], *fields: str) -> bool:
    """Every free-text word occurs, case-insensitively, in one of ``fields``."""
    haystack = [field.lower() for field in fields]
    return all(any(word.lower() in field for field in haystack) for word in words)


def arg_values(name: str) -> list[str]:
    """A repeatable query argument (``?project=1&project=2``)."""
    return [value for value in request.args.getlist(name) if value != ""]


def paginate(
    items: list[Doc], to_dto: Callable[[Doc], Doc], default_per_page: int = MAX_PER_PAGE
) -> Response:
    """One page of ``items`` with Sentry's ``Link`` header: both links always, ``results`` says if usable."""
    per_page = _per_page(default_per_page)
    offset = _cursor_offset()
    page = items[offset : offset + per_page]
    response = json_response([to_dto(item) for item in page])
    previous = f"0:{max(offset - per_page, 0)}:1"
    following = f"0:{offset + per_page}:0"
    response.headers["Link"] = ", ".join(
        (
            _link(previous, "previous", offset > 0),
            _link(following, "next", offset + per_page < len(items)),
        )
    )
    return response


def _per_page(default: int) -> int:
    raw = request.args.get("per_page")
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise detail(400, "Invalid per_page parameter.")
    if int(raw) > MAX_PER_PAGE:
        raise detail(400, f"Invalid per_page value. Cannot exceed {MAX_PER_PAGE}.")
    return int(raw)


def _cursor_offset() -> int:
    raw = request.args.get("cursor")
    if not raw:  # absent or empty: the first page (sentry/api/base.py reads the cursor only when truthy)
        return 0
    parts = raw.split(":")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise detail(400, "Invalid cursor parameter.")
    return int(parts[1])


def _link(cursor: str, rel: str, has_results: bool) -> str:
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "cursor"]
    uri = f"{request.base_url}?{urlencode(args)}&cursor={cursor}"
    results = "true" if has_results else "false"
    return f'<{uri}>; rel="{rel}"; results="{results}"; cursor="{cursor}"'
