"""Reads of a project: `GET /v1/projects`, `/v1/projects/{ref}`, its services' health, its disk
utilisation and its pooler (operations `v1-list-all-projects`, `v1-get-project`, `v1-get-services-health`,
`v1-get-disk-utilization`, `v1-get-pooler-config`; schemas `V1ProjectWithDatabaseResponse`,
`V1ServiceHealthResponse`, `DiskUtilMetricsResponse`, `SupavisorConfigResponse`).

Health: one item per service asked for (`services` repeated, the spec's form style, as the official Go
client sends it), in the order asked. A failing service reads `UNHEALTHY` with its `error`, as recorded with
the database down: `{"name":"db","healthy":false,"status":"UNHEALTHY","error":"Failed to connect to
database"}`; `healthy` (deprecated) follows `status`. Which `info` shape belongs to which service is not
in the spec; the sandbox gives GoTrue's to auth, PostgREST's schema to rest, Realtime's to realtime.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso
from sandbox.state import sandbox
from sandbox.supabase import repo

Doc = dict[str, Any]
routes = Blueprint("supabase_projects", __name__)

INFO: dict[str, Doc] = {
    "auth": {"name": "GoTrue", "version": "v2.177.0", "description": "GoTrue is a user registration API"},
    "rest": {"db_schema": "public,graphql_public"},
    "realtime": {
        "healthy": True,
        "db_connected": True,
        "replication_connected": True,
        "connected_cluster": 1,
    },
}


def view(project: Doc) -> Doc:
    ref = project["ref"]
    return {
        "id": ref,  # deprecated: the ref
        "ref": ref,
        "organization_id": repo.ORGANIZATION,  # deprecated: the slug
        "organization_slug": repo.ORGANIZATION,
        "name": project["name"],
        "region": project["region"],
        "created_at": project["created_at"],
        "status": project["status"],
        "database": {
            "host": f"db.{ref}.supabase.co",
            "version": "17.4.1.054",
            "postgres_engine": "17",
            "release_channel": "ga",
        },
    }


@routes.get("/v1/projects")
def list_projects() -> Response:
    return jsonify([view(p) for p in repo.every()])


@routes.get("/v1/projects/<ref>")
def get_project(ref: str) -> Response:
    return jsonify(view(repo.load(ref)))


def service_health(project: Doc, name: str) -> Doc:
    state = project["services"][name]
    item: Doc = {"name": name, "healthy": state["status"] == repo.HEALTHY, "status": state["status"]}
    if state.get("error"):
        item["error"] = state["error"]
    if state["status"] == repo.HEALTHY and name in INFO:
        item["info"] = INFO[name]
    return item


@routes.get("/v1/projects/<ref>/health")
def health(ref: str) -> Response:
    project = repo.load(ref)
    asked = list(dict.fromkeys(request.args.getlist("services")))
    return jsonify([service_health(project, name) for name in asked])


@routes.get("/v1/projects/<ref>/config/disk/util")
def disk_utilisation(ref: str) -> Response:
    disk = repo.load(ref)["disk"]
    size, used = disk["size_bytes"], disk["used_bytes"]
    return jsonify(
        {
            "timestamp": iso(sandbox().clock.now()),
            "metrics": {"fs_size_bytes": size, "fs_avail_bytes": size - used, "fs_used_bytes": used},
        }
    )


@routes.get("/v1/projects/<ref>/config/database/pooler")
def pooler(ref: str) -> Response:
    project = repo.load(ref)
    settings, host = project["pooler"], f"aws-0-{project['region']}.pooler.supabase.com"
    url = f"postgresql://postgres.{ref}:[YOUR-PASSWORD]@{host}:6543/postgres"
    return jsonify(
        [
            {
                "identifier": ref,
                "database_type": "PRIMARY",
                "is_using_scram_auth": True,
                "db_user": f"postgres.{ref}",
                "db_host": host,
                "db_port": 6543,
                "db_name": "postgres",
                "connection_string": url,
                "connectionString": url,  # deprecated duplicate, still required by the schema
                "default_pool_size": settings["default_pool_size"],
                "max_client_conn": settings["max_client_conn"],
                "pool_mode": settings["pool_mode"],
            }
        ]
    )
