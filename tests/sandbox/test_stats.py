"""UptimeRobot's ``GET /monitors/{id}/stats/uptime`` against hand-computed numbers, over outages seeded out of
band (``/_control/uptimerobot/outages``); Sentry's spans statistics: tests/sandbox/test_sentry_events_api.py.

Every 200 (and every answer the spec documents) is validated against the vendor's spec as the fidelity tests
do. Time moves only through the virtual clock.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any

import pytest
import requests

from tests.sandbox.conftest import Client, Server
from tests.sandbox.test_uptimerobot_fidelity import check as ur_check
from tests.sandbox.test_uptimerobot_fidelity import check_error

DAY = 86400


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat().replace("+00:00", "Z")


def clock_now(server: Server) -> float:
    now: float = server.control("GET", "/clock").json()["now"]
    return now


# -- UptimeRobot ---------------------------------------------------------------------------------------


def outage(server: Server, monitor: int, start: str, end: str | None) -> dict[str, Any]:
    body = {"monitor": monitor, "start": start, "end": end}
    created: dict[str, Any] = server.control("POST", "/uptimerobot/outages", json=body).json()
    return created


def uptime(ur: Client, monitor: int, **params: str) -> dict[str, Any]:
    stats: dict[str, Any] = ur_check(ur.get(f"/monitors/{monitor}/stats/uptime", params=params), 200)
    return stats


@pytest.fixture
def monitor(ur: Client) -> int:
    return int(ur.monitor()["id"])


def test_two_outages_in_thirty_days(ur: Client, sandbox_server: Server, monitor: int):
    outage(sandbox_server, monitor, "2026-01-10T10:00:00Z", "2026-01-10T10:20:00Z")  # 20 min = 1200 s
    outage(sandbox_server, monitor, "2026-01-20T08:00:00Z", "2026-01-20T08:30:00Z")  # 30 min = 1800 s
    stats = uptime(ur, monitor, **{"from": "2026-01-01T00:00:00Z", "to": "2026-01-31T00:00:00Z"})
    # 30 days = 2,592,000 s, of which 3000 s down: up 2,589,000 s over 2 incidents.
    assert stats == {
        "uptime": 100 * 2_589_000 / 2_592_000,
        "total_downtime_seconds": 3000,
        "incident_count": 2,
        "mtbf": 1_294_500,
        "from": "2026-01-01T00:00:00.000Z",
        "to": "2026-01-31T00:00:00.000Z",
    }
    assert stats["uptime"] == pytest.approx(99.884259259, abs=1e-9)


def test_a_downtime_is_an_incident_whose_times_the_statistics_count(
    ur: Client, sandbox_server: Server, monitor: int
):
    """Every downtime UptimeRobot counts is an incident it lists (what `lookout slo --chart` reads): a seeded
    outage is one, resolved at its end or still ongoing; clearing the outages removes them."""
    outage(sandbox_server, monitor, "2026-01-10T10:00:00Z", "2026-01-10T10:20:00Z")
    outage(sandbox_server, monitor, "2026-01-20T08:00:00Z", None)
    listed = ur_check(ur.get("/incidents", params={"monitor_id": monitor}), 200)["data"]
    assert [(i["status"], i["startedAt"], i["resolvedAt"]) for i in listed] == [
        ("Resolved", "2026-01-10T10:00:00.000Z", "2026-01-10T10:20:00.000Z"),
        ("Ongoing", "2026-01-20T08:00:00.000Z", None),
    ]
    assert listed[0]["duration"] == 1200
    stats = uptime(ur, monitor, **{"from": "2026-01-01T00:00:00Z", "to": "2026-01-10T12:00:00Z"})
    assert (stats["total_downtime_seconds"], stats["incident_count"]) == (1200, 1)  # counted once
    sandbox_server.control("DELETE", "/uptimerobot/outages")
    assert ur_check(ur.get("/incidents", params={"monitor_id": monitor}), 200)["data"] == []


def test_outages_straddling_the_range_count_their_part_inside(
    ur: Client, sandbox_server: Server, monitor: int
):
    outage(sandbox_server, monitor, "2026-01-31T10:00:00Z", "2026-01-31T11:00:00Z")  # before: no
    outage(sandbox_server, monitor, "2026-01-31T23:00:00Z", "2026-01-31T23:30:00Z")  # before: no
    outage(sandbox_server, monitor, "2026-01-31T23:50:00Z", "2026-02-01T00:10:00Z")  # 600 s inside
    outage(sandbox_server, monitor, "2026-02-01T23:45:00Z", "2026-02-02T00:30:00Z")  # 900 s inside
    outage(sandbox_server, monitor, "2026-02-02T00:30:00Z", "2026-02-02T01:00:00Z")  # after: no
    stats = uptime(ur, monitor, **{"from": "2026-02-01T00:00:00Z", "to": "2026-02-02T00:00:00Z"})
    assert (stats["total_downtime_seconds"], stats["incident_count"]) == (1500, 2)
    assert stats["uptime"] == 100 * 84_900 / 86_400
    assert stats["mtbf"] == 42_450
    # A range ending where an outage starts, or starting where one ends, sees none of it.
    stats = uptime(ur, monitor, **{"from": "2026-01-31T11:00:00Z", "to": "2026-01-31T23:00:00Z"})
    assert stats == {
        "uptime": 100,
        "total_downtime_seconds": 0,
        "incident_count": 0,
        "mtbf": None,
        "from": "2026-01-31T11:00:00.000Z",
        "to": "2026-01-31T23:00:00.000Z",
    }


def test_an_ongoing_outage_lasts_until_the_virtual_now(ur: Client, sandbox_server: Server, monitor: int):
    base = math.floor(clock_now(sandbox_server))
    outage(sandbox_server, monitor, iso(base - 600), None)
    # A range that ends before now: the outage fills the range's last 300 s.
    stats = uptime(ur, monitor, **{"from": iso(base - 3600), "to": iso(base - 300)})
    assert (stats["total_downtime_seconds"], stats["incident_count"]) == (300, 1)
    assert stats["uptime"] == 100 * 3000 / 3300 and stats["mtbf"] == 3000
    # A range that reaches past now: down from the start until now, then (the future) not counted.
    window = {"from": iso(base - 3600), "to": iso(base + 7200)}
    before = clock_now(sandbox_server)
    downtime = uptime(ur, monitor, **window)["total_downtime_seconds"]
    after = clock_now(sandbox_server)
    assert before - (base - 600) - 0.001 <= downtime <= after - (base - 600) + 0.001
    sandbox_server.control("POST", "/clock", json={"advance": 1200})
    later = uptime(ur, monitor, **window)["total_downtime_seconds"]
    assert 1200 - 0.002 <= later - downtime <= 1200 + (clock_now(sandbox_server) - before) + 0.002


def test_the_default_range_is_the_last_24_hours(ur: Client, sandbox_server: Server, monitor: int):
    base = math.floor(clock_now(sandbox_server))
    outage(sandbox_server, monitor, iso(base - 3600), iso(base - 1800))
    outage(sandbox_server, monitor, iso(base - 2 * DAY), iso(base - 2 * DAY + 60))  # older: outside
    stats = uptime(ur, monitor)
    assert (stats["total_downtime_seconds"], stats["incident_count"]) == (1800, 1)
    assert stats["uptime"] == 100 * 84_600 / 86_400 and stats["mtbf"] == 84_600
    start, end = (datetime.fromisoformat(stats[key].replace("Z", "+00:00")) for key in ("from", "to"))
    assert (end - start).total_seconds() == DAY and end.timestamp() >= base
    # `from` alone: `to` is now.
    stats = uptime(ur, monitor, **{"from": iso(base - 7200)})
    assert (stats["total_downtime_seconds"], stats["incident_count"]) == (1800, 1)


def test_uptime_stats_without_outages(ur: Client, monitor: int):
    stats = uptime(ur, monitor, **{"from": "2026-03-01T00:00:00Z", "to": "2026-05-30T00:00:00Z"})  # 90 days
    assert (stats["uptime"], stats["total_downtime_seconds"], stats["incident_count"], stats["mtbf"]) == (
        100,
        0,
        0,
        None,
    )


def test_uptime_stats_errors(ur: Client, sandbox_server: Server, monitor: int):
    path = f"/monitors/{monitor}/stats/uptime"
    check_error(ur.get(path, params={"from": "yesterday"}), 400)
    assert ur.get(path, params={"from": "x", "to": "y"}).json()["message"] == [
        "from must be a valid ISO 8601 date string",
        "to must be a valid ISO 8601 date string",
    ]
    same = {"from": "2026-01-02T00:00:00Z", "to": "2026-01-02T00:00:00Z"}
    check_error(ur.get(path, params=same), 400)
    check_error(ur.get(path, params={"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}), 400)
    check_error(ur.get(path, params={"to": "2020-01-01T00:00:00Z"}), 400)  # from defaults to a day ago
    too_long = ur.get(path, params={"from": "2026-01-01T00:00:00Z", "to": "2026-04-01T00:00:01Z"})
    check_error(too_long, 400)  # 90 days and a second
    assert too_long.json()["message"] == ["the date range (from - to) must not exceed 90 days"]
    check_error(ur.get("/monitors/999999999/stats/uptime"), 404, "000-004")
    sandbox_server.add_account("other-key")
    other = Client(ur.base, api_key="other-key")
    check_error(other.get(path), 404, "000-004")
    theirs = other.monitor()["id"]
    check_error(ur.get(f"/monitors/{theirs}/stats/uptime"), 404, "000-004")


def test_outage_control_routes(ur: Client, sandbox_server: Server, monitor: int):
    first = outage(sandbox_server, monitor, "2026-01-10T10:00:00+01:00", "2026-01-10T10:20:00+01:00")
    assert first == {
        "id": first["id"],
        "monitor": monitor,
        "start": "2026-01-10T09:00:00.000Z",
        "end": "2026-01-10T09:20:00.000Z",
    }
    ongoing = outage(sandbox_server, monitor, "2026-01-11T00:00:00Z", None)
    listed = sandbox_server.control("GET", "/uptimerobot/outages").json()
    assert listed == [first, ongoing]

    def refused(body: dict[str, Any]) -> requests.Response:
        return requests.post(f"{sandbox_server.url}/_control/uptimerobot/outages", json=body, timeout=10)

    overlapping = {"monitor": monitor, "start": "2026-01-10T09:10:00Z", "end": "2026-01-10T09:30:00Z"}
    check_error(refused(overlapping), 400)
    check_error(refused({"monitor": monitor, "start": "2026-01-12T00:00:00Z", "end": None}), 400)  # ongoing
    backwards = {"monitor": monitor, "start": "2026-01-05T01:00:00Z", "end": "2026-01-05T00:00:00Z"}
    check_error(refused(backwards), 400)
    check_error(refused({"monitor": monitor, "start": "soon", "end": None}), 400)
    check_error(refused({"monitor": 999999999, "start": "2026-01-05T00:00:00Z", "end": None}), 404, "000-004")
    assert sandbox_server.control("DELETE", "/uptimerobot/outages").json() == []
    assert sandbox_server.control("GET", "/uptimerobot/outages").json() == []
    stats = uptime(ur, monitor, **{"from": "2026-01-10T00:00:00Z", "to": "2026-01-12T00:00:00Z"})
    assert (stats["total_downtime_seconds"], stats["incident_count"]) == (0, 0)


# -- Sentry --------------------------------------------------------------------------------------------
