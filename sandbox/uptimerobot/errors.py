"""UptimeRobot error bodies (the spec documents none; docs/vendors/uptimerobot.md, conventions).

* API errors: ``{"message": "Monitor not found", "code": "000-004"}``
* validator errors (NestJS):
  ``{"message": ["<field> must be ..."], "error": "Bad Request", "statusCode": 400}``
* unknown routes (NestJS): ``{"message": "Cannot GET /v3/x", "error": "Not Found", "statusCode": 404}``
* throttling: plain text ``ThrottlerException: Too Many Requests``
"""

from http import HTTPStatus

from flask import Response, jsonify

FEATURE_CODE = "000-003"
NOT_FOUND_CODE = "000-004"
UNAUTHORIZED_CODE = "003-005"
INTEGRATION_NOT_IN_PLAN_CODE = "021-003"
INTEGRATION_EXISTS_CODE = "021-004"
INTEGRATION_NOT_FOUND_CODE = "021-005"


class ApiError(Exception):
    """An error the API answers as ``{"message", "code"}``."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code

    def response(self) -> Response:
        response = jsonify({"message": self.message, "code": self.code})
        response.status_code = self.status
        return response


class BadRequest(Exception):
    """A validator error: a list of messages, each naming its field."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)

    def response(self) -> Response:
        return nest_error(400, self.messages)


def not_found(what: str, code: str = NOT_FOUND_CODE) -> ApiError:
    return ApiError(404, f"{what} not found", code)


def feature_missing(feature: str) -> ApiError:
    """403 for a plan without ``feature``: "Feature incident-comments is not enabled in your plan." with code
    000-003 (verified live, GoSuccessHQ/uptimerobot-api tests/Integration/IncidentCommentsReadOnlyTest.php);
    answered before the addressed object or the request is looked at (its docs/incidentComments/list.md)."""
    return ApiError(403, f"Feature {feature} is not enabled in your plan.", FEATURE_CODE)


def nest_error(status: int, message: str | list[str]) -> Response:
    """A NestJS default error body."""
    response = jsonify({"message": message, "error": HTTPStatus(status).phrase, "statusCode": status})
    response.status_code = status
    return response
