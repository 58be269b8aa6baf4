"""The reference app answers as the plan's app does, and each fault changes exactly what it names."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from refapp.app import PASSWORD, REQUEST_ID, create_app
from refapp.faults import Faults, Share

ENVIRON = {"APP_VERSION": "2.4.0", "FLASK_ENV": "production"}


@pytest.fixture
def backend() -> FlaskClient:
    return create_app("backend", ENVIRON).test_client()


def faults(client: FlaskClient, **changes: Any) -> dict[str, Any]:
    answer = client.put("/_faults", json=changes)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body: dict[str, Any] = answer.get_json()
    return body


def test_health_is_the_plan_s_step_3_answer(backend: FlaskClient):
    answer = backend.get("/api/health")
    body = answer.get_json()
    assert answer.status_code == 200
    assert set(body) == {"status", "timestamp", "version", "environment", "checks"}
    assert (body["status"], body["version"], body["environment"]) == ("healthy", "2.4.0", "production")
    assert body["checks"]["database"]["status"] == "healthy"
    assert isinstance(body["checks"]["database"]["response_time_ms"], int)
    # Flask's compact JSON out of debug mode: the plan's keyword '"status":"healthy"' is in the body.
    assert '"status":"healthy"' in answer.get_data(as_text=True)


def test_a_database_failure_makes_health_503_unhealthy_and_the_healthy_keyword_disappears(
    backend: FlaskClient,
):
    faults(backend, database_down=True)
    answer = backend.get("/api/health")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 503
    assert answer.get_json()["checks"]["database"] == {
        "status": "unhealthy",
        "error": "could not connect to server: Connection refused",
    }
    assert '"status":"healthy"' not in text and "healthy" in text  # the bare word still matches


def test_every_answer_carries_a_request_id_and_errors_name_it(backend: FlaskClient):
    sent = backend.get("/api/quests", headers={REQUEST_ID: "req-42"})
    assert sent.headers[REQUEST_ID] == "req-42"
    missing = backend.get("/api/nothing")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["request_id"] == missing.headers[REQUEST_ID] != ""


def test_the_error_share_fails_that_share_of_api_requests_with_a_500_and_hides_the_details(
    backend: FlaskClient,
):
    faults(backend, error_share=0.25)
    answers = [backend.get("/api/quests") for _ in range(20)]
    failed = [a for a in answers if a.status_code == 500]
    assert len(failed) == 5
    assert all("injected" not in a.get_data(as_text=True) for a in failed)
    assert failed[0].get_json()["error"]["type"] == "Internal Server Error"
    assert backend.get("/api/health").status_code == 200  # the health check is not an API call


def test_logins_fail_as_the_faults_say(backend: FlaskClient):
    login = {"email": "a@optio.test", "password": PASSWORD}
    assert backend.post("/api/auth/login", json=login).status_code == 200
    assert backend.post("/api/auth/login", json={**login, "password": "no"}).status_code == 401
    faults(backend, failed_logins=0.5)
    statuses = [backend.post("/api/auth/login", json=login).status_code for _ in range(4)]
    assert sorted(statuses) == [200, 200, 401, 401] and statuses[0] != statuses[1]  # every other one
    faults(backend, failed_logins=0.0, auth_down=True)
    assert backend.post("/api/auth/login", json=login).status_code == 503


def test_payments_fail_with_a_502_while_the_fault_is_on(backend: FlaskClient):
    assert backend.post("/api/payments/checkout").status_code == 200
    faults(backend, payments_failing=True)
    assert backend.post("/api/payments/checkout").status_code == 502
    assert backend.get("/_faults").get_json()["payments_failing"] is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"databse_down": True}, "faults.databse_down"),
        ({"database_down": "yes"}, "faults.database_down"),
        ({"error_share": 1.5}, "faults.error_share"),
        ({"delay": -1}, "faults.delay"),
    ],
)
def test_bad_faults_are_refused_naming_the_field_and_nothing_changes(
    backend: FlaskClient, changes: dict[str, Any], field: str
):
    answer = backend.put("/_faults", json=changes)
    assert answer.status_code == 400 and field in answer.get_json()["error"]["message"]
    assert backend.get("/_faults").get_json() == Faults().view()


def test_shares_are_deterministic():
    share = Share()
    assert [share.hit(1 / 3) for _ in range(6)] == [False, False, True, False, False, True]


def test_the_frontend_serves_its_page_and_its_health_check_only(backend: FlaskClient):
    frontend = create_app("frontend", ENVIRON).test_client()
    assert frontend.get("/").status_code == 200 and b"Optio" in frontend.get("/").data
    health = frontend.get("/api/health")  # the plan's checklist: "Frontend health check endpoint"
    assert health.status_code == 200 and health.get_json()["status"] == "healthy"
    assert "checks" not in health.get_json()  # no database behind a page
    assert frontend.post("/api/auth/login", json={}).status_code == 404
    with pytest.raises(ValueError, match="role"):
        create_app("worker", ENVIRON)
