"""Render services: list wrapping and pagination, filters, the partial PATCH, suspend/resume and deploys."""

from __future__ import annotations

from typing import Any

from tests.sandbox.conftest import RENDER_OWNER, Client, Server, render_names

SEEDED = ["optio-dev-frontend", "optio-dev-backend", "optio-prod-frontend", "optio-prod-backend"]
PREVIEW = "optio-dev-backend-pr-7"


def _all_pages(render: Client, **params: Any) -> tuple[list[str], int]:
    """Every service name, following cursors until the empty page; also the number of requests."""
    names: list[str] = []
    cursor = None
    for calls in range(1, 50):
        page = render.get("/services", params={**params, **({"cursor": cursor} if cursor else {})}).json()
        if page == []:
            return names, calls
        names += render_names(page)
        cursor = page[-1]["cursor"]
    raise AssertionError("pagination did not end")


def test_list_wraps_each_service_with_a_cursor(render: Client):
    page = render.get("/services").json()
    assert [set(item) for item in page] == [{"cursor", "service"}] * 5
    assert render_names(page) == [*SEEDED, PREVIEW]  # includePreviews defaults to true
    service = page[1]["service"]
    assert service["id"].startswith("srv-") and len(service["id"]) == 24
    assert service["id"][4:].isalnum() and service["id"][4:].islower()
    assert (service["type"], service["ownerId"], service["suspended"]) == (
        "web_service",
        RENDER_OWNER,
        "not_suspended",
    )
    details = service["serviceDetails"]
    assert (details["healthCheckPath"], details["runtime"]) == ("", "python")
    assert details["maintenanceMode"] == {"enabled": False, "uri": ""}
    assert page[0]["service"]["serviceDetails"]["runtime"] == "node"


def test_cursor_pagination_ends_with_an_empty_page(render: Client):
    names, calls = _all_pages(render, limit=2)
    assert names == [*SEEDED, PREVIEW] and calls == 4  # pages of 2, 2, 1, then []
    assert _all_pages(render, limit=100) == ([*SEEDED, PREVIEW], 2)
    assert render.get("/services", params={"limit": 101}).status_code == 400
    assert render.get("/services", params={"cursor": "not a cursor!"}).json() == {"message": "invalid cursor"}


def test_previews_show_up_in_name_lookups_unless_excluded(render: Client, render_ids: dict[str, str]):
    by_name = render.get("/services", params={"name": "optio-dev-backend"}).json()
    assert render_names(by_name) == ["optio-dev-backend", PREVIEW]
    parent = by_name[1]["service"]["serviceDetails"]["parentServer"]
    assert parent == {"id": render_ids["optio-dev-backend"], "name": "optio-dev-backend"}
    exact = render.get("/services", params={"name": "optio-dev-backend", "includePreviews": "false"}).json()
    assert render_names(exact) == ["optio-dev-backend"]
    assert len(render.get("/services", params={"includePreviews": "false"}).json()) == 4


def test_array_filters_take_comma_separated_values(render: Client):
    both = render.get("/services", params={"name": "optio-prod-frontend,optio-prod-backend"}).json()
    assert render_names(both) == ["optio-prod-frontend", "optio-prod-backend"]
    owned = render.get("/services", params={"ownerId": RENDER_OWNER, "includePreviews": "false"}).json()
    assert render_names(owned) == SEEDED
    assert render.get("/services", params={"ownerId": "tea-someoneelse0000001"}).json() == []
    assert len(render.get("/services", params={"type": "web_service,cron_job"}).json()) == 5
    assert render.get("/services", params={"type": "cron_job"}).json() == []
    bad = render.get("/services", params={"type": "lambda"})
    assert bad.status_code == 400 and "type" in bad.json()["message"]


def test_suspended_filter_and_suspend_resume(render: Client, render_ids: dict[str, str]):
    service_id = render_ids["optio-prod-backend"]
    suspend = render.post(f"/services/{service_id}/suspend")
    assert (suspend.status_code, suspend.content) == (202, b"")
    service = render.get(f"/services/{service_id}").json()
    assert (service["suspended"], service["suspenders"]) == ("suspended", ["user"])
    assert render_names(render.get("/services", params={"suspended": "suspended"}).json()) == [
        "optio-prod-backend"
    ]
    assert render.post(f"/services/{service_id}/resume").status_code == 202
    service = render.get(f"/services/{service_id}").json()
    assert (service["suspended"], service["suspenders"]) == ("not_suspended", [])


def test_only_user_suspensions_can_be_resumed(
    render: Client, sandbox_server: Server, render_ids: dict[str, str]
):
    service_id = render_ids["optio-dev-frontend"]
    billing = {"suspended": "suspended", "suspenders": ["billing"]}
    sandbox_server.control("PATCH", f"/render/services/{service_id}", json=billing)
    resume = render.post(f"/services/{service_id}/resume")
    assert resume.status_code == 400
    assert resume.json() == {"message": "only services suspended by a user can be resumed"}


def test_patch_sets_and_unsets_the_health_check_path(render: Client, render_ids: dict[str, str]):
    service_id = render_ids["optio-prod-backend"]
    before = render.get(f"/services/{service_id}").json()
    patched = render.patch(
        f"/services/{service_id}", json={"serviceDetails": {"healthCheckPath": "/healthz"}}
    )
    assert patched.status_code == 200
    body = patched.json()
    assert body["serviceDetails"]["healthCheckPath"] == "/healthz"
    # Partial: every other field, nested ones included, is as it was.
    assert {**body["serviceDetails"], "healthCheckPath": ""} == before["serviceDetails"]
    assert {**body, "serviceDetails": None, "updatedAt": None} == {
        **before,
        "serviceDetails": None,
        "updatedAt": None,
    }
    assert render.get(f"/services/{service_id}").json() == body
    unset = render.patch(f"/services/{service_id}", json={"serviceDetails": {"healthCheckPath": ""}}).json()
    assert unset["serviceDetails"]["healthCheckPath"] == ""


def test_patch_merges_maintenance_mode_and_top_level_fields(render: Client, render_ids: dict[str, str]):
    path = f"/services/{render_ids['optio-dev-backend']}"
    body = {"autoDeploy": "no", "serviceDetails": {"maintenanceMode": {"enabled": True, "uri": ""}}}
    patched = render.patch(path, json=body).json()
    assert patched["autoDeploy"] == "no"
    assert patched["serviceDetails"]["maintenanceMode"] == {"enabled": True, "uri": ""}
    assert patched["serviceDetails"]["healthCheckPath"] == ""


def test_patch_rejects_web_only_fields_on_other_types(render: Client, sandbox_server: Server):
    worker = sandbox_server.control(
        "POST", "/render/services", json={"name": "optio-worker", "type": "background_worker"}
    )
    path = f"/services/{worker.json()['id']}"
    rejected = render.patch(path, json={"serviceDetails": {"healthCheckPath": "/healthz"}})
    assert rejected.status_code == 400
    assert "healthCheckPath" in rejected.json()["message"] and set(rejected.json()) == {"message"}
    assert "healthCheckPath" not in render.get(path).json()["serviceDetails"]
    assert (
        render.patch(path, json={"serviceDetails": {"numInstances": 3}}).status_code == 200
    )  # unknown: ignored


def test_patch_validation_names_the_field(render: Client, render_ids: dict[str, str]):
    path = f"/services/{render_ids['optio-dev-backend']}"
    cases = {
        "autoDeploy": {"autoDeploy": True},
        "healthCheckPath": {"serviceDetails": {"healthCheckPath": "healthz"}},
        "maxShutdownDelaySeconds": {"serviceDetails": {"maxShutdownDelaySeconds": 301}},
        "serviceDetails": {"serviceDetails": "web"},
    }
    for field, body in cases.items():
        response = render.patch(path, json=body)
        assert response.status_code == 400 and field in response.json()["message"], (field, response.text)
    assert render.patch(path, data="{").json() == {"message": "invalid JSON in request body"}
    taken = render.patch(path, json={"name": "optio-prod-backend"})
    assert taken.status_code == 409 and "optio-prod-backend" in taken.json()["message"]


def test_deploys_are_created_and_listed(render: Client, sandbox_server: Server, render_ids: dict[str, str]):
    service_id = render_ids["optio-dev-backend"]
    created = render.post(f"/services/{service_id}/deploys", json={"clearCache": "do_not_clear"})
    assert created.status_code == 201
    deploy = created.json()
    assert deploy["id"].startswith("dep-") and deploy["trigger"] == "api" and deploy["status"] == "created"
    second = render.post(f"/services/{service_id}/deploys", json={"clearCache": "clear"}).json()
    listed = render.get(f"/services/{service_id}/deploys").json()
    assert [set(item) for item in listed] == [{"deploy", "cursor"}] * 2
    assert [item["deploy"]["id"] for item in listed] == [second["id"], deploy["id"]]  # newest first
    recorded = sandbox_server.control("GET", "/render/deploys").json()
    assert recorded == [
        {"serviceId": service_id, "id": deploy["id"], "createdAt": deploy["createdAt"], "trigger": "api"},
        {"serviceId": service_id, "id": second["id"], "createdAt": second["createdAt"], "trigger": "api"},
    ]
    bad = render.post(f"/services/{service_id}/deploys", json={"clearCache": "yes"})
    assert bad.status_code == 400 and "clearCache" in bad.json()["message"]


def test_a_suspended_service_cannot_be_deployed(
    render: Client, sandbox_server: Server, render_ids: dict[str, str]
):
    service_id = render_ids["optio-prod-frontend"]
    render.post(f"/services/{service_id}/suspend")
    refused = render.post(f"/services/{service_id}/deploys", json={"clearCache": "do_not_clear"})
    assert (refused.status_code, refused.json()) == (400, {"message": "cannot deploy suspended service"})
    assert sandbox_server.control("GET", "/render/deploys").json() == []


def test_unknown_and_foreign_services(render: Client, sandbox_server: Server):
    missing = render.get("/services/srv-doesnotexist0000000")
    assert (missing.status_code, missing.json()) == (404, {"message": "not found: srv-doesnotexist0000000"})
    assert render.patch("/services/srv-doesnotexist0000000", json={}).status_code == 404
    foreign = {"name": "elsewhere", "ownerId": "tea-elsewhere00000000001"}
    other = sandbox_server.control("POST", "/render/services", json=foreign).json()
    assert render.get(f"/services/{other['id']}").status_code == 403
    assert "elsewhere" not in render_names(render.get("/services", params={"limit": 100}).json())
