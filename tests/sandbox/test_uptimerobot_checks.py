"""UptimeRobot runs its monitors against the reference app (sandbox/uptimerobot/checker.py): checks at the
interval on the sandbox clock, incidents, and who is told, through the control API's deliveries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import requests

from refapp.server import Server as AppServer
from refapp.tls import Authority
from sandbox.clock import parse_instant

from .conftest import HOST, Client, Server
from .test_pagerduty_api import TOKEN, PagerDuty
from .test_pagerduty_events import paging_service
from .test_uptimerobot_fidelity import check

HEALTH = f"http://{HOST}/api/health"


def advance(server: Server, seconds: float) -> float:
    now: float = server.control("POST", "/clock", json={"advance": seconds}).json()["now"]
    return now


def now(server: Server) -> float:
    value: float = server.control("GET", "/clock").json()["now"]
    return value


def contact(server: Server, address: str = "oncall@optio.test") -> int:
    """An e-mail alert contact whose owner confirmed it (a new one waits for that: NotActivated)."""
    made = server.seed("alert-contacts", {"type": "Email", "value": address, "friendlyName": address})
    server.control("PATCH", f"/uptimerobot/alert-contacts/{made['id']}", json={"status": "Active"})
    return int(made["id"])


def assigned(*ids: int, threshold: int = 0, recurrence: int = 0) -> list[dict[str, int]]:
    return [{"alertContactId": i, "threshold": threshold, "recurrence": recurrence} for i in ids]


def deliveries(server: Server, **match: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = server.control("GET", "/deliveries").json()
    return [d for d in found if all(d.get(k) == v for k, v in match.items())]


def status(ur: Client, monitor: dict[str, Any]) -> str:
    value: str = ur.get(f"/monitors/{monitor['id']}").json()["status"]
    return value


def incidents(ur: Client) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ur.get("/incidents").json()["data"]
    return found


def faults(app: AppServer, **changes: Any) -> None:
    app.app.extensions["faults"].update(changes)


def test_nothing_is_checked_until_the_checks_are_switched_on(sandbox_server: Server, ur: Client):
    monitor = ur.monitor(url="https://nowhere.example.test/", httpMethodType="GET")
    advance(sandbox_server, 3600)
    assert status(ur, monitor) == "STARTED" and incidents(ur) == []


def test_a_database_failure_opens_an_incident_tells_the_contact_and_recovery_resolves_it(
    checking: Server, ur: Client, backend: AppServer
):
    who = contact(checking)
    created = now(checking)
    monitor = ur.monitor(url=HEALTH, httpMethodType="GET", interval=300, assignedAlertContacts=assigned(who))
    advance(checking, 1)
    assert status(ur, monitor) == "UP" and deliveries(checking) == []

    faults(backend, database_down=True)
    advance(checking, 290)  # the second check is due 300 s after the first
    assert status(ur, monitor) == "UP"
    advance(checking, 60)
    assert status(ur, monitor) == "DOWN"
    (incident,) = incidents(ur)
    assert (incident["status"], incident["cause"], incident["reason"]) == (
        "Ongoing",
        503,
        "503 Service Unavailable",
    )
    check(ur.get("/incidents", params={"monitor_id": monitor["id"]}), 200)  # as the spec says
    detail = check(ur.get(f"/incidents/{incident['id']}"), 200)
    assert detail["rootCause"]["httpResponseCode"] == 503 and detail["rootCause"]["url"] == HEALTH
    # Dated when the failing check ran, not when the clock was last moved.
    assert abs(parse_instant(incident["startedAt"]) - (created + 300)) < 2
    (told,) = deliveries(checking, channel="email")
    assert (told["to"], told["event"], told["via"], told["monitor"]) == (
        "oncall@optio.test",
        "down",
        "uptimerobot",
        "Shop",
    )

    faults(backend, database_down=False)
    advance(checking, 600)
    assert status(ur, monitor) == "UP"
    (resolved,) = incidents(ur)
    assert (resolved["status"], resolved["duration"]) == ("Resolved", 300)
    assert ur.get("/incidents", params={"monitor_id": 999}).json()["data"] == []
    assert ur.get("/incidents/999").status_code == 404
    assert [d["event"] for d in deliveries(checking, channel="email")] == ["down", "up"]


def test_a_monitor_on_a_host_that_does_not_resolve_is_down(checking: Server, ur: Client):
    monitor = ur.monitor(url="https://optio-backend.example.test/api/health", httpMethodType="GET")
    advance(checking, 1)
    assert status(ur, monitor) == "DOWN"
    assert incidents(ur)[0]["reason"] == "Host not found"


def test_a_stopped_process_refuses_the_connection(checking: Server, ur: Client, backend: AppServer):
    monitor = ur.monitor(url=HEALTH, httpMethodType="GET")
    advance(checking, 1)
    assert status(ur, monitor) == "UP"
    backend.stop()
    advance(checking, 300)
    assert (status(ur, monitor), incidents(ur)[0]["reason"]) == ("DOWN", "Connection refused")


def test_a_wrong_path_is_down_on_its_404(checking: Server, ur: Client):
    monitor = ur.monitor(url=f"http://{HOST}/health", httpMethodType="GET")
    advance(checking, 1)
    assert status(ur, monitor) == "DOWN" and incidents(ur)[0]["cause"] == 404


def test_a_keyword_monitor_sees_the_failing_database_through_its_status(
    checking: Server, ur: Client, backend: AppServer
):
    body = {
        "type": "KEYWORD",
        "friendlyName": "API health",
        "url": HEALTH,
        "interval": 300,
        "timeout": 30,
        "httpMethodType": "GET",
        "keywordType": "ALERT_NOT_EXISTS",
        "keywordValue": "healthy",
        "keywordCaseType": "CaseInsensitive",
    }
    monitor = ur.post("/monitors", json=body).json()
    advance(checking, 1)
    assert status(ur, monitor) == "UP"
    faults(backend, database_down=True)
    advance(checking, 300)
    # "healthy" is in "unhealthy": only the 503 makes it down.
    assert (status(ur, monitor), incidents(ur)[0]["reason"]) == ("DOWN", "503 Service Unavailable")


def test_paused_monitors_and_monitors_in_maintenance_are_not_checked(checking: Server, ur: Client):
    paused = ur.monitor(url="https://paused.example.test/", httpMethodType="GET")
    assert ur.post(f"/monitors/{paused['id']}/pause").ok
    covered = ur.monitor(url="https://covered.example.test/", httpMethodType="GET", friendlyName="Covered")
    checking.control("PUT", "/uptimerobot/settings", json={"plan": "team", "rateLimit": 100_000})
    clock = checking.control("GET", "/clock").json()["iso"]
    window = {
        "name": "Deploy",
        "interval": "once",
        "date": clock[:10],
        "time": "00:00:00",
        "duration": 1440,
        "monitorIds": [covered["id"]],
    }
    assert ur.post("/maintenance-windows", json=window).status_code == 201
    advance(checking, 1)
    assert status(ur, paused) == "PAUSED" and status(ur, covered) == "UP" and incidents(ur) == []


def test_a_heartbeat_monitor_goes_down_without_pings_and_up_on_the_next(checking: Server, ur: Client):
    checking.control("PUT", "/uptimerobot/settings", json={"plan": "team", "rateLimit": 100_000})
    who = contact(checking)
    body = {
        "type": "HEARTBEAT",
        "friendlyName": "system-health job",
        "interval": 300,
        "gracePeriod": 60,
        "assignedAlertContacts": assigned(who),
    }
    monitor = ur.post("/monitors", json=body).json()
    ping = f"{checking.url}/uptimerobot-heartbeat/{monitor['url']}"
    advance(checking, 200)
    assert requests.get(ping, timeout=10).status_code == 200
    assert status(ur, monitor) == "UP"
    advance(checking, 350)  # interval + grace after the ping, less ten seconds
    assert status(ur, monitor) == "UP"
    advance(checking, 20)
    assert status(ur, monitor) == "DOWN"
    assert incidents(ur)[0]["reason"] == "No heartbeat received"
    assert requests.post(ping, timeout=10).status_code == 200
    assert status(ur, monitor) == "UP" and incidents(ur)[0]["status"] == "Resolved"
    assert [d["event"] for d in deliveries(checking, channel="email")] == ["down", "up"]
    assert requests.get(f"{checking.url}/uptimerobot-heartbeat/m1-nope", timeout=10).status_code == 404


def test_paid_plans_tell_a_contact_after_its_threshold_and_again_every_recurrence(
    checking: Server, ur: Client, backend: AppServer
):
    checking.control("PUT", "/uptimerobot/settings", json={"plan": "team", "rateLimit": 100_000})
    patient, eager = contact(checking, "patient@optio.test"), contact(checking, "eager@optio.test")
    contacts = [*assigned(patient, threshold=10, recurrence=30), *assigned(eager)]
    ur.monitor(url=HEALTH, httpMethodType="GET", interval=60, assignedAlertContacts=contacts)
    backend.stop()
    advance(checking, 1)
    assert [d["to"] for d in deliveries(checking)] == ["eager@optio.test"]
    advance(checking, 540)
    assert len(deliveries(checking, to="patient@optio.test")) == 0
    advance(checking, 61)  # ten minutes down
    assert len(deliveries(checking, to="patient@optio.test")) == 1
    advance(checking, 30 * 60)
    assert len(deliveries(checking, to="patient@optio.test")) == 2
    assert len(deliveries(checking, to="eager@optio.test")) == 1  # recurrence 0: once


def test_a_contact_that_is_not_confirmed_or_wants_only_up_alerts_gets_no_down_alert(
    checking: Server, ur: Client
):
    unconfirmed = checking.seed("alert-contacts", {"type": "Email", "value": "new@optio.test"})["id"]
    quiet = contact(checking, "quiet@optio.test")
    checking.control("PATCH", f"/uptimerobot/alert-contacts/{quiet}", json={"enableNotificationsFor": "Up"})
    ur.monitor(
        url="https://gone.example.test/",
        httpMethodType="GET",
        assignedAlertContacts=assigned(unconfirmed, quiet),
    )
    advance(checking, 1)
    assert deliveries(checking) == []


def test_a_pagerduty_integration_pages_whoever_is_on_call_and_resolves_on_up(
    checking: Server, ur: Client, backend: AppServer
):
    pd = PagerDuty(checking.url + "/pagerduty", api_key=TOKEN)
    _, key, _ = paging_service(pd, checking)
    data = {"friendlyName": "PagerDuty", "integrationKey": key, "autoResolve": True}
    made = ur.post("/integrations", json={"type": "PagerDuty", "data": data})
    assert made.status_code == 201, made.text
    ur.monitor(url=HEALTH, httpMethodType="GET", assignedAlertContacts=assigned(made.json()["id"]))
    backend.stop()
    advance(checking, 1)
    (page,) = deliveries(checking, channel="pagerduty")
    assert (page["status"], page["to"], page["via"]) == ("paged", "ada@optio.test", "UptimeRobot")
    backend.start()
    advance(checking, 300)
    incident = pd.get("/incidents").json()["incidents"][0]
    assert incident["status"] == "resolved"


def test_ssl_expiry_reminders_reach_contacts_at_each_mark_and_an_expired_certificate_is_down(
    checking: Server, ur: Client, backend: AppServer
):
    checking.control("PUT", "/uptimerobot/settings", json={"plan": "team", "rateLimit": 100_000})
    authority = Authority()
    checking.control("PUT", "/hosts/trust", json={"pem": authority.pem})
    who = contact(checking)
    checking.control("PATCH", f"/uptimerobot/alert-contacts/{who}", json={"sslExpirationReminder": True})
    with AppServer(backend.app, tls=authority.context([HOST], timedelta(days=10))) as secure:
        checking.control("PUT", "/hosts", json={HOST: secure.address})
        monitor = ur.monitor(
            url=f"https://{HOST}/api/health",
            httpMethodType="GET",
            interval=3600,
            checkSSLErrors=True,
            sslExpirationReminder=True,
            config={"sslExpirationPeriodDays": [30, 7]},
            assignedAlertContacts=assigned(who),
        )
        advance(checking, 1)
        assert status(ur, monitor) == "UP"
        (reminder,) = deliveries(checking, event="ssl-expiry")
        assert (reminder["to"], reminder["days_left"]) == ("oncall@optio.test", 9)
        assert ur.get(f"/monitors/{monitor['id']}").json()["sslExpiryDateTime"] == reminder["expires"]
        advance(checking, 86400 + 600)  # a day later: 8 days left, no mark reached
        assert len(deliveries(checking, event="ssl-expiry")) == 1
        advance(checking, 2 * 86400)  # 6 days left: the 7-day mark
        assert [d["days_left"] for d in deliveries(checking, event="ssl-expiry")] == [9, 6]

    with AppServer(backend.app, tls=authority.context([HOST], timedelta(hours=-1))) as expired:
        checking.control("PUT", "/hosts", json={HOST: expired.address})
        advance(checking, 3600)
        assert status(ur, monitor) == "DOWN"
        assert incidents(ur)[0]["reason"] == "SSL error"


def test_the_control_api_refuses_bad_switches_and_hosts_naming_the_field(sandbox_server: Server):
    def put(path: str, body: Any) -> requests.Response:
        return requests.put(f"{sandbox_server.url}/_control{path}", json=body, timeout=10)

    assert put("/checks", {"running": "yes"}).json() == {"error": "running must be true or false"}
    bad = put("/hosts", {"api.optio.test": "localhost"})
    assert bad.status_code == 400 and "hosts.api.optio.test" in bad.json()["error"]
    assert put("/hosts/trust", {"pem": "not a certificate"}).status_code == 400
    assert sandbox_server.control("GET", "/hosts").json() == {}  # nothing was written
    table = put(
        "/hosts", {"API.optio.test.": "127.0.0.1:5001", "db.optio.test:5432": "127.0.0.1:5002"}
    ).json()
    assert table == {"api.optio.test": "127.0.0.1:5001", "db.optio.test:5432": "127.0.0.1:5002"}
    assert put("/hosts", {"api.optio.test": None}).json() == {"db.optio.test:5432": "127.0.0.1:5002"}
    ran = requests.post(f"{sandbox_server.url}/_control/checks/run", timeout=10).json()
    assert ran["running"] is False and ran["ran_until"].endswith("Z")
