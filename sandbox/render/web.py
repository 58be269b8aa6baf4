"""Request plumbing of the Render routes: JSON bodies, query filters, cursor pagination
(docs/vendors/render.md,
conventions).

* Array filters are ``style: form, explode: false`` (``?name=a,b``); repeated parameters are accepted too,
  since some list operations of the spec leave the style at its default (``explode: true``).
* ``limit`` defaults to 20, maximum 100. Each item comes wrapped with its ``cursor``; the next page starts
  after the item whose cursor is passed, and a page past the end is ``[]``.
"""

import base64
import binascii
import struct
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from flask import Response, jsonify, request

from sandbox.render.errors import invalid

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_CURSOR_MASK = 0x5F3A_91C7_D2E4_B806  # makes cursors opaque, like Render's ("cfQ74cE2sDI=")

Doc = dict[str, Any]


def json_response(payload: Any, status: int = 200) -> Response:
    response = jsonify(payload)
    response.status_code = status
    return response


def empty(status: int) -> Response:
    return Response(status=status)


def _json() -> Any:
    if not request.get_data():
        return None
    data = request.get_json(silent=True, force=True)
    if data is None:
        raise invalid("invalid JSON in request body")
    return data


def body_object(required: bool = True) -> Doc:
    """The JSON object of the request; an empty body is ``{}`` unless ``required``."""
    data = _json()
    if data is None and not required:
        return {}
    if not isinstance(data, dict):
        raise invalid("request body must be a JSON object")
    return data


def body_array() -> list[Any]:
    data = _json()
    if not isinstance(data, list):
        raise invalid("request body must be a JSON array")
    return data


def array_arg(name: str, allowed: Sequence[str] | None = None) -> list[str]:
    """Values of an array filter, comma-separated and/or repeated; 400 for a value outside ``allowed``."""
    values = [item for raw in request.args.getlist(name) for item in raw.split(",") if item != ""]
    for value in values:
        if allowed is not None and value not in allowed:
            raise invalid(f"invalid {name}: {value!r} is not one of {', '.join(allowed)}")
    return values


def bool_arg(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in ("true", "false"):
        raise invalid(f"invalid {name}: must be true or false")
    return raw.lower() == "true"


def time_arg(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(f"invalid {name}: must be an ISO 8601 timestamp") from None


def in_time_range(timestamp: str, after: datetime | None, before: datetime | None) -> bool:
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return (after is None or moment > after) and (before is None or moment < before)


def encode_cursor(seq: int) -> str:
    return base64.b64encode(struct.pack(">Q", seq ^ _CURSOR_MASK)).decode()


def _decode_cursor(raw: str) -> int:
    try:
        packed = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
        (value,) = struct.unpack(">Q", packed)
    except (binascii.Error, struct.error, ValueError):
        raise invalid("invalid cursor") from None
    return int(value) ^ _CURSOR_MASK


def limit_arg() -> int:
    raw = request.args.get("limit")
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise invalid(f"invalid limit: must be an integer between 1 and {MAX_LIMIT}")
    return int(raw)


def page(
    records: Iterable[Doc], wrap: Callable[[Doc], Doc], descending: bool = False, with_cursor: bool = True
) -> list[Doc]:
    """One page of ``records`` (each with its integer ``id``), wrapped by ``wrap`` and paired with cursors."""
    ordered = sorted(records, key=lambda record: int(record["id"]), reverse=descending)
    raw = request.args.get("cursor")
    if raw:
        after = _decode_cursor(raw)
        ordered = [r for r in ordered if (int(r["id"]) < after if descending else int(r["id"]) > after)]
    chunk = ordered[: limit_arg()]
    if not with_cursor:
        return [wrap(record) for record in chunk]
    return [{**wrap(record), "cursor": encode_cursor(int(record["id"]))} for record in chunk]
