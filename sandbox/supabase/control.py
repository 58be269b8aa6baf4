"""Supabase control routes (``/_control/supabase``): no auth, never rate-limited, never counted.

::

    GET   /_control/supabase/projects          -> 200 [project state, ...]
    PATCH /_control/supabase/projects/<ref>    a deep-merged edit of the project's state -> 200 the state
          {"services": {"db": {"status": "UNHEALTHY", "error": "Failed to connect to database"}},
           "disk": {"used_bytes": 6800000000, "size_bytes": 8000000000},
           "backups": {"failing": true, "failed_since"?: ISO 8601}, (the coming daily backups fail, and
                                                                  those taken since then failed)
           "db": {"max_connections": 60, "connections": {"active": 40, "idle": 12},
                  "statements": [{"query": "...", "calls": 10, "mean_exec_time": 1850.0}]}}
    errors: 400/404 {"error": "..."}
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import parse_instant
from sandbox.supabase import repo

control = Blueprint("supabase_control", __name__, url_prefix="/_control/supabase")
STATUSES = ("ACTIVE_HEALTHY", "COMING_UP", "UNHEALTHY")  # V1ServiceHealthResponse.status


def _error(message: str, status: int = 400) -> tuple[Response, int]:
    return jsonify({"error": message}), status


@control.get("/projects")
def projects() -> Response:
    return jsonify(repo.every())


@control.patch("/projects/<ref>")
def edit(ref: str) -> Response | tuple[Response, int]:
    found = [p for p in repo.every() if p["ref"] == ref]
    if not found:
        return _error(f"no project {ref}", 404)
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("body must be a JSON object")
    for name, state in (body.get("services") or {}).items():
        if name not in repo.SERVICES:
            return _error(f"services.{name}: one of {', '.join(repo.SERVICES)}")
        if state.get("status", repo.HEALTHY) not in STATUSES:
            return _error(f"services.{name}.status: one of {', '.join(STATUSES)}")
    since = (body.get("backups") or {}).pop("failed_since", None)
    project = repo.merge(found[0], body)
    if since is not None:  # the backups taken since then failed (what a day of failing uploads leaves)
        for item in project["backups"]["items"]:
            if item["at"] >= parse_instant(since):
                item["status"] = "FAILED"
    return jsonify(repo.save(project))
