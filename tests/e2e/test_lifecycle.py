"""The real `pulumi` CLI, our dynamic providers and the sandbox, end to end."""

from __future__ import annotations

import json

import pytest

from .conftest import Stack, plan

FRONTEND = {"name": "frontend", "url": "https://frontend.example.test"}
BACKEND = {"name": "backend", "url": "https://backend.example.test/api/health"}
EXIT_NO_CHANGES_EXPECTED = 7


def by_name(stack: Stack) -> dict[str, dict]:
    return {m["friendlyName"]: m for m in stack.monitors()}


def test_create_noop_update_replace_delete(stack: Stack):
    stack.configure(plan(FRONTEND, BACKEND))
    stack.pulumi("up", "--yes")
    live = by_name(stack)
    assert set(live) == {"frontend", "backend"}
    assert live["backend"]["httpMethodType"] == "GET" and live["backend"]["interval"] == 300
    contact_ids = {a["alertContactId"] for m in live.values() for a in m["assignedAlertContacts"]}
    assert len(contact_ids) == 1

    before = stack.requests()
    stack.pulumi("preview", "--expect-no-changes")
    assert stack.requests() == before  # preview never calls the API

    stack.configure(plan(FRONTEND, BACKEND, interval=600))
    out = stack.pulumi("up", "--yes").stdout
    assert "2 updated" in out
    after = by_name(stack)
    assert after["backend"]["interval"] == 600 and after["backend"]["id"] == live["backend"]["id"]

    stack.configure(plan(FRONTEND, {**BACKEND, "keyword": "healthy"}, interval=600))
    out = stack.pulumi("up", "--yes").stdout
    assert "1 replaced" in out
    replaced = by_name(stack)["backend"]
    assert replaced["type"] == "KEYWORD" and replaced["id"] != live["backend"]["id"]

    stack.configure(plan(FRONTEND, interval=600))
    out = stack.pulumi("up", "--yes").stdout
    assert "1 deleted" in out
    assert set(by_name(stack)) == {"frontend"}
    stack.pulumi("preview", "--expect-no-changes")

    stack.pulumi("destroy", "--yes")
    assert stack.monitors() == []


def test_out_of_band_edit_is_caught_by_refresh_and_repaired(stack: Stack):
    stack.configure(plan(FRONTEND))
    stack.pulumi("up", "--yes")
    monitor = stack.monitors()[0]
    stack.api.control("PATCH", f"/uptimerobot/monitors/{monitor['id']}", json={"interval": 900})

    drift = stack.pulumi("preview", "--refresh", "--expect-no-changes", check=False)
    assert drift.returncode == EXIT_NO_CHANGES_EXPECTED, drift.stdout + drift.stderr

    stack.pulumi("up", "--refresh", "--yes")
    assert stack.monitors()[0]["interval"] == 300
    stack.pulumi("preview", "--refresh", "--expect-no-changes")


def test_out_of_band_delete_is_dropped_by_refresh_and_recreated(stack: Stack):
    stack.configure(plan(FRONTEND))
    stack.pulumi("up", "--yes")
    old = stack.monitors()[0]
    stack.api.control("DELETE", f"/uptimerobot/monitors/{old['id']}")

    stack.pulumi("refresh", "--yes")
    exported = json.loads(stack.pulumi("stack", "export").stdout)
    types = [r["type"] for r in exported["deployment"]["resources"]]
    assert "pulumi-python:dynamic/uptimerobot:Monitor" not in types

    stack.pulumi("up", "--yes")
    recreated = stack.monitors()
    assert len(recreated) == 1 and recreated[0]["id"] != old["id"]


def hand_made_monitor(stack: Stack) -> dict:
    """A monitor someone made in the dashboard, for the same URL as FRONTEND."""
    body = {
        "type": "HTTP",
        "friendlyName": "hand-made",
        "url": FRONTEND["url"],
        "interval": 600,
        "timeout": 30,
        "httpMethodType": "GET",
    }
    return stack.api.control("POST", "/uptimerobot/monitors", json=body).json()


def test_adopting_existing_objects_makes_no_duplicate(stack: Stack):
    seeded = hand_made_monitor(stack)
    stack.configure(plan(FRONTEND, adoptExisting=True))
    stack.pulumi("up", "--yes")
    monitors = stack.monitors()
    assert len(monitors) == 1 and monitors[0]["id"] == seeded["id"]
    assert monitors[0]["friendlyName"] == "frontend" and monitors[0]["interval"] == 300
    stack.pulumi("preview", "--expect-no-changes")


def test_duplicate_without_adoption_fails_with_advice(stack: Stack):
    hand_made_monitor(stack)
    stack.configure(plan(FRONTEND))
    failed = stack.pulumi("up", "--yes", check=False)
    assert failed.returncode != 0
    assert "adopt" in failed.stdout + failed.stderr
    assert len(stack.monitors()) == 1


def test_api_key_never_appears_in_clear_in_state(stack: Stack):
    stack.configure(plan(FRONTEND))
    stack.pulumi("up", "--yes")
    exported = stack.pulumi("stack", "export").stdout
    assert "sandbox-uptimerobot-key" not in exported
    assert "sandbox-uptimerobot-key" not in stack.workspace.config_file.read_text()


@pytest.mark.parametrize(
    ("monitor", "uptime", "expected"),
    [
        ({**FRONTEND, "interval": "often"}, {}, "interval"),
        ({**FRONTEND, "intervall": 300}, {}, "unknown key"),
        (FRONTEND, {"interval": 60}, "below the UptimeRobot free plan minimum"),
        ({**FRONTEND, "url": "frontend.example.test"}, {}, "not an http(s) URL"),
    ],
    ids=["wrong-type", "unknown-key", "interval-under-plan-minimum", "malformed-url"],
)
def test_bad_config_fails_at_preview_naming_the_field_without_api_calls(
    stack: Stack, monitor, uptime, expected
):
    stack.configure(plan(monitor, **uptime))
    before = stack.requests()
    failed = stack.pulumi("preview", check=False)
    assert failed.returncode != 0
    assert expected in failed.stdout + failed.stderr
    assert stack.requests() == before
