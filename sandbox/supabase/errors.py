"""Supabase Management API error answers: ``{"message": "..."}`` on every error status.

The spec declares no error bodies (each error status has a description only). Recorded answers
(docs/vendors/supabase.md, "Errors"): 401 ``{"message":"Unauthorized"}``; a project the token cannot
see is a 403 with the access-control text below, never a 404; an SQL error is a 400 whose message is
``Failed to run sql query: ERROR:  <SQLSTATE>: <Postgres's message>`` and a newline (two spaces after
``ERROR:``); a database that does not answer is a 544 after about 15 s.
"""

from flask import Response, jsonify

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
FORBIDDEN = (
    "Your account does not have the necessary privileges to access this endpoint. For more details, "
    "refer to our documentation https://supabase.com/docs/guides/platform/access-control"
)
# What the query endpoints answer when Postgres cannot be reached (recorded on a paused project and on an
# overloaded one; the text is node-postgres's connect timeout).
UNREACHABLE = 544, "Failed to run sql query: Connection terminated due to connection timeout"


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self) -> Response:
        response = jsonify({"message": self.message})
        response.status_code = self.status
        response.headers["Content-Type"] = JSON_CONTENT_TYPE
        return response


def forbidden() -> ApiError:
    return ApiError(403, FORBIDDEN)


def sql_error(sqlstate: str, message: str) -> ApiError:
    return ApiError(400, f"Failed to run sql query: ERROR:  {sqlstate}: {message}\n")
