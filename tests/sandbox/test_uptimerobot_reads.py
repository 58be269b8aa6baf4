"""UptimeRobot's read operations over what the sandbox holds: response times the checks measured, the
account's uptime, an incident's alerts, activity log and comments, monitor groups, status page
announcements, the user's alert contacts and the custom-field filter of ``GET /monitors``.

Every 200 is validated against the official spec (``check``); values are computed from what happened (the
checks, seeded outages and samples), not taken from the answer."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from typing import Any

from refapp.server import Server as AppServer
from sandbox.clock import iso, parse_instant

from .conftest import Client, Server
from .test_uptimerobot_checks import HEALTH, advance, assigned, contact, faults, now
from .test_uptimerobot_fidelity import check, check_error

DAY = 86400
TEAM = {"plan": "team", "rateLimit": 100_000}


def samples(server: Server, monitor: dict[str, Any]) -> list[dict[str, Any]]:
    found = server.control("GET", "/uptimerobot/response-times").json()
    return [sample for sample in found if sample["monitor"] == monitor["id"]]


def seed_sample(server: Server, monitor: int, at: float, ms: float, *regions: str) -> None:
    body: dict[str, Any] = {"monitor": monitor, "at": iso(at), "ms": ms}
    server.control(
        "POST",
        "/uptimerobot/response-times",
        json={**body, **({"regions": list(regions)} if regions else {})},
    )


def points(timed: Sequence[tuple[float, float]], width: int) -> list[dict[str, Any]]:
    """The time series the spec's answer should hold: the mean of each `width`-second interval."""
    buckets: dict[int, list[float]] = {}
    for at, ms in timed:
        buckets.setdefault(int(at // width) * width, []).append(ms)
    return [{"timestamp": iso(at), "value": round(fmean(values))} for at, values in sorted(buckets.items())]


def summary(series: list[dict[str, Any]]) -> dict[str, Any]:
    values = [point["value"] for point in series]
    return {"min": min(values), "max": max(values), "avg": round(fmean(values))}


def bad_request(response: Any, *messages: str) -> None:
    check_error(response, 400)
    assert response.json()["message"] == list(messages)


# -- response times --------------------------------------------------------------------------------------


def test_response_times_are_what_the_checks_that_found_the_monitor_up_took(
    checking: Server, ur: Client, backend: AppServer
):
    faults(backend, database_delay=0.2)  # every health check takes at least 200 ms
    monitor = ur.monitor(url=HEALTH, httpMethodType="GET", interval=300)
    advance(checking, 1)
    advance(checking, 600)  # three checks, all up
    faults(backend, database_down=True)
    advance(checking, 300)  # a fourth, down: no response time
    measured = samples(checking, monitor)
    assert len(measured) == 3 and all(sample["ms"] >= 200 for sample in measured)
    assert all(sample["regions"] == ["na"] for sample in measured)  # the monitor's default region

    path = f"/monitors/{monitor['id']}/stats/response-time"
    stats = check(ur.get(path, params={"includeTimeSeries": "true"}), 200)
    series = points([(parse_instant(s["at"]), s["ms"]) for s in measured], 60)  # a day: 1-minute points
    assert stats["time_series"] == series and stats["data_points"] == 3
    assert stats["summary"] == summary(series)
    assert parse_instant(stats["to"]) - parse_instant(stats["from"]) == DAY  # the last 24 hours

    plain = check(ur.get(path), 200)
    assert "time_series" not in plain and plain["summary"] == stats["summary"]
    assert check(ur.get(path, params={"region": "na"}), 200)["summary"] == stats["summary"]
    other = check(ur.get(path, params={"region": "eu"}), 200)
    assert other["summary"] == {"min": None, "max": None, "avg": None} and other["data_points"] == 0

    regions = check(ur.get(f"{path}/all", params={"includeTimeSeries": "true"}), 200)
    assert regions["na"]["time_series"] == series and regions["all"]["summary"] == stats["summary"]
    assert (regions["eu"], regions["as"], regions["oc"]) == (None, None, None)  # not checked from there


def test_response_time_statistics_summarize_longer_ranges_in_longer_intervals(
    sandbox_server: Server, ur: Client
):
    monitor = ur.monitor()["id"]
    base = (int(now(sandbox_server)) // 1800) * 1800 - 3 * DAY
    timed = [(base + 10, 100), (base + 70, 300), (base + 400, 250), (base + 2000, 51)]
    for at, ms in timed:
        seed_sample(sandbox_server, monitor, at, ms)
    seed_sample(sandbox_server, monitor, base + 130, 900, "eu")
    path = f"/monitors/{monitor}/stats/response-time"

    week = {"from": iso(base), "to": iso(base + 3 * DAY), "includeTimeSeries": "true"}
    stats = check(ur.get(path, params={**week, "region": "na"}), 200)
    series = points(timed, 300)  # more than a day: 5-minute points
    assert stats["time_series"] == series and stats["data_points"] == len(series) == 3
    assert stats["summary"] == summary(series) == {"min": 51, "max": 250, "avg": 167}
    assert (stats["from"], stats["to"]) == (week["from"], week["to"])
    assert check(ur.get(path, params={**week, "from": iso(base - 30 * DAY)}), 200)["time_series"] == points(
        [*timed, (base + 130, 900)], 1800
    )  # more than 7 days: 30-minute points

    day = {"from": iso(base), "to": iso(base + DAY), "includeTimeSeries": "true"}
    assert check(ur.get(path, params={**day, "region": "na"}), 200)["data_points"] == 4  # 1-minute points
    regions = check(ur.get(f"{path}/all", params=day), 200)
    assert regions["eu"]["time_series"] == [{"timestamp": iso(base + 120), "value": 900}]
    assert regions["all"]["data_points"] == 5 and (regions["as"], regions["oc"]) == (None, None)

    bad_request(ur.get(path, params={"from": iso(base)}), "to must be a Date instance")
    bad_request(ur.get(path, params={"to": iso(base)}), "Maximum range is 90 days")
    bad_request(
        ur.get(path, params={"from": iso(base - 91 * DAY), "to": iso(base)}), "Maximum range is 90 days"
    )
    bad_request(ur.get(path, params={"from": "yesterday", "to": iso(base)}), "from must be a Date instance")
    check_error(ur.get("/monitors/999999999/stats/response-time"), 404, "000-004")
    check_error(ur.get("/monitors/999999999/stats/response-time/all"), 404, "000-004")


# -- account uptime --------------------------------------------------------------------------------------


def test_account_uptime_adds_up_every_monitors_time_and_lists_the_downtimes_newest_first(
    sandbox_server: Server, ur: Client
):
    shop, api = ur.monitor()["id"], ur.monitor(url="https://api.example.test/")["id"]
    at = float(int(now(sandbox_server)))
    old = {"monitor": shop, "start": iso(at - 2 * DAY), "end": iso(at - 2 * DAY + 600)}
    recent = {"monitor": api, "start": iso(at - 3600), "end": iso(at - 3300)}
    for outage in (old, recent):
        sandbox_server.control("POST", "/uptimerobot/outages", json=outage)

    day = check(ur.get("/monitors/uptime-stats", params={"timeFrame": "DAY"}), 200)
    assert day == {
        "overallUptime": (2 * DAY - 300) / (2 * DAY),
        "totalIncidents": 1,
        "totalTimeWithoutIncidents": 2 * DAY - 300,
        "affectedMonitors": 1,
        "mtbf": 2 * DAY - 300,
        "logs": [{"type": "DOWNTIME", "datetime": recent["start"], "duration": 300}],
    }
    week = check(ur.get("/monitors/uptime-stats", params={"timeFrame": "WEEK"}), 200)
    assert (week["totalIncidents"], week["affectedMonitors"]) == (2, 2)
    assert week["totalTimeWithoutIncidents"] == 2 * 7 * DAY - 900 and week["mtbf"] == (2 * 7 * DAY - 900) // 2
    assert [log["datetime"] for log in week["logs"]] == [recent["start"], old["start"]]
    limited = check(ur.get("/monitors/uptime-stats", params={"timeFrame": "WEEK", "logLimit": 1}), 200)
    assert limited["logs"] == week["logs"][:1] and limited["totalIncidents"] == 2

    # Half of the old outage falls in a custom frame of 400 s; its log keeps its whole length.
    frame = {"timeFrame": "CUSTOM", "start": int(at - 2 * DAY - 100), "end": int(at - 2 * DAY + 300)}
    custom = check(ur.get("/monitors/uptime-stats", params=frame), 200)
    assert custom["overallUptime"] == (800 - 300) / 800 and custom["totalTimeWithoutIncidents"] == 500
    assert custom["logs"] == [{"type": "DOWNTIME", "datetime": old["start"], "duration": 600}]
    # start and end only count for CUSTOM (verified live): DAY ignores them.
    assert check(ur.get("/monitors/uptime-stats", params={**frame, "timeFrame": "DAY"}), 200) == day

    bad_request(
        ur.get("/monitors/uptime-stats", params={"timeFrame": "CUSTOM", "start": 10}),
        "start and end are required when timeFrame is CUSTOM",
    )
    bad_request(
        ur.get("/monitors/uptime-stats", params={**frame, "end": frame["start"]}),
        "end must be greater than start",
    )
    check_error(ur.get("/monitors/uptime-stats"), 400)  # timeFrame is required (spec)
    check_error(
        ur.get("/monitors/uptime-stats", params={"timeFrame": "day"}), 400
    )  # matched case-sensitively


def test_account_uptime_without_downtime_has_no_mtbf(ur: Client):
    ur.monitor()
    stats = check(ur.get("/monitors/uptime-stats", params={"timeFrame": "MONTH"}), 200)
    assert (stats["overallUptime"], stats["totalIncidents"], stats["mtbf"], stats["logs"]) == (1, 0, None, [])


# -- an incident: alerts, activity log, comments -----------------------------------------------------------


def test_an_incident_reports_the_alerts_it_sent_its_activity_and_comments(
    checking: Server, ur: Client, backend: AppServer
):
    who = contact(checking)
    slack_body = {"webhookURL": "https://hooks.slack.test/x", "customValue": "#ops", "friendlyName": "Ops"}
    slack = checking.seed("integrations", {"type": "Slack", "data": slack_body})["id"]
    monitor = ur.monitor(url=HEALTH, httpMethodType="GET", assignedAlertContacts=assigned(who, slack))
    advance(checking, 1)
    faults(backend, database_down=True)
    advance(checking, 300)
    faults(backend, database_down=False)
    advance(checking, 300)
    (listed,) = check(ur.get("/incidents"), 200)["data"]
    incident = check(ur.get(f"/incidents/{listed['id']}"), 200)
    down, up = incident["startedAt"], incident["resolvedAt"]
    assert up is not None and listed["commentsCount"] == 0

    alerts = check(ur.get(f"/incidents/{listed['id']}/alerts"), 200)["data"]
    email = ("Email", "oncall@optio.test", "oncall@optio.test")
    ops = ("Slack", "Ops", "https://hooks.slack.test/x")
    assert [(a["timestamp"], a["channelType"], a["recipientName"], a["recipientValue"]) for a in alerts] == [
        (down, *email),
        (down, *ops),
        (up, *email),
        (up, *ops),
    ]  # oldest first
    assert {a["status"] for a in alerts} == {"SUCCESS"}

    log = check(ur.get(f"/incidents/{listed['id']}/activity-log"), 200)
    assert log["nextLink"] is None
    shown = [(e["date"], e["type"], e.get("alertLogType") or e.get("notificationType")) for e in log["data"]]
    assert shown == [
        (up, "NOTIFICATION", "Slack"),
        (up, "NOTIFICATION", "Email"),
        (up, "STATUS_UPDATE", "Up"),
        (down, "NOTIFICATION", "Slack"),
        (down, "NOTIFICATION", "Email"),
        (down, "STATUS_UPDATE", "Down"),
    ]  # newest first
    assert {k: log["data"][-1][k] for k in ("cause", "reason", "region")} == {
        "cause": 503,
        "reason": "503 Service Unavailable",
        "region": "na",
    }
    assert (log["data"][2]["cause"], log["data"][2]["reason"]) == (0, "Monitor is UP")

    # The incident is downtime for every statistic of uptime.
    uptime = check(ur.get(f"/monitors/{monitor['id']}/stats/uptime"), 200)
    assert (uptime["total_downtime_seconds"], uptime["incident_count"]) == (300, 1)
    account = check(ur.get("/monitors/uptime-stats", params={"timeFrame": "DAY"}), 200)
    assert account["logs"] == [{"type": "DOWNTIME", "datetime": down, "duration": 300}]

    comments = f"/incidents/{listed['id']}/comments"
    check_error(ur.get(comments), 403, "000-003")  # the free plan has no incident comments
    assert ur.get(comments).json()["message"] == "Feature incident-comments is not enabled in your plan."
    checking.control("PUT", "/uptimerobot/settings", json=TEAM)
    assert check(ur.get(comments), 200) == {"data": [], "nextLink": None}
    made = checking.seed("incident-comments", {"incidentId": listed["id"], "content": "Rolled back"})
    page = check(ur.get(comments), 200)
    me = check(ur.get("/user/me"), 200)
    assert [(c["id"], c["comment"], c["user"]["fullName"]) for c in page["data"]] == [
        (made["id"], "Rolled back", me["fullName"])
    ]
    assert check(ur.get("/incidents"), 200)["data"][0]["commentsCount"] == 1
    newest = check(ur.get(f"/incidents/{listed['id']}/activity-log"), 200)["data"][0]
    assert (newest["type"], newest["commentId"], newest["commentEmail"]) == (
        "COMMENT",
        made["id"],
        me["email"],
    )

    for path in ("alerts", "activity-log", "comments"):
        missing = ur.get(f"/incidents/999/{path}")
        check_error(missing, 404, "000-004")
        assert missing.json()["message"] == "Incident 999 not found"


def test_incident_comments_come_oldest_first_in_pages(checking: Server, ur: Client):
    checking.control("PUT", "/uptimerobot/settings", json=TEAM)
    ur.monitor(url="https://nowhere.example.test/", httpMethodType="GET")
    advance(checking, 1)
    (incident,) = check(ur.get("/incidents"), 200)["data"]
    made = [
        checking.seed("incident-comments", {"incidentId": incident["id"], "content": f"#{n}"})
        for n in range(3)
    ]
    path = f"/incidents/{incident['id']}/comments"
    first = check(ur.get(path, params={"limit": 2}), 200)
    assert [c["comment"] for c in first["data"]] == ["#0", "#1"] and first["nextLink"] is not None
    assert first["nextLink"].endswith(f"cursor={made[1]['id']}")  # the last comment's id
    rest = check(ur.session.get(first["nextLink"], headers=ur.headers()), 200)
    assert [c["comment"] for c in rest["data"]] == ["#2"] and rest["nextLink"] is None


# -- monitor groups ----------------------------------------------------------------------------------------


def test_monitor_groups_list_and_read_the_groups_the_monitors_name(sandbox_server: Server, ur: Client):
    shop, other = ur.monitor()["id"], ur.monitor(url="https://other.example.test/")["id"]
    group = sandbox_server.seed("monitor-groups", {"name": "Production", "monitorIds": [shop]})
    assert set(group) == {"id", "name", "createdAt", "updatedAt"}
    assert check(ur.get(f"/monitor-groups/{group['id']}"), 200) == group
    assert check(ur.get("/monitor-groups"), 200) == {"data": [group], "nextLink": None}
    assert check(ur.get(f"/monitors/{shop}"), 200)["groupId"] == group["id"]
    assert [m["id"] for m in check(ur.get("/monitors", params={"groupId": group["id"]}), 200)["data"]] == [
        shop
    ]
    assert [m["id"] for m in check(ur.get("/monitors", params={"groupId": 0}), 200)["data"]] == [other]
    check_error(ur.get("/monitor-groups/0"), 404, "000-004")  # no group to read for "in no group"
    check_error(ur.get("/monitor-groups/999999999"), 404, "000-004")

    more = [sandbox_server.seed("monitor-groups", {"name": f"G{n}"})["id"] for n in range(50)]
    page = check(ur.get("/monitor-groups"), 200)
    assert len(page["data"]) == 50 and page["nextLink"] is not None  # a full page links to the next
    assert [g["id"] for g in check(ur.get("/monitor-groups", params={"cursor": more[-2]}), 200)["data"]] == [
        more[-1]
    ]
    sandbox_server.control("DELETE", f"/uptimerobot/monitor-groups/{group['id']}")
    assert check(ur.get(f"/monitors/{shop}"), 200)["groupId"] == 0  # its monitors are in no group


# -- status page announcements ---------------------------------------------------------------------------


def test_announcements_are_listed_newest_first_and_filtered_by_status(sandbox_server: Server, ur: Client):
    page = sandbox_server.seed("psps", {"friendlyName": "Status"})["id"]
    path = f"/psps/{page}/announcements"
    check_error(ur.get(path), 403, "000-003")  # the free plan has no status page subscribers
    sandbox_server.control("PUT", "/uptimerobot/settings", json=TEAM)
    assert check(ur.get(path), 200) == {"data": [], "nextLink": None}

    bodies = [
        {
            "title": "Maintenance",
            "status": "Published",
            "type": "Maintenance",
            "endDate": "2030-01-01T01:00:00.000Z",
        },
        {"title": "Draft", "content": "Soon"},
        {"title": "Incident", "status": "Published", "type": "Issue"},
    ]
    made = [sandbox_server.seed("psp-announcements", {"pspId": page, **body}) for body in bodies]
    listed = check(ur.get(path), 200)["data"]
    assert [a["title"] for a in listed] == ["Incident", "Draft", "Maintenance"]  # newest first
    published = check(ur.get(path, params={"status": "PUBLISHED"}), 200)["data"]
    assert [a["title"] for a in published] == ["Incident", "Maintenance"]
    draft = check(ur.get(f"{path}/{made[1]['id']}"), 200)
    assert (draft["pspId"], draft["status"], draft["type"], draft["content"]) == (
        page,
        "Offline",
        "Info",
        "Soon",
    )
    assert check(ur.get(path, params={"cursor": made[2]["id"]}), 200)["data"] == listed[1:]  # older ones

    other = sandbox_server.seed("psps", {"friendlyName": "Other"})["id"]
    check_error(ur.get(f"/psps/{other}/announcements/{made[0]['id']}"), 404, "000-004")
    check_error(ur.get("/psps/999999999/announcements"), 404, "000-004")
    assert ur.get("/psps/999999999/announcements").json()["message"] == "PSP not found"


# -- the user's alert contacts -----------------------------------------------------------------------------


def test_the_users_alert_contacts_are_its_personal_contacts_as_root_arrays(
    sandbox_server: Server, ur: Client
):
    made = check(ur.post("/alert-contacts", json={"type": "Email", "value": "ops@example.test"}), 201)
    sandbox_server.seed(
        "integrations", {"type": "Slack", "data": {"webhookURL": "https://hooks.slack.test/y"}}
    )
    contacts = check(ur.get("/alert-contacts"), 200)["data"]
    mine = check(ur.get("/user/alert-contacts"), 200)
    assert mine == contacts and made["id"] in [c["id"] for c in mine]  # no integration among them
    (group,) = check(ur.get("/user/all-alert-contacts"), 200)
    me = check(ur.get("/user/me"), 200)
    assert (group["notifyOnly"], group["orgAlertContactId"], group["user"]["name"]) == (
        False,
        None,
        me["fullName"],
    )
    assert [(c["id"], c["value"], c["type"], c["status"]) for c in group["alertContacts"]] == [
        (c["id"], c["value"], c["type"], c["status"]) for c in contacts
    ]


# -- custom fields -----------------------------------------------------------------------------------------


def test_monitors_are_filtered_by_every_custom_field_asked_for(sandbox_server: Server, ur: Client):
    sandbox_server.control("PUT", "/uptimerobot/settings", json=TEAM)  # custom fields: paid plans (spec)
    both = ur.monitor(url="https://a.test/", customFields={"env": "prod", "team": "core"})["id"]
    prod = ur.monitor(url="https://b.test/", customFields={"env": "prod"})["id"]
    colon = ur.monitor(url="https://c.test/", customFields={"env": "staging:eu"})["id"]
    ur.monitor(url="https://d.test/")

    def ids(*fields: str) -> list[int]:
        return [
            m["id"] for m in check(ur.get("/monitors", params={"customField": list(fields)}), 200)["data"]
        ]

    assert ids("env:prod") == [both, prod]
    assert ids("env:prod", "team:core") == [both]  # AND
    assert ids("env:staging:eu") == [colon]  # split on the first colon only
    assert ids("env:Prod") == [] and ids("team:core", "env:staging:eu") == []
    bad_request(
        ur.get("/monitors", params={"customField": "env"}),
        "each value in customField must be a key:value pair",
    )
