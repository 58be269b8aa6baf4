"""`POST /v1/projects/{ref}/database/query/read-only` (operation `v1-read-only-query`): 201 with the rows
(sandbox/supabase/sql.py); a query Postgres refuses is a 400 with its error; a database that is down
does not answer, so the API gives up with its 544 (sandbox/supabase/errors.py)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from sandbox.supabase import repo, sql
from sandbox.supabase.errors import UNREACHABLE, ApiError, sql_error

routes = Blueprint("supabase_query", __name__)


@routes.post("/v1/projects/<ref>/database/query/read-only")
def read_only_query(ref: str) -> Response:
    project = repo.load(ref)
    if project["services"]["db"]["status"] != repo.HEALTHY:
        raise ApiError(*UNREACHABLE)
    body = request.get_json(silent=True) or {}
    try:
        rows = sql.run(project, str(body.get("query") or ""), list(body.get("parameters") or []))
    except sql.SqlError as error:
        raise sql_error(error.sqlstate, error.message) from None
    response = jsonify(rows)
    response.status_code = 201
    response.headers["Content-Type"] = "application/json"  # as recorded for the query endpoints
    return response
