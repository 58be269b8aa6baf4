"""Sentry's error bodies, Django REST framework's (docs/vendors/sentry.md, conventions).

* 400: a field map such as ``{"slug": ["msg"]}``, nested for nested fields, or ``{"non_field_errors": [...]}``
* 401/403/404/405/429/5xx: ``{"detail": "..."}``; 409 for a taken slug; 410 for the retired alert APIs
"""

from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response, jsonify

from sandbox.contract import Problem

NOT_FOUND = "The requested resource does not exist"
PERMISSION_DENIED = "You do not have permission to perform this action."
REQUIRED = "This field is required."
BLANK = "This field may not be blank."
NOT_A_LIST = 'Expected a list of items but got type "{}".'
NOT_A_DICT = 'Expected a dictionary of items but got type "{}".'
INVALID_BODY = "Invalid data. Expected a dictionary, but got {}."
SLUG_MESSAGE = (
    "Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens. "
    "It cannot be entirely numeric."
)


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


_DRF_MESSAGES = {
    "required": REQUIRED,
    "type": "Incorrect type.",
    "enum": '"{value}" is not a valid choice.',
    "maxLength": "Ensure this field has no more than {constraint} characters.",
    "minLength": "Ensure this field has at least {constraint} characters.",
    "maximum": "Ensure this value is less than or equal to {constraint}.",
    "minimum": "Ensure this value is greater than or equal to {constraint}.",
    "pattern": "This value does not match the required pattern.",
}


def field_errors(problems: Iterable[Problem]) -> Any:
    """A DRF 400 body for requests that break the spec: each message nested under its field."""
    merged: dict[str, Any] = {}
    for problem in problems:
        if problem.rule == "malformed":
            return {"detail": "JSON parse error - Expecting value"}  # DRF's ParseError
        path = [part for part in problem.location[1:] if not isinstance(part, int)] or ["non_field_errors"]
        template = _DRF_MESSAGES.get(problem.rule, "Invalid value.")
        if problem.rule == "type" and problem.value is None:
            template = "This field may not be null."
        if problem.rule == "pattern" and str(path[-1]).endswith("slug"):
            template = SLUG_MESSAGE
        message = template.format(value=problem.value, constraint=problem.constraint)
        node = merged
        for part in path[:-1]:
            node = node.setdefault(str(part), {})
        said = node.setdefault(str(path[-1]), [])
        if message not in said:
            said.append(message)
    return merged
