"""The control API: reset, clock, settings, accounts, out-of-band data, faults, counters; plus rate limits,
persistence across restarts and the command line."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.sandbox.conftest import (
    PREFIX,
    REPO,
    Client,
    Server,
    http_monitor,
    start_server,
    window_body,
)

COLLECTION_BODIES = {
    "monitors": http_monitor(interval=30),  # below the free plan's minimum: seeding skips validation
    "alert-contacts": {"type": "Email", "value": "seeded@example.test"},
    "integrations": {"type": "Slack", "data": {"webhookURL": "https://hooks.test", "customValue": ""}},
    "maintenance-windows": window_body(),
    "psps": {"friendlyName": "Seeded page"},
}


def test_health(server: Server):
    assert server.control("GET", "/health").json() == {"ok": True}


def test_reset_wipes_data_and_reseeds_the_default_account(ur: Client, sandbox_server: Server):
    ur.post("/monitors", json=http_monitor())
    sandbox_server.control("POST", "/clock", json={"advance": 100})
    sandbox_server.control("POST", "/reset")
    assert sandbox_server.control("GET", "/clock").json()["offset"] == 0
    assert sandbox_server.control("GET", "/requests").json() == {"total": 0, "byRoute": {}, "byStatus": {}}
    assert ur.get("/monitors").json() == {"data": [], "nextLink": None}
    assert ur.get("/user/me").status_code == 200


def test_clock_advances(sandbox_server: Server):
    before = sandbox_server.control("GET", "/clock").json()
    after = sandbox_server.control("POST", "/clock", json={"advance": 3600}).json()
    assert after["offset"] == 3600 and after["now"] - before["now"] >= 3600
    assert (
        requests.post(f"{sandbox_server.url}/_control/clock", json={"advance": -1}, timeout=5).status_code
        == 400
    )


def test_settings_are_partial_updates(sandbox_server: Server):
    changed = sandbox_server.control("PUT", "/uptimerobot/settings", json={"plan": "team"}).json()
    assert changed == {
        "plan": "team",
        "rateLimit": 100_000,
        "monitorLimit": 100,
        "readAfterWriteLagSeconds": 0,
    }
    reverted = sandbox_server.control("PUT", "/uptimerobot/settings", json={"rateLimit": None}).json()
    assert reverted["rateLimit"] == 200 and reverted["plan"] == "team"
    raised = sandbox_server.control("PUT", "/uptimerobot/settings", json={"monitorLimit": 600}).json()
    assert raised["monitorLimit"] == 600 and raised["plan"] == "team"
    assert sandbox_server.control("GET", "/uptimerobot/settings").json()["monitorLimit"] == 600
    sandbox_server.control("PUT", "/uptimerobot/settings", json={"monitorLimit": None})
    bad = requests.put(
        f"{sandbox_server.url}/_control/uptimerobot/settings", json={"plan": "gold"}, timeout=5
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("collection", COLLECTION_BODIES)
def test_seed_edit_list_and_delete_out_of_band(ur: Client, sandbox_server: Server, collection: str):
    path = f"/uptimerobot/{collection}"
    seeded = sandbox_server.control("POST", path, json=COLLECTION_BODIES[collection])
    assert seeded.status_code == 201
    doc_id = seeded.json()["id"]
    assert ur.get(f"/{collection}/{doc_id}").json() == seeded.json()
    edited = sandbox_server.control("PATCH", f"{path}/{doc_id}", json={"friendlyName": "edited"}).json()
    assert edited["friendlyName"] == "edited" == ur.get(f"/{collection}/{doc_id}").json()["friendlyName"]
    assert doc_id in [doc["id"] for doc in sandbox_server.control("GET", path).json()]
    sandbox_server.control("DELETE", f"{path}/{doc_id}")
    assert ur.get(f"/{collection}/{doc_id}").status_code == 404
    counted = sandbox_server.control("GET", "/requests").json()["byRoute"]
    assert counted == {f"uptimerobot GET /{collection}/{{id}}": 3}  # control calls are never counted


def test_added_account_has_its_own_data_and_plan(sandbox_server: Server, ur: Client):
    sandbox_server.add_account("team-key", plan="team")
    team = Client(ur.base, api_key="team-key")
    assert team.post("/monitors", json=http_monitor(interval=60)).status_code == 201
    assert team.get("/user/me").json()["email"] == "team-key@x.io"
    assert ur.get("/monitors").json()["data"] == []


def test_requests_are_counted_by_route_and_logged(ur: Client, sandbox_server: Server):
    monitor = ur.post("/monitors", json=http_monitor()).json()
    ur.get(f"/monitors/{monitor['id']}")
    ur.get("/monitors/1")
    Client(ur.base, api_key=None).get("/monitors")
    counts = sandbox_server.control("GET", "/requests").json()
    assert counts == {
        "total": 4,
        "byRoute": {
            "uptimerobot POST /monitors": 1,
            "uptimerobot GET /monitors/{id}": 2,
            "uptimerobot GET /monitors": 1,
        },
        "byStatus": {"uptimerobot 201": 1, "uptimerobot 200": 1, "uptimerobot 404": 1, "uptimerobot 401": 1},
    }
    log = sandbox_server.control("GET", "/log").json()
    assert [(entry["method"], entry["status"]) for entry in log] == [
        ("POST", 201),
        ("GET", 200),
        ("GET", 404),
        ("GET", 401),
    ]
    assert log[2]["path"] == f"{PREFIX}/monitors/1" and "sandbox-uptimerobot-key" not in str(log)
    sandbox_server.control("DELETE", "/requests")
    assert sandbox_server.control("GET", "/requests").json() == {"total": 0, "byRoute": {}, "byStatus": {}}


def test_the_sandbox_times_each_vendor_request_and_its_contract_check(ur: Client, sandbox_server: Server):
    sandbox_server.control("DELETE", "/timings")
    ur.post("/monitors", json=http_monitor())
    ur.get("/monitors")
    sandbox_server.control("GET", "/requests")  # control requests are not vendor requests
    timed = sandbox_server.control("GET", "/timings").json()
    assert timed["count"] == 2
    server, contract = timed["server"], timed["contract"]
    assert 0 < contract["totalMs"] <= server["totalMs"]  # the check is part of the server's time
    assert 0 < server["medianMs"] <= server["p95Ms"] <= server["totalMs"]
    emptied = sandbox_server.control("DELETE", "/timings").json()
    assert emptied["count"] == 0 and emptied["server"]["totalMs"] == 0


def test_log_keeps_the_last_200_requests(ur: Client, sandbox_server: Server):
    for _ in range(205):
        ur.get("/tags")
    assert len(sandbox_server.control("GET", "/log").json()) == 200


def test_rate_limit_window_and_recovery(ur: Client, sandbox_server: Server):
    sandbox_server.control("PUT", "/uptimerobot/settings", json={"rateLimit": None})  # free plan: 10/min
    responses = [ur.get("/monitors") for _ in range(10)]
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in responses] == list(range(9, -1, -1))
    assert all(
        r.headers["X-RateLimit-Limit"] == "10" and 0 < int(r.headers["X-RateLimit-Reset"]) <= 60
        for r in responses
    )
    throttled = ur.get("/monitors")
    assert throttled.status_code == 429 and throttled.text == "ThrottlerException: Too Many Requests"
    assert (
        0 < int(throttled.headers["Retry-After"]) <= 60 and throttled.headers["X-RateLimit-Remaining"] == "0"
    )
    sandbox_server.control("POST", "/clock", json={"advance": 61})
    recovered = ur.get("/monitors")
    assert recovered.status_code == 200 and recovered.headers["X-RateLimit-Remaining"] == "9"


def test_rate_limit_window_is_shared_by_the_clients_of_an_account(ur: Client, sandbox_server: Server):
    sandbox_server.control("PUT", "/uptimerobot/settings", json={"rateLimit": 4})
    sandbox_server.add_account("other")
    first, second, other = Client(ur.base), Client(ur.base), Client(ur.base, api_key="other")
    assert [client.get("/tags").status_code for client in (first, second, first, second)] == [200] * 4
    assert first.get("/tags").status_code == 429 and second.get("/tags").status_code == 429
    assert other.get("/tags").headers["X-RateLimit-Remaining"] == "9"  # another account, another window


def test_other_accounts_objects_are_not_found(ur: Client, sandbox_server: Server):
    sandbox_server.add_account("second", plan="team")
    monitor = ur.monitor()
    other = Client(ur.base, api_key="second")
    assert other.get(f"/monitors/{monitor['id']}").json() == {
        "message": "Monitor not found",
        "code": "000-004",
    }
    assert other.get("/monitors").json()["data"] == []


def test_read_after_write_lag(ur: Client, sandbox_server: Server):
    """A new object is not found and a changed one shows its previous version, for the lag's length."""
    sandbox_server.control("PUT", "/uptimerobot/settings", json={"readAfterWriteLagSeconds": 30})
    path = f"/monitors/{ur.monitor()['id']}"
    assert ur.get(path).status_code == 404
    sandbox_server.control("POST", "/clock", json={"advance": 31})
    assert ur.get(path).json()["interval"] == 300
    assert ur.patch(path, json={"interval": 600}).json()["interval"] == 600  # the write's own answer
    assert ur.get(path).json()["interval"] == 300
    sandbox_server.control("POST", "/clock", json={"advance": 31})
    assert ur.get(path).json()["interval"] == 600


def fault(server: Server, kind: str, method: str = "POST", path: str = "/monitors", count: int = 1) -> None:
    spec = {"vendor": "uptimerobot", "method": method, "path": path, "kind": kind, "count": count}
    server.control("POST", "/faults", json=spec)


@pytest.mark.parametrize("kind", ["500", "503"])
def test_server_error_faults(ur: Client, sandbox_server: Server, kind: str):
    fault(sandbox_server, kind, "GET", "/monitors/{id}", count=2)
    monitor = ur.post("/monitors", json=http_monitor()).json()
    for _ in range(2):
        response = ur.get(f"/monitors/{monitor['id']}")
        assert response.status_code == int(kind) and response.json()["statusCode"] == int(kind)
    assert ur.get(f"/monitors/{monitor['id']}").status_code == 200


def test_rate_limit_fault_answers_a_real_429(ur: Client, sandbox_server: Server):
    fault(sandbox_server, "429", "GET", f"{PREFIX}/monitors")
    throttled = ur.get("/monitors")
    assert throttled.status_code == 429 and throttled.text == "ThrottlerException: Too Many Requests"
    assert throttled.headers["X-RateLimit-Remaining"] == "0" and int(throttled.headers["Retry-After"]) > 0
    assert ur.get("/monitors").status_code == 200


def test_drop_fault_applies_nothing(ur: Client, sandbox_server: Server):
    fault(sandbox_server, "drop")
    with pytest.raises(requests.ConnectionError):
        ur.post("/monitors", json=http_monitor())
    assert ur.get("/monitors").json()["data"] == []
    assert sandbox_server.control("GET", "/requests").json()["byRoute"]["uptimerobot POST /monitors"] == 1


def test_lost_fault_applies_the_request(ur: Client, sandbox_server: Server):
    fault(sandbox_server, "lost")
    with pytest.raises(requests.ConnectionError):
        ur.post("/monitors", json=http_monitor())
    assert len(ur.get("/monitors").json()["data"]) == 1


def test_slow_fault_applies_the_request_and_answers_after_the_client_gave_up(
    ur: Client, sandbox_server: Server
):
    spec = {"vendor": "uptimerobot", "method": "POST", "path": "/monitors", "kind": "slow", "delay": 1.5}
    sandbox_server.control("POST", "/faults", json=spec)
    with pytest.raises(requests.ReadTimeout):
        ur.session.post(f"{ur.base}/monitors", json=http_monitor(), headers=ur.headers(), timeout=(5, 0.5))
    assert len(ur.get("/monitors").json()["data"]) == 1  # applied, and other requests are not held up


def test_hold_fault_applies_the_request_and_answers_once_the_faults_are_cleared(
    ur: Client, sandbox_server: Server
):
    spec = {"vendor": "uptimerobot", "method": "POST", "path": "/monitors", "kind": "hold"}
    sandbox_server.control("POST", "/faults", json=spec)
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(ur.post, "/monitors", json=http_monitor())
        held = [e for e in sandbox_server.control("GET", "/log").json() if e["fault"] == "hold"]
        while not held:  # logged when applied, before the answer leaves
            held = [e for e in sandbox_server.control("GET", "/log").json() if e["fault"] == "hold"]
        assert not answer.done()
        assert len(ur.get("/monitors").json()["data"]) == 1  # applied; other requests are not held up
        sandbox_server.control("DELETE", "/faults")
        assert answer.result(timeout=30).status_code == 201


def test_rate_limit_fault_can_announce_a_short_reset(ur: Client, sandbox_server: Server):
    spec = {"vendor": "uptimerobot", "kind": "429", "retryAfter": 1}
    sandbox_server.control("POST", "/faults", json=spec)
    throttled = ur.get("/monitors")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "1" and throttled.headers["X-RateLimit-Reset"] == "1"


def test_faults_match_literal_paths_and_can_be_cleared(ur: Client, sandbox_server: Server):
    fault(sandbox_server, "500", "GET", "/user/me", count=5)
    assert ur.get("/user/me").status_code == 500
    assert sandbox_server.control("GET", "/faults").json()["faults"][0]["remaining"] == 4
    sandbox_server.control("DELETE", "/faults")
    assert ur.get("/user/me").status_code == 200
    bad = requests.post(
        f"{sandbox_server.url}/_control/faults", json={"vendor": "uptimerobot", "kind": "x"}, timeout=5
    )
    assert bad.status_code == 400


def test_faults_match_a_route_whatever_its_parameters_are_named(ur: Client, sandbox_server: Server):
    # The vendor's spec names the parameter `monitorId`; the sandbox's route calls it `id`.
    fault(sandbox_server, "503", "GET", "/monitors/{monitorId}")
    monitor = ur.post("/monitors", json=http_monitor()).json()
    assert ur.get("/monitors").status_code == 200  # another route
    assert ur.get(f"/monitors/{monitor['id']}").status_code == 503


def test_a_snapshot_brings_back_every_account_as_it_was(ur: Client, sandbox_server: Server):
    kept = ur.post("/monitors", json=http_monitor(url="https://kept.example.test")).json()
    sandbox_server.control("POST", "/clock", json={"advance": 60})
    snapshot = sandbox_server.control("GET", "/snapshot").json()
    ur.delete(f"/monitors/{kept['id']}")
    ur.post("/monitors", json=http_monitor(url="https://later.example.test"))
    sandbox_server.control("POST", "/clock", json={"advance": 600})
    fault(sandbox_server, "500")
    sandbox_server.control("PUT", "/snapshot", json=snapshot)
    assert sandbox_server.control("GET", "/faults").json()["faults"] == []
    assert sandbox_server.control("GET", "/requests").json()["total"] == 0
    assert sandbox_server.control("GET", "/clock").json()["offset"] == 60
    listed = ur.get("/monitors").json()["data"]
    assert [m["url"] for m in listed] == ["https://kept.example.test"]
    # ids continue where they were: the next object never takes an id a deleted one had
    after = ur.post("/monitors", json=http_monitor(url="https://after.example.test")).json()
    assert after["id"] > kept["id"]
    bad = requests.put(f"{sandbox_server.url}/_control/snapshot", json={"docs": {}}, timeout=5)
    assert bad.status_code == 400


def test_data_survives_a_restart(tmp_path: Path):
    db, log = tmp_path / "restart.db", tmp_path / "sandbox.log"
    first = start_server(db, log)
    try:
        first.control("PUT", "/uptimerobot/settings", json={"rateLimit": 1000})
        monitor = Client(first.url + PREFIX).post("/monitors", json=http_monitor()).json()
    finally:
        first.stop()
    second = start_server(db, log)
    try:
        again = Client(second.url + PREFIX).get(f"/monitors/{monitor['id']}").json()
        # currentStateDuration counts seconds on the clock, which moved on during the restart
        assert {**again, "currentStateDuration": 0} == {**monitor, "currentStateDuration": 0}
    finally:
        second.stop()


def test_port_file_and_host_refusal(tmp_path: Path):
    port_file = tmp_path / "port"
    started = start_server(tmp_path / "p.db", tmp_path / "log", "--port-file", str(port_file))
    try:
        assert started.url == f"http://127.0.0.1:{port_file.read_text().strip()}"
    finally:
        started.stop()
    command = [sys.executable, "-m", "sandbox", "--host", "0.0.0.0", "--db", str(tmp_path / "x.db")]
    refused = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0 and "127.0.0.1" in refused.stderr
