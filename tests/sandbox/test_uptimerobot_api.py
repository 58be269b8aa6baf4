"""Behaviour of the UptimeRobot v3 emulator: CRUD, error bodies, business rules and the vendor's quirks."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import requests

from tests.sandbox.conftest import OWNER_EMAIL, PAGERDUTY_KEY, Client, Server, http_monitor, window_body

NOT_FOUND = {"message": "Monitor not found", "code": "000-004"}


def assert_bad_request(response: requests.Response, *fragments: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "Bad Request" and body["statusCode"] == 400
    joined = " | ".join(body["message"])
    assert all(fragment in joined for fragment in fragments), joined


def multipart(*pairs: tuple[str, str]) -> list[tuple[str, tuple[None, str]]]:
    """Form fields for ``requests``' ``files=``, so that the body is multipart/form-data."""
    return [(name, (None, value)) for name, value in pairs]


def integration(ur: Client, kind: str, **data: Any) -> requests.Response:
    return ur.post("/integrations", json={"type": kind, "data": data})


def test_missing_or_unknown_key_is_401(ur: Client):
    for key in (None, "wrong-key"):
        response = Client(ur.base, api_key=key).get("/monitors")
        assert (response.status_code, response.json()) == (
            401,
            {"message": "Unauthorized", "code": "003-005"},
        )


def test_unknown_route_answers_like_nestjs(ur: Client):
    response = ur.get("/nope")
    assert response.status_code == 404
    assert response.json() == {"message": "Cannot GET /v3/nope", "error": "Not Found", "statusCode": 404}


def test_monitor_crud_and_read_back_quirks(ur: Client):
    monitor = ur.monitor(friendlyName="Shop & Co", url="https://a.test/?x=1&y=2")
    assert monitor["friendlyName"] == "Shop &amp; Co" and monitor["url"] == "https://a.test/?x=1&amp;y=2"
    assert monitor["httpMethodType"] == "HEAD" and monitor["status"] == "STARTED"
    assert (monitor["authType"], monitor["httpUsername"], monitor["httpPassword"]) == ("HTTP_BASIC", "", "")
    assert monitor["successHttpResponseCodes"] == ["2xx", "3xx"]
    path = f"/monitors/{monitor['id']}"
    assert ur.get(path).json() == monitor
    updated = ur.patch(
        path, json={"friendlyName": "New", "interval": 600, "responseTimeThreshold": 2000}
    ).json()
    assert [updated[key] for key in ("friendlyName", "interval", "responseTimeThreshold")] == ["New", 600, 0]
    assert updated["regionalData"]["THRESHOLD"] == {"na": 2000}
    deleted = ur.delete(path)
    assert deleted.status_code == 200 and deleted.content == b""
    assert (ur.get(path).status_code, ur.get(path).json()) == (404, NOT_FOUND)
    assert ur.delete(path).json() == NOT_FOUND


def test_validation_errors_name_each_field(ur: Client):
    response = ur.post("/monitors", json={"type": "HTTP", "friendlyName": 5, "interval": 10})
    messages = [
        "friendlyName must be a string",
        "interval must not be less than 30",
        "url should not be empty",
    ]
    assert_bad_request(response, *messages)
    assert_bad_request(ur.post("/monitors", json=http_monitor(bogus=1)), "property bogus should not exist")
    assert_bad_request(ur.post("/monitors", json=http_monitor(type="SMTP")), "type must be one of")
    assert_bad_request(ur.post("/monitors", json=http_monitor(url="shop.test")), "url must be a URL address")


def test_plan_minimum_interval(ur: Client, sandbox_server: Server):
    assert_bad_request(
        ur.post("/monitors", json=http_monitor(interval=60)), "subscription_limit_exceeded", "interval"
    )
    sandbox_server.control("PUT", "/uptimerobot/settings", json={"plan": "solo"})
    assert ur.monitor(interval=60)["interval"] == 60


def test_monitor_limit_of_the_plan(ur: Client, sandbox_server: Server):
    for number in range(50):
        sandbox_server.seed("monitors", http_monitor(url=f"https://{number}.test"))
    assert_bad_request(ur.post("/monitors", json=http_monitor()), "monitor_limit_exceeded")


def test_duplicate_url_and_method_is_rejected(ur: Client):
    ur.monitor(httpMethodType="GET")
    assert_bad_request(ur.post("/monitors", json=http_monitor(httpMethodType="GET")), "already exists")
    ur.monitor()  # HEAD differs from GET
    assert_bad_request(ur.post("/monitors", json=http_monitor()), "already exists")


def test_type_cannot_change(ur: Client):
    response = ur.patch(f"/monitors/{ur.monitor()['id']}", json={"type": "PING"})
    assert_bad_request(response, "type can not be changed")


def test_keyword_case_type_reads_back_as_number(ur: Client):
    keyword = {"type": "KEYWORD", "keywordType": "ALERT_EXISTS", "keywordValue": " Welcome "}
    monitor = ur.monitor(**keyword, keywordCaseType="CaseInsensitive")
    assert (monitor["keywordCaseType"], monitor["keywordValue"]) == (1, "Welcome")
    path = f"/monitors/{monitor['id']}"
    assert ur.patch(path, json={"keywordCaseType": 0}).json()["keywordCaseType"] == 0
    assert_bad_request(ur.patch(path, json={"keywordCaseType": "CaseSensitive"}), "keywordCaseType")


def test_patch_replaces_merges_and_resets(ur: Client):
    monitor = ur.monitor(
        customHttpHeaders={"A": "1"}, successHttpResponseCodes=["200"], config={"ipVersion": "ipv4Only"}
    )
    path = f"/monitors/{monitor['id']}"
    patched = ur.patch(
        path, json={"customHttpHeaders": {"B": "2"}, "config": {"applicationErrorRetries": 2}}
    ).json()
    assert patched["customHttpHeaders"] == {"B": "2"}
    assert patched["config"] == {"ipVersion": "ipv4Only", "applicationErrorRetries": 2}
    patched = ur.patch(path, json={"successHttpResponseCodes": [], "config": {"ipVersion": None}}).json()
    assert (patched["successHttpResponseCodes"], patched["config"]) == (
        ["2xx", "3xx"],
        {"applicationErrorRetries": 2},
    )
    assert ur.patch(path, json={"config": None}).json()["config"] == {}


def test_heartbeat_gets_a_server_generated_url(ur: Client):
    body = {"type": "HEARTBEAT", "friendlyName": "Backup", "interval": 86400, "gracePeriod": 3600}
    monitor = ur.post("/monitors", json=body).json()
    # Only the token of https://heartbeat.uptimerobot.com/<token> comes back (verified live, GoSuccessHQ).
    assert re.fullmatch(rf"m{monitor['id']}-[0-9a-f]+", monitor["url"])
    assert monitor["gracePeriod"] == 3600 and monitor["httpMethodType"] is None


def test_tags_are_account_objects(ur: Client):
    first = ur.monitor(tagNames=["Prod", "API"])
    second = ur.monitor(url="https://b.test", tagNames=["prod"])
    assert [tag["name"] for tag in first["tags"]] == ["prod", "api"]
    assert second["tags"][0]["id"] == first["tags"][0]["id"] and second["tags"][0]["color"]
    tags = ur.get("/tags").json()
    assert [tag["name"] for tag in tags["data"]] == ["prod", "api"] and tags["nextCursorId"] is None
    filtered = ur.get("/monitors", params={"tags": "api,nothing"}).json()["data"]
    assert [monitor["id"] for monitor in filtered] == [first["id"]]
    assert ur.delete(f"/tags/{first['tags'][0]['id']}").status_code == 204
    assert ur.get(f"/monitors/{second['id']}").json()["tags"] == []


def test_links_to_windows_and_alert_contacts(ur: Client):
    window = ur.post("/maintenance-windows", json=window_body()).json()
    owner = ur.get("/alert-contacts").json()["data"][0]
    slack = integration(ur, "Slack", webhookURL="https://h.test", customValue="").json()
    assigned = [
        {"alertContactId": owner["id"], "threshold": 5, "recurrence": 10},
        {"alertContactId": slack["id"], "threshold": 0, "recurrence": 0},
    ]
    monitor = ur.monitor(maintenanceWindowsIds=[window["id"]], assignedAlertContacts=assigned)
    assert monitor["maintenanceWindows"][0]["id"] == window["id"]
    # Threshold and recurrence are always 0 on the Free plan.
    assert monitor["assignedAlertContacts"][0] == {
        "alertContactId": owner["id"],
        "threshold": 0,
        "recurrence": 0,
    }
    assert ur.get(f"/maintenance-windows/{window['id']}").json()["monitorIds"] == [monitor["id"]]
    unknown = [{"alertContactId": 1, "threshold": 0, "recurrence": 0}]
    response = ur.post("/monitors", json=http_monitor(url="https://c.test", assignedAlertContacts=unknown))
    assert_bad_request(response, "assignedAlertContacts")


def test_pause_and_start_are_idempotent(ur: Client):
    path = f"/monitors/{ur.monitor()['id']}"
    for action, status in [("pause", "PAUSED")] * 2 + [("start", "STARTED")] * 2:
        response = ur.post(f"{path}/{action}")
        assert (response.status_code, response.json()["status"]) == (201, status)
    ur.post(f"{path}/pause")
    assert len(ur.get("/monitors", params={"status": "paused"}).json()["data"]) == 1
    assert len(ur.get("/monitors", params={"status": "UP,STARTED"}).json()["data"]) == 0


def test_filters_by_name_and_url(ur: Client):
    ur.monitor(friendlyName="Shop API", url="https://api.shop.test")
    ur.monitor(friendlyName="Blog", url="https://blog.test")
    for params, names in (({"name": "shop"}, ["Shop API"]), ({"url": "BLOG"}, ["Blog"])):
        assert [
            monitor["friendlyName"] for monitor in ur.get("/monitors", params=params).json()["data"]
        ] == names


@pytest.mark.parametrize(("count", "sizes"), [(5, [2, 2, 1]), (4, [2, 2, 0])])
def test_pagination_follows_next_link(ur: Client, sandbox_server: Server, count: int, sizes: list[int]):
    for number in range(count):
        sandbox_server.seed("monitors", http_monitor(url=f"https://{number}.test"))
    page = ur.get("/monitors", params={"limit": 2}).json()
    seen = [len(page["data"])]
    while page["nextLink"]:
        assert page["nextLink"].startswith(ur.base + "/monitors?") and "limit=2" in page["nextLink"]
        page = ur.follow(page["nextLink"])
        seen.append(len(page["data"]))
    assert seen == sizes  # a full page always links on, even to an empty page
    assert_bad_request(ur.get("/monitors", params={"limit": 201}), "limit must not be greater than 200")


def test_alert_contacts(ur: Client, sandbox_server: Server):
    listed = ur.get("/alert-contacts").json()
    assert [contact["value"] for contact in listed["data"]] == [OWNER_EMAIL] and listed["nextLink"] is None
    contact = {
        "type": "Email",
        "value": "ops@example.test",
        "friendlyName": "Ops",
        "enableNotificationsFor": 1,
    }
    created = ur.post("/alert-contacts", json=contact)
    assert created.status_code == 201 and created.json()["status"] == "NotActivated"
    # The create keeps the default notification setting: clients PATCH it right after, as the official
    # provider does.
    assert created.json()["enableNotificationsFor"] == "UpAndDown"
    path = f"/alert-contacts/{created.json()['id']}"
    patched = ur.patch(path, json={"isActive": True, "enableNotificationsFor": 1}).json()
    assert (patched["enableNotificationsFor"], patched["status"]) == ("Down", "Active")
    assert ur.delete(path).status_code == 200
    assert ur.get(path).json() == {"message": "Alert contact not found", "code": "000-004"}
    for body, message in (
        ({"type": "Email", "value": OWNER_EMAIL}, "your e-mail"),
        ({"type": "Email", "value": "nope"}, "value must be an email"),
        ({"type": "Voice", "value": "+1"}, "type"),
    ):
        assert_bad_request(ur.post("/alert-contacts", json=body), message)
    for number in range(49):
        sandbox_server.seed("alert-contacts", {"type": "Email", "value": f"{number}@x.io"})
    page = ur.get("/alert-contacts").json()
    assert len(page["data"]) == 50 and page["nextLink"]
    assert ur.follow(page["nextLink"]) == {"data": [], "nextLink": None}


def test_integrations(ur: Client):
    slack = integration(ur, "Slack", webhookURL="https://h.test", customValue="#a")
    assert slack.status_code == 201
    assert [slack.json()[key] for key in ("value", "customValue", "enableNotificationsFor", "status")] == [
        "https://h.test",
        "#a",
        "UpAndDown",
        "Active",
    ]
    webhook = integration(ur, "Webhook", urlToNotify="https://w.test", postValue="{}", sendAsJSON=True).json()
    # Read back as the official provider reads it: options packed into customValue as a JSON string.
    assert webhook["value"] == "https://w.test" and webhook["customValue2"] is None
    assert json.loads(webhook["customValue"]) == {
        "postValue": "{}",
        "sendJSON": "1",
        "sendQuery": "0",
        "sendPost": "0",
    }
    pager = integration(ur, "Pagerduty", integrationKey=PAGERDUTY_KEY).json()
    # The key is never returned; autoResolve and location come back in customValue and customValue2.
    assert (pager["type"], pager["value"], pager["customValue"], pager["customValue2"]) == (
        "PagerDuty",
        "",
        "0",
        "us",
    )
    duplicate = integration(ur, "Pagerduty", integrationKey=PAGERDUTY_KEY)
    assert (duplicate.status_code, duplicate.json()) == (
        409,
        {"message": "Integration already exists", "code": "021-004"},
    )
    gated = integration(ur, "Telegram", friendlyName="Ops")
    assert gated.status_code == 403 and gated.json()["code"] == "021-003"
    short = integration(ur, "Pagerduty", integrationKey="short")
    assert_bad_request(short, "data.integrationKey must be longer than or equal to 32 characters")
    path = f"/integrations/{pager['id']}"
    assert_bad_request(ur.patch(path, json={"data": {"location": "eu"}}), "type should not be empty")
    patched = ur.patch(
        path, json={"type": "Pagerduty", "data": {"location": "eu", "autoResolve": True}}
    ).json()
    assert (patched["customValue"], patched["customValue2"]) == ("1", "eu")
    assert ur.delete(path).status_code == 200
    assert ur.get(path).json() == {"message": "Integration not found", "code": "021-005"}


def test_maintenance_windows(ur: Client):
    created = ur.post("/maintenance-windows", json=window_body(days=[7, 9]))
    window = created.json()
    assert created.status_code == 201 and window["days"] == [7] and window["status"] == "active"
    path = f"/maintenance-windows/{window['id']}"
    assert ur.patch(path, json={"status": "paused", "duration": 30}).json()["duration"] == 30
    assert_bad_request(ur.post("/maintenance-windows", json=window_body(time="25:00:00")), "time must match")
    assert_bad_request(ur.post("/maintenance-windows", json=window_body(name="ab")), "name must be longer")
    assert ur.delete(path).status_code == 204
    assert ur.get(path).status_code == 404


def test_status_pages_take_multipart_forms(ur: Client):
    monitors = [ur.monitor(url=f"https://{number}.test")["id"] for number in range(2)]
    fields = multipart(
        ("friendlyName", "Status"),
        ("password", "secret"),
        ("hideUrlLinks", "true"),
        *(("monitorIds", str(monitor_id)) for monitor_id in monitors),
        ("customSettings[page][theme]", "dark"),
        ("customSettings[features][showBars]", "false"),
    )
    created = ur.post("/psps", files=[*fields, ("logo", ("logo.png", b"\x89PNG", "image/png"))])
    page = created.json()
    assert created.status_code == 201, created.text
    assert page["monitorIds"] == monitors and page["monitorsCount"] == 2 and page["hideUrlLinks"] is True
    assert page["isPasswordSet"] is True and "password" not in page and page["logo"].endswith("logo.png")
    assert page["customSettings"]["page"]["theme"] == "dark"
    assert page["customSettings"]["features"]["showBars"] == "false"
    path = f"/psps/{page['id']}"
    patched = ur.patch(path, files=multipart(("monitorIds", "0"), ("status", "PAUSED"))).json()
    assert patched["monitorIds"] == [0] and patched["status"] == "PAUSED" and patched["monitorsCount"] == 2
    assert ur.get(f"/monitors/{monitors[0]}").json()["psps"][0]["id"] == page["id"]
    assert_bad_request(ur.patch(path, files=multipart(("noIndex", "maybe"))), "noIndex must be a boolean")
    assert ur.patch(path, json={"friendlyName": "As JSON"}).json()["friendlyName"] == "As JSON"
    assert ur.delete(path).status_code == 200
    assert ur.get(path).json() == {"message": "PSP not found", "code": "000-004"}


def test_user_me(ur: Client):
    ur.monitor()
    me = ur.get("/user/me").json()
    assert (me["email"], me["monitorsCount"], me["monitorLimit"]) == (OWNER_EMAIL, 1, 50)
    assert me["activeSubscription"]["plan"] == "Free"
