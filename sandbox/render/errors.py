"""Render's error bodies: ``{id?, message}`` (spec ``components.schemas.error``) on every error status.

Observed bodies carry only ``message`` (``{"message":"not found: srv-…"}`` on a 404, notes §1;
``{"message":"cannot deploy suspended service"}`` on a 400, notes §5.7), so the sandbox sets ``id`` only
where it has a fixed one to give (401). Every response carries a ``Render-Request-Id``.
"""

import itertools
import secrets
import threading

from flask import Response, jsonify

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
