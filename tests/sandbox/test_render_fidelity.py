"""Every Render response exercised here is validated against Render's published OpenAPI spec
(``render-openapi.json``, OpenAPI 3.0.2) with openapi-core, the sandbox URL mapped onto the spec's server.

Exceptions, each written down where it is used:

* the spec is read with the deviation table's patches (``sandbox/deviations/``), which repair schema
  defects that reject every real response; ``tests/unit/test_deviations.py`` fails once one is not needed.
* ``check_quirk`` asserts a status Render answers (or the sandbox chose) that the spec does not
  document for that operation, and that the spec indeed does not document it.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_core.templating.responses.exceptions import ResponseNotFound

from sandbox.render.vendor import CONTRACT
from tests.sandbox.conftest import RENDER_OWNER, RENDER_PREFIX, Client, Server

SPEC_SERVER = "https://api.render.com/v1"


def _validate(response: requests.Response) -> None:
    """Against the spec with the deviation table's patches (sandbox/deviations/), as the sandbox uses it."""
    prepared = response.request.copy()
    prepared.url = SPEC_SERVER + str(prepared.url).split(RENDER_PREFIX, 1)[1]
    CONTRACT.openapi.validate_response(RequestsOpenAPIRequest(prepared), RequestsOpenAPIResponse(response))


def check(response: requests.Response, status: int) -> Any:
    """Assert the status and validate status + body against the spec; returns the JSON body (or None)."""
    assert response.status_code == status, response.text
    _validate(response)
    return response.json() if response.content else None


def check_quirk(response: requests.Response, status: int, body: Any) -> None:
    """A status the spec does not document for this operation, with the body the sandbox gives."""
    assert (response.status_code, response.json()) == (status, body)
    with pytest.raises(ResponseNotFound):
        _validate(response)


def test_services_match_the_spec(render: Client, render_ids: dict[str, str]):
    service_id = render_ids["optio-dev-backend"]
    page = check(render.get("/services", params={"limit": 2}), 200)
    check(render.get("/services", params={"limit": 2, "cursor": page[-1]["cursor"]}), 200)
    check(render.get("/services", params={"name": "optio-dev-backend", "includePreviews": "false"}), 200)
    check(render.get("/services", params={"ownerId": RENDER_OWNER, "type": "web_service"}), 200)
    check(render.get(f"/services/{service_id}"), 200)
    check(
        render.patch(f"/services/{service_id}", json={"serviceDetails": {"healthCheckPath": "/healthz"}}), 200
    )
    check(render.patch(f"/services/{service_id}", json={"serviceDetails": {"healthCheckPath": ""}}), 200)
    check(render.patch(f"/services/{service_id}", json={"autoDeploy": "maybe"}), 400)
    check(render.patch(f"/services/{service_id}", json={"name": "optio-prod-backend"}), 409)
    check(render.get("/services/srv-doesnotexist0000000"), 404)
    # Quirk (sandbox): a bad limit is a 400 naming the field; list-services documents no 400.
    message = "invalid limit: must be at least 1"
    check_quirk(render.get("/services", params={"limit": 0}), 400, {"message": message})


def test_other_service_types_match_the_spec(render: Client, sandbox_server: Server):
    for service_type in ("private_service", "background_worker", "cron_job", "static_site"):
        seeded = sandbox_server.control(
            "POST", "/render/services", json={"name": service_type, "type": service_type}
        )
        check(render.get(f"/services/{seeded.json()['id']}"), 200)
        rejected = render.patch(
            f"/services/{seeded.json()['id']}", json={"serviceDetails": {"healthCheckPath": "/"}}
        )
        check(rejected, 400)
    foreign = sandbox_server.control("POST", "/render/services", json={"name": "x", "ownerId": "tea-other"})
    check(render.get(f"/services/{foreign.json()['id']}"), 403)


def test_suspend_resume_and_deploys_match_the_spec(render: Client, render_ids: dict[str, str]):
    service_id = render_ids["optio-prod-frontend"]
    check(render.post(f"/services/{service_id}/deploys", json={"clearCache": "clear"}), 201)
    check(render.get(f"/services/{service_id}/deploys"), 200)
    check(render.post(f"/services/{service_id}/suspend"), 202)
    # docs/vendors/render.md, services: a suspended service cannot be deployed; 400 is one of the two codes
    # the spec lists.
    check(render.post(f"/services/{service_id}/deploys", json={"clearCache": "do_not_clear"}), 400)
    check(render.post(f"/services/{service_id}/resume"), 202)


def test_env_vars_match_the_spec(render: Client, render_ids: dict[str, str]):
    path = f"/services/{render_ids['optio-prod-backend']}/env-vars"
    check(render.get(path, params={"limit": 1}), 200)
    check(render.put(f"{path}/SENTRY_DSN", json={"value": "https://k@sentry.test/1"}), 200)
    check(render.put(f"{path}/SECRET", json={"generateValue": True}), 200)
    check(render.put(f"{path}/A=B", json={"value": "x"}), 400)
    check(render.get(f"{path}/SENTRY_DSN"), 200)
    check(render.delete(f"{path}/SENTRY_DSN"), 204)
    check(render.get(f"{path}/SENTRY_DSN"), 404)
    check(
        render.put(
            path, json=[{"key": "APP_VERSION", "value": "1.0.0"}, {"key": "K", "generateValue": True}]
        ),
        200,
    )
    check(render.put(path, json={"key": "A"}), 400)


def test_notification_settings_match_the_spec(render: Client, render_ids: dict[str, str]):
    service_id = render_ids["optio-dev-frontend"]
    owner = f"/notification-settings/owners/{RENDER_OWNER}"
    override = f"/notification-settings/overrides/services/{service_id}"
    check(render.get(owner), 200)
    check(render.patch(owner, json={"emailEnabled": False, "previewNotificationsEnabled": True}), 200)
    check(render.get(override), 200)
    check(
        render.patch(override, json={"previewNotificationsEnabled": "true", "notificationsToSend": "all"}),
        200,
    )
    check(render.get("/notification-settings/overrides", params={"serviceId": service_id}), 200)
    check(render.get("/notification-settings/overrides", params={"ownerId": RENDER_OWNER, "limit": 2}), 200)
    # Deviation render-undocumented-errors: these operations document neither 400 nor 404, yet both happen.
    message = 'invalid previewNotificationsEnabled: must be one of "default", "false", "true"'
    check_quirk(render.patch(override, json={"previewNotificationsEnabled": True}), 400, {"message": message})
    unknown = "tea-nobody000000000000001"
    check_quirk(
        render.get(f"/notification-settings/owners/{unknown}"), 404, {"message": f"not found: {unknown}"}
    )
    missing = "srv-doesnotexist0000000"
    check_quirk(
        render.get(f"/notification-settings/overrides/services/{missing}"),
        404,
        {"message": f"not found: {missing}"},
    )


def test_log_streams_match_the_spec(render: Client, render_ids: dict[str, str]):
    owner = f"/logs/streams/owner/{RENDER_OWNER}"
    resource = f"/logs/streams/resource/{render_ids['optio-prod-backend']}"
    check(render.get(owner), 404)
    check(
        render.put(owner, json={"endpoint": "logs.example.test:6514", "token": "t", "preview": "send"}), 200
    )
    check(render.get(owner), 200)
    check(render.put(owner, json={"endpoint": "x"}), 400)
    check(render.delete(owner), 204)
    check(render.get(resource), 404)
    check(
        render.put(resource, json={"setting": "send", "endpoint": "logs.example.test:6514", "token": "t"}),
        200,
    )
    check(render.get(resource), 200)
    check(render.get("/logs/streams/resource", params={"ownerId": RENDER_OWNER}), 200)
    check(render.put(resource, json={"setting": "send"}), 400)
    check(render.delete(resource), 204)


def test_owners_match_the_spec(render: Client):
    check(render.get("/owners", params={"name": "Optio"}), 200)
    check(render.get(f"/owners/{RENDER_OWNER}"), 200)
    check(render.get("/owners/tea-nobody000000000000001"), 404)


def test_rate_limit_headers_come_twice_where_render_sends_them_twice(render: Client):
    """Recorded on the owner's notification settings (deviation render-repeated-ratelimit-headers); a client
    that joins repeated headers reads "500, 500"."""
    patched = render.patch(f"/notification-settings/owners/{RENDER_OWNER}", json={})
    assert len(patched.raw.headers.getlist("Ratelimit-Limit")) == 2
    assert patched.headers["Ratelimit-Remaining"].count(",") == 1
    assert len(render.get("/owners").raw.headers.getlist("Ratelimit-Limit")) == 1


def test_errors_of_the_platform_match_the_spec(render: Client, sandbox_server: Server):
    check(Client(render.base, api_key=None).get("/services"), 401)
    accept = {"Authorization": f"Bearer {render.api_key}", "Accept": "text/plain"}
    check(requests.get(f"{render.base}/services", headers=accept, timeout=5), 406)
    for kind in ("429", "500", "503"):
        sandbox_server.control("POST", "/faults", json={"vendor": "render", "kind": kind, "path": "/owners"})
        check(render.get("/owners"), int(kind))
    sandbox_server.control("PUT", "/render/settings", json={"writeRateLimit": 1})
    check(render.patch(f"/notification-settings/owners/{RENDER_OWNER}", json={}), 200)
    check(render.patch(f"/notification-settings/owners/{RENDER_OWNER}", json={}), 429)
