"""The Supabase Management API v1 as the sandbox serves it (sandbox/supabase/): every answer validated
against Supabase's published spec (specs/supabase-management-openapi.json); errors, the rate limit and the
read-only SQL as the recorded answers show them (docs/vendors/supabase.md)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.templating.responses.exceptions import ResponseNotFound

from sandbox.supabase.repo import SEEDED
from sandbox.supabase.vendor import ACCESS_TOKEN, CONTRACT
from tests.sandbox.conftest import Client, Server

PREFIX = "/supabase"
PROD = dict(SEEDED)["optio-prod"]
QUERY = f"/v1/projects/{PROD}/database/query/read-only"
CONNECTIONS = (
    "select count(*) as used, current_setting('max_connections')::int as max "
    "from pg_catalog.pg_stat_activity where backend_type = 'client backend'"
)


@pytest.fixture
def supabase(sandbox_server: Server) -> Client:
    client = Client(sandbox_server.url + PREFIX)
    client.api_key = ACCESS_TOKEN
    return client


def edit(server: Server, **state: Any) -> None:
    server.control("PATCH", f"/supabase/projects/{PROD}", json=state)


def check(response: requests.Response, status: int) -> Any:
    """The status, and status + body valid against the spec; the JSON body."""
    assert response.status_code == status, response.text
    prepared = response.request.copy()
    prepared.url = "https://api.supabase.com" + str(prepared.url).split(PREFIX, 1)[1]
    CONTRACT.openapi.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response))
    return response.json()


def undocumented(response: requests.Response, status: int) -> Any:
    """A status the live API answers that the spec does not document for the operation."""
    assert response.status_code == status, response.text
    prepared = response.request.copy()
    prepared.url = "https://api.supabase.com" + str(prepared.url).split(PREFIX, 1)[1]
    with pytest.raises(ResponseNotFound):
        CONTRACT.openapi.validate_response(
            RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response)
        )
    return response.json()


def test_projects_are_listed_and_read_and_an_unknown_ref_is_forbidden(supabase: Client):
    listed = check(supabase.get("/v1/projects"), 200)
    assert {(p["name"], p["ref"]) for p in listed} == set(SEEDED)
    assert check(supabase.get(f"/v1/projects/{PROD}"), 200)["status"] == "ACTIVE_HEALTHY"
    refused = check(supabase.get("/v1/projects/abcdefghijklmnopqrst"), 403)
    assert "does not have the necessary privileges" in refused["message"]  # a 403, never a 404


def test_a_wrong_token_is_unauthorized_with_the_recorded_body(supabase: Client):
    supabase.api_key = "sbp_" + "0" * 40
    assert check(supabase.get("/v1/projects"), 401) == {"message": "Unauthorized"}


def test_health_answers_each_service_asked_for_and_a_failing_one_with_its_error(
    supabase: Client, sandbox_server: Server
):
    asked = {"services": ["db", "pooler", "auth"]}  # repeated keys: the spec's form style
    healthy = check(supabase.get(f"/v1/projects/{PROD}/health", params=asked), 200)
    assert [(s["name"], s["status"], s["healthy"]) for s in healthy] == [
        ("db", "ACTIVE_HEALTHY", True),
        ("pooler", "ACTIVE_HEALTHY", True),
        ("auth", "ACTIVE_HEALTHY", True),
    ]
    edit(sandbox_server, services={"db": {"status": "UNHEALTHY", "error": "Failed to connect to database"}})
    down = check(supabase.get(f"/v1/projects/{PROD}/health", params={"services": "db"}), 200)
    assert down == [
        {"name": "db", "healthy": False, "status": "UNHEALTHY", "error": "Failed to connect to database"}
    ]


def test_health_without_services_breaks_the_contract(supabase: Client, sandbox_server: Server):
    sandbox_server.control("DELETE", "/violations")
    assert supabase.get(f"/v1/projects/{PROD}/health").status_code == 400
    assert sandbox_server.control("GET", "/violations").json()["total"] == 1


def test_disk_utilisation_is_in_bytes(supabase: Client, sandbox_server: Server):
    edit(sandbox_server, disk={"size_bytes": 8_000_000_000, "used_bytes": 6_800_000_000})
    metrics = check(supabase.get(f"/v1/projects/{PROD}/config/disk/util"), 200)["metrics"]
    assert metrics == {"fs_size_bytes": 8e9, "fs_used_bytes": 6.8e9, "fs_avail_bytes": 1.2e9}


def test_a_backup_is_taken_every_day_and_fails_while_uploads_fail(supabase: Client, sandbox_server: Server):
    before = check(supabase.get(f"/v1/projects/{PROD}/database/backups"), 200)
    assert len(before["backups"]) == 7 and {b["status"] for b in before["backups"]} == {"COMPLETED"}
    edit(sandbox_server, backups={"failing": True})
    sandbox_server.control("POST", "/clock", json={"advance": 86400})
    after = check(supabase.get(f"/v1/projects/{PROD}/database/backups"), 200)["backups"]
    assert len(after) == 7  # a week kept: the oldest went as the newest came
    assert after[0]["status"] == "FAILED" and after[0]["inserted_at"] > before["backups"][0]["inserted_at"]
    assert after[0]["inserted_at"].endswith("Z")


def test_the_pooler_is_supavisor_on_the_primary(supabase: Client):
    (primary,) = check(supabase.get(f"/v1/projects/{PROD}/config/database/pooler"), 200)
    assert (primary["database_type"], primary["max_client_conn"], primary["db_port"]) == (
        "PRIMARY",
        200,
        6543,
    )


def test_read_only_sql_counts_client_connections_against_the_limit(supabase: Client, sandbox_server: Server):
    edit(sandbox_server, db={"connections": {"active": 40, "idle": 12}})
    response = supabase.post(QUERY, json={"query": CONNECTIONS})
    assert response.status_code == 201 and response.json() == [{"used": 52, "max": 60}]
    everything = supabase.post(QUERY, json={"query": "select count(*) from pg_catalog.pg_stat_activity"})
    assert everything.json()[0]["count"] > 52  # background processes are rows too: filter on backend_type


def test_read_only_sql_finds_slow_statements_with_parameters(supabase: Client, sandbox_server: Server):
    slow = {"query": "SELECT * FROM public.quests ORDER BY created_at", "calls": 12, "mean_exec_time": 1850.0}
    edit(sandbox_server, db={"statements": [slow]})
    query = (
        "select query, calls, mean_exec_time from extensions.pg_stat_statements "
        "where mean_exec_time > $1 order by mean_exec_time desc"
    )
    rows = supabase.post(QUERY, json={"query": query, "parameters": [1000]}).json()
    assert rows == [{"query": slow["query"], "calls": 12, "mean_exec_time": 1850.0}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("insert into public.t values (1)", "25006: cannot execute INSERT in a read-only transaction"),
        ("create table public.t (a int)", "25006: cannot execute CREATE TABLE in a read-only transaction"),
        ("select * from pg_stat_statements", '42P01: relation "pg_stat_statements" does not exist'),
        ("selec 1", '42601: syntax error at or near "selec"'),
        ("select nope from pg_catalog.pg_stat_activity", '42703: column "nope" does not exist'),
    ],
)
def test_read_only_sql_refuses_as_postgres_does(supabase: Client, query: str, message: str):
    response = supabase.post(QUERY, json={"query": query})
    assert undocumented(response, 400) == {"message": f"Failed to run sql query: ERROR:  {message}\n"}


def test_a_database_that_is_down_times_out_with_544(supabase: Client, sandbox_server: Server):
    edit(sandbox_server, services={"db": {"status": "UNHEALTHY", "error": "Failed to connect to database"}})
    answer = undocumented(supabase.post(QUERY, json={"query": "select 1"}), 544)
    assert answer["message"].endswith("Connection terminated due to connection timeout")


def test_120_requests_a_minute_per_project_then_429_until_the_window_ends(
    supabase: Client, sandbox_server: Server
):
    for n in range(120):
        response = supabase.get(f"/v1/projects/{PROD}/config/disk/util")
        assert response.headers["x-ratelimit-remaining"] == str(119 - n)
    assert response.headers["x-ratelimit-limit"] == "120"
    throttled = supabase.get(f"/v1/projects/{PROD}")
    assert check(throttled, 429) == {"message": "Too Many Requests"}
    assert supabase.get("/v1/projects").status_code == 200  # the organization's scope is another window
    sandbox_server.control("POST", "/clock", json={"advance": 60})
    assert supabase.get(f"/v1/projects/{PROD}").status_code == 200


def test_backups_that_failed_since_an_instant_read_as_failed(supabase: Client, sandbox_server: Server):
    listed = check(supabase.get(f"/v1/projects/{PROD}/database/backups"), 200)["backups"]
    newest = listed[0]["inserted_at"]
    edit(sandbox_server, backups={"failing": True, "failed_since": newest})
    after = check(supabase.get(f"/v1/projects/{PROD}/database/backups"), 200)["backups"]
    assert [b["status"] for b in after[:2]] == ["FAILED", "COMPLETED"]
