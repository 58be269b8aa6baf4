"""What the sandbox says of a client's calls against the vendor's official spec: a request that breaks it is
answered as the vendor answers bad input and recorded (`/_control/violations`), a call it has no route for
is answered with the vendor's 404 and recorded (`/_control/unserved`), and the check's kept verdicts never
let a bad request pass."""

from __future__ import annotations

from sandbox.contract_cache import url_shape
from tests.sandbox.conftest import ORG, Client, Server, window_body


def test_requests_that_break_the_spec_are_answered_as_bad_requests_and_counted(
    ur: Client, sandbox_server: Server
):
    sandbox_server.control("DELETE", "/violations")
    response = ur.post("/maintenance-windows", json=window_body(duration="90"))
    assert (response.status_code, response.json()) == (
        400,
        {
            "message": ["duration must be a number conforming to the specified constraints"],
            "error": "Bad Request",
            "statusCode": 400,
        },
    )
    assert ur.post("/maintenance-windows", json=window_body()).status_code == 201
    violations = sandbox_server.control("GET", "/violations").json()
    assert violations["total"] == 1
    assert violations["items"][0]["path"] == "/maintenance-windows"
    assert violations["items"][0]["problems"][0].startswith("duration:")
    assert sandbox_server.control("DELETE", "/violations").json() == {"total": 0, "items": []}


def test_an_operation_the_sandbox_does_not_serve_is_answered_as_the_vendor_does_and_recorded(
    ur: Client, sandbox_server: Server
):
    """A gap shows: an operation of the vendor's spec (or any path) the sandbox has no route for is answered
    with the vendor's own 404 and counted by operation (issue #29)."""
    sandbox_server.control("DELETE", "/unserved")
    for _ in range(2):  # the spec's MonitorGroupsController_create: the sandbox reads groups, never makes one
        response = ur.post("/monitor-groups", json={"name": "Production"})
        assert response.status_code == 404
        assert "Cannot POST /v3/monitor-groups" in str(response.json())
    assert ur.get("/monitor-groups").status_code == 200  # served: not recorded
    unserved = sandbox_server.control("GET", "/unserved").json()
    assert unserved == {
        "total": 2,
        "items": [{"vendor": "uptimerobot", "method": "POST", "path": "/v3/monitor-groups", "count": 2}],
    }
    assert sandbox_server.control("DELETE", "/unserved").json() == {"total": 0, "items": []}


def test_the_check_judges_every_request_anew_after_what_it_keeps_of_the_spec(
    ur: Client, sandbox_server: Server
):
    """sandbox/contract_cache.py keeps validators and found operations: a request on the same route with
    a different body or query is judged on its own, a bad one after a good one and the other way round."""
    sandbox_server.control("DELETE", "/violations")
    answers = [
        ur.post("/maintenance-windows", json=body).status_code
        for body in (window_body(), window_body(duration="90"), window_body(), window_body(duration="90"))
    ]
    assert answers == [201, 400, 201, 400]
    limits = [ur.get("/monitors", params={"limit": v}).status_code for v in ("10", "ten", "10")]
    assert limits == [200, 400, 200]
    assert sandbox_server.control("GET", "/violations").json()["total"] == 3


def test_a_path_parameter_is_judged_from_its_own_request(sentry: Client, sandbox_server: Server):
    """Requests to one route share the operation the check found for it (contract_cache.py), never the
    path parameters: Sentry's detector_id is an integer, so `abc` breaks the spec after `1` did not."""
    sandbox_server.control("DELETE", "/violations")
    for detector_id in ("1", "abc", "2", "abc"):
        sentry.get(f"/organizations/{ORG}/detectors/{detector_id}/")
    found = sandbox_server.control("GET", "/violations").json()
    assert found["total"] == 2, found


def test_urls_share_a_found_operation_only_where_the_spec_has_whole_segment_parameters():
    shape = url_shape(["/monitors", "/monitors/{id}", "/monitors/{id}/pause"])
    assert shape is not None
    assert shape("/v3/monitors/17") == shape("/v3/monitors/18") != shape("/v3/monitors/pause")
    assert shape("/v3/monitors/17/pause") != shape("/v3/monitors/17/start")
    assert url_shape(["/files/{name}.json"]) is None  # `a.json` and `a.yaml` differ in whether it matches
