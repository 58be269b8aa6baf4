"""Render's error bodies: ``{id?, message}`` (spec ``components.schemas.error``) on every error status.

Observed bodies carry only ``message`` (``{"message":"not found: srv-…"}`` on a 404, recorded;
``{"message":"cannot deploy suspended service"}`` on a 400; docs/vendors/render.md, conventions), so the
sandbox sets ``id`` only
where it has a fixed one to give (401). Every response carries a ``Render-Request-Id``.
"""

import itertools
import secrets
import threading
from collections.abc import Iterable

from flask import Response, jsonify

from sandbox.contract import Problem

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
_counter = itertools.count(1)
_lock = threading.Lock()
_POD = f"api-sandbox-{secrets.token_hex(3)}/{secrets.token_urlsafe(8)[:10]}"


def request_id() -> str:
    """A ``Render-Request-Id`` shaped like the recorded ones (``api-<pod>/<random>-000128``)."""
    with _lock:
        return f"{_POD}-{next(_counter):06d}"


class ApiError(Exception):
    """An error answered as ``{"message"}`` (plus ``id`` when given)."""

    def __init__(self, status: int, message: str, error_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_id = error_id

    def response(self) -> Response:
        body = {"id": self.error_id, "message": self.message} if self.error_id else {"message": self.message}
        response = jsonify(body)
        response.status_code = self.status
        response.headers["Content-Type"] = JSON_CONTENT_TYPE
        response.headers["Render-Request-Id"] = request_id()
        return response


def not_found(what: str) -> ApiError:
    return ApiError(404, f"not found: {what}")


def invalid(message: str) -> ApiError:
    """A 400 whose message names the offending field."""
    return ApiError(400, message)


def forbidden() -> ApiError:
    return ApiError(403, "you do not have permission to access this resource")


def contract_message(problems: Iterable[Problem]) -> str:
    """One message naming each field that breaks the spec (Render answers 400s as a single message)."""
    said: dict[str, str] = {}
    for problem in sorted(problems, key=lambda p: p.rule != "enum"):  # "one of ..." says the most
        if problem.rule == "malformed":
            return "invalid JSON in request body"
        said.setdefault(problem.field, f"invalid {problem.field}: {_describe(problem)}")
    return "; ".join(said.values())


def _describe(problem: Problem) -> str:
    value = problem.constraint
    if problem.rule == "required":
        return "is required"
    if problem.rule == "enum":
        return "must be one of " + ", ".join(f'"{v}"' for v in value if v is not None)
    if problem.rule == "type":
        return f"must be a {'JSON ' + value if value in ('object', 'array') else value}"
    if problem.rule == "minimum":
        return f"must be at least {value}"
    if problem.rule == "maximum":
        return f"must be at most {value}"
    if problem.rule in ("minLength", "maxLength"):
        return f"must be {'at least' if problem.rule == 'minLength' else 'at most'} {value} characters"
    if problem.rule == "malformed":
        return "is not valid JSON"
    return f"does not satisfy the spec's {problem.rule}"  # the value itself is never echoed
