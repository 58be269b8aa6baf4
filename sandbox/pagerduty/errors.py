"""PagerDuty's error body: ``{"error": {"message", "code", "errors": [...]}}`` (specs/pagerduty-rest-
openapi.json, components.responses.Conflict, the generic error response every 4xx refers to; its example:
``Not Found``, 2100)."""

from typing import Any

from flask import Response, jsonify

# Error codes of PagerDuty's REST API documentation ("Errors" page of developer.pagerduty.com), the ones
# the sandbox answers with.
INVALID_INPUT = 2001
AUTHENTICATION_FAILED = 2006
NOT_FOUND = 2100
RATE_LIMITED = 2020


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: int, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.errors = errors

    def response(self) -> Response:
        error: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            error["errors"] = self.errors
        answer = jsonify({"error": error})
        answer.status_code = self.status
        return answer


def not_found() -> ApiError:
    return ApiError(404, "Not Found", NOT_FOUND)


def invalid(*errors: str) -> ApiError:
    return ApiError(400, "Invalid Input Provided", INVALID_INPUT, list(errors))
