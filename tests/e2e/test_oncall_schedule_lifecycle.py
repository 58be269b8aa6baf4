"""PagerDuty schedules and maintenance windows through the real CLI and the sandbox: create, no-change
preview, update (a schedule's history is never rewritten), drift caught by refresh and repaired, delete.

Neither spec has a replace-on-change field (ScheduleSpec and MaintenanceWindowSpec leave `replace_on`
empty): every change is an update in place, so there is no replacement to exercise here."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from harness.sandbox_process import PAGERDUTY_TOKEN

from .conftest import Stack, plan

EXIT_NO_CHANGES_EXPECTED = 7
DAY = 86400
PEOPLE = ["ada@optio.test", "bo@optio.test", "cy@optio.test"]
WEEKLY = {"name": "weekly", "people": PEOPLE[:2], "handoff": "10:00", "handoffDay": 2}
NIGHTS = {
    "name": "nights",
    "people": [PEOPLE[2]],
    "turnDays": 1,
    "handoff": "20:00",
    "restrictions": [{"type": "daily", "start": "20:00", "minutes": 720}],
}
WEEKEND = {"name": "weekend", "people": [PEOPLE[1], PEOPLE[2]], "handoff": "18:00", "handoffDay": 5}


def oncall(**block: Any) -> dict[str, Any]:
    pagerduty = {"people": PEOPLE, "policy": "Optio on-call", "services": ["optio api", "optio web"]}
    return {
        **plan({"name": "site", "url": "https://e2e.example.test"}),
        "lookout:pagerduty": {**pagerduty, "integrationOn": None, **block},
        "pagerduty:from": PEOPLE[0],  # a maintenance window names its author
    }


def schedule(*layers: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Optio primary", "timeZone": "Europe/Berlin", "layers": list(layers)}


def live(stack: Stack, collection: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = stack.api.control("GET", f"/pagerduty/{collection}").json()
    return found


def seed_people(stack: Stack) -> list[str]:
    return [
        str(stack.api.control("POST", "/pagerduty/users", json={"email": e, "name": e[:2]}).json()["id"])
        for e in PEOPLE
    ]


def sandbox_now(stack: Stack) -> datetime:
    return datetime.fromtimestamp(stack.api.control("GET", "/clock").json()["now"], timezone.utc)


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def users(layer: dict[str, Any]) -> list[str]:
    return [u["user"]["id"] for u in layer["users"]]


def by_name(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in obj["schedule_layers"]}


def vendor_put(stack: Stack, path: str, body: dict[str, Any]) -> None:
    """An edit through PagerDuty's own API, as the web app would make it."""
    reply = requests.put(
        f"{stack.api.vendor_url('pagerduty')}{path}",
        json=body,
        headers={
            "Authorization": f"Token token={PAGERDUTY_TOKEN}",
            "Accept": "application/vnd.pagerduty+json;version=2",
            "Content-Type": "application/json",
        },
        timeout=10,
    )
    reply.raise_for_status()


def test_a_schedule_lives_through_create_update_drift_and_destroy(stack: Stack):
    ids = seed_people(stack)
    stack.configure(oncall(schedule=schedule(WEEKLY, NIGHTS, WEEKEND)))
    stack.pulumi("up", "--yes")
    now = sandbox_now(stack)
    (created,) = live(stack, "schedules")
    assert (created["name"], created["time_zone"]) == ("Optio primary", "Europe/Berlin")
    layers = list(reversed(created["schedule_layers"]))  # the API lists them in the reverse of the order sent
    assert [layer["name"] for layer in layers] == ["weekly", "nights", "weekend"]
    assert [users(layer) for layer in layers] == [ids[:2], [ids[2]], [ids[1], ids[2]]]
    assert [layer["rotation_turn_length_seconds"] for layer in layers] == [7 * DAY, DAY, 7 * DAY]
    handoffs = [at(layer["rotation_virtual_start"]) for layer in layers]  # rendered in Berlin time
    assert [h.strftime("%H:%M") for h in handoffs] == ["10:00", "20:00", "18:00"]
    assert (handoffs[0].isoweekday(), handoffs[2].isoweekday()) == (2, 5)
    for handoff, turn in zip(handoffs, (7, 1, 7), strict=True):  # the first listed is on call right now
        assert now - timedelta(days=turn) < handoff <= now
    assert layers[1]["restrictions"] == [
        {"type": "daily_restriction", "start_time_of_day": "20:00:00", "duration_seconds": 720 * 60}
    ]
    stack.pulumi("preview", "--expect-no-changes")

    # New people and a 14-day rotation on the first layer, the last layer no longer declared.
    before = sandbox_now(stack)
    fortnight = {**WEEKLY, "people": [PEOPLE[1], PEOPLE[0], PEOPLE[2]], "turnDays": 14}
    stack.configure(oncall(schedule=schedule(fortnight, NIGHTS)))
    stack.pulumi("up", "--yes")
    (updated,) = live(stack, "schedules")
    assert updated["id"] == created["id"]  # updated in place
    old, new = by_name(created), by_name(updated)
    assert len(updated["schedule_layers"]) == 3  # nothing deleted
    weekly = new["weekly"]
    assert weekly["id"] == old["weekly"]["id"] and weekly["end"] is None
    assert users(weekly) == [ids[1], ids[0], ids[2]] and weekly["rotation_turn_length_seconds"] == 14 * DAY
    assert at(weekly["start"]) >= before > at(old["weekly"]["start"])  # changed from now on, not before
    assert new["nights"]["rotation_virtual_start"] == old["nights"]["rotation_virtual_start"]  # untouched
    assert users(new["nights"]) == [ids[2]] and new["nights"]["end"] is None
    weekend = new["weekend"]  # ended, kept as history as it was
    assert weekend["id"] == old["weekend"]["id"] and users(weekend) == [ids[1], ids[2]]
    assert weekend["end"] is not None
    assert at(old["weekend"]["start"]) <= at(weekend["end"]) <= sandbox_now(stack)
    stack.pulumi("preview", "--expect-no-changes")  # an ended layer is not drift

    # Someone swaps the first layer's people in the web app.
    active = [layer for layer in reversed(updated["schedule_layers"]) if layer["end"] is None]
    fields = ("id", "name", "start", "rotation_virtual_start", "rotation_turn_length_seconds", "restrictions")
    sent = [{k: layer[k] for k in fields} for layer in active]
    for layer, body in zip(active, sent, strict=True):
        swapped = users(layer)[::-1] if layer["name"] == "weekly" else users(layer)
        body["users"] = [{"user": {"id": u, "type": "user_reference"}} for u in swapped]
    edit = {"type": "schedule", "time_zone": "Europe/Berlin", "schedule_layers": sent}
    vendor_put(stack, f"/schedules/{created['id']}", {"schedule": edit})
    assert users(by_name(live(stack, "schedules")[0])["weekly"]) == [ids[2], ids[0], ids[1]]
    drift = stack.pulumi("refresh", "--yes", "--expect-no-changes", check=False)
    assert drift.returncode == EXIT_NO_CHANGES_EXPECTED, drift.stdout + drift.stderr
    assert "Schedule dev-schedule updated" in drift.stdout and "[diff: ~layers]" in drift.stdout
    stack.pulumi("up", "--yes")
    (repaired,) = live(stack, "schedules")
    assert users(by_name(repaired)["weekly"]) == [ids[1], ids[0], ids[2]]
    assert by_name(repaired)["nights"]["rotation_virtual_start"] == old["nights"]["rotation_virtual_start"]
    stack.pulumi("preview", "--refresh", "--expect-no-changes")

    stack.pulumi("destroy", "--yes")
    assert live(stack, "schedules") == []
    assert len(live(stack, "users")) == 3  # people are looked up, never removed


def test_a_maintenance_window_lives_through_create_update_and_delete(stack: Stack):
    ids = seed_people(stack)
    start = sandbox_now(stack).replace(microsecond=0) + timedelta(days=1)
    berlin = timezone(timedelta(hours=2))  # written with an offset, compared as UTC instants

    def window(end: datetime, description: str, services: list[str]) -> dict[str, Any]:
        times = {"start": start.astimezone(berlin).isoformat(), "end": end.astimezone(berlin).isoformat()}
        return {**times, "description": description, "services": services}

    stack.configure(oncall(maintenance=window(start + timedelta(hours=2), "db upgrade", ["optio api"])))
    stack.pulumi("up", "--yes")
    services = {s["name"]: s["id"] for s in live(stack, "services")}
    (created,) = live(stack, "maintenance_windows")
    assert (at(created["start_time"]), at(created["end_time"])) == (start, start + timedelta(hours=2))
    assert [s["id"] for s in created["services"]] == [services["optio api"]]
    assert created["description"] == "db upgrade" and created["created_by"]["id"] == ids[0]
    stack.pulumi("preview", "--expect-no-changes")

    longer = window(start + timedelta(hours=4), "db upgrade, both apps", ["optio web", "optio api"])
    stack.configure(oncall(maintenance=longer))
    stack.pulumi("up", "--yes")
    (updated,) = live(stack, "maintenance_windows")
    assert updated["id"] == created["id"]  # updated in place
    assert (at(updated["start_time"]), at(updated["end_time"])) == (start, start + timedelta(hours=4))
    assert {s["id"] for s in updated["services"]} == set(services.values())
    assert updated["description"] == "db upgrade, both apps"
    stack.pulumi("preview", "--refresh", "--expect-no-changes")

    stack.configure(oncall())
    stack.pulumi("up", "--yes")
    assert live(stack, "maintenance_windows") == []  # a future window is deleted, not ended
    assert len(live(stack, "services")) == 2
