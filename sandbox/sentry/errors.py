"""Sentry's error bodies (Django REST framework), per the vendor notes (§1).

* 400: a field map such as ``{"slug": ["msg"]}``, nested for nested fields, or ``{"non_field_errors": [...]}``
* 401/403/404/405/429/5xx: ``{"detail": "..."}``; 409 for a taken slug; 410 for the retired alert APIs
"""

from collections.abc import Sequence
from typing import Any

from flask import Response, jsonify

NOT_FOUND = "The requested resource does not exist"
PERMISSION_DENIED = "You do not have permission to perform this action."
REQUIRED = "This field is required."
BLANK = "This field may not be blank."
NOT_A_LIST = 'Expected a list of items but got type "{}".'
NOT_A_DICT = 'Expected a dictionary of items but got type "{}".'
INVALID_BODY = "Invalid data. Expected a dictionary, but got {}."


class ApiError(Exception):
    """An error answered with ``body`` as JSON."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(str(body))
        self.status = status
        self.body = body
        self.headers = headers or {}

    def response(self) -> Response:
        response = jsonify(self.body)
        response.status_code = self.status
        response.headers.update(self.headers)
        return response


def detail(status: int, message: str) -> ApiError:
    return ApiError(status, {"detail": message})


def not_found() -> ApiError:
    return detail(404, NOT_FOUND)


def forbidden() -> ApiError:
    return detail(403, PERMISSION_DENIED)


def invalid(path: Sequence[str | int], message: str) -> ApiError:
    """A 400 whose field map nests ``message`` under ``path`` (ints index list items, DRF-style)."""
    return ApiError(400, nest(path, message))


def nest(path: Sequence[str | int], message: str) -> Any:
    node: Any = [message]
    for part in reversed(path):
        node = [*([{}] * part), node] if isinstance(part, int) else {part: node}
    return node


def type_name(value: Any) -> str:
    return {dict: "dict", list: "list", str: "str", bool: "bool", int: "int", float: "float"}.get(
        type(value), "NoneType"
    )
