"""PagerDuty resources against the sandbox, driven as the engine drives them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers import settings
from providers.base import SpecProvider
from providers.pagerduty.resources import (
    EscalationPolicyProvider,
    EventsIntegrationProvider,
    MaintenanceWindowProvider,
    ScheduleProvider,
    ServiceProvider,
    UserLookupProvider,
)
from transport import Expected

from .conftest import checked, count, fault, sandbox_config, wire


def person(api: SandboxProcess, email: str) -> str:
    return str(api.control("POST", "/pagerduty/users", json={"email": email, "name": email[:3]}).json()["id"])


@pytest.fixture
def people(configured: SandboxProcess) -> list[str]:
    return [person(configured, f"{n}@optio.test") for n in ("ada", "bo", "cy")]


@pytest.fixture
def policy_id(configured: SandboxProcess, people: list[str]) -> str:
    provider = EscalationPolicyProvider()
    created = provider.create(
        checked(provider, {"name": "base", "rules": [{"delay_minutes": 30, "users": people[:1]}]})
    )
    return str(created.id)


@pytest.fixture
def service_id(configured: SandboxProcess, policy_id: str) -> str:
    provider = ServiceProvider()
    return str(provider.create(checked(provider, {"name": "base", "escalation_policy": policy_id})).id)


def lifecycle(provider: SpecProvider, props: dict[str, Any], change: dict[str, Any]) -> None:
    created = provider.create(checked(provider, props))
    state = wire(created.outs)
    assert provider.diff(created.id, state, checked(provider, props)).changes is False
    read = provider.read(created.id, state)
    assert read.id == created.id
    assert provider.diff(created.id, wire(read.outs), checked(provider, props)).changes is False
    news = checked(provider, {**props, **change})
    assert provider.diff(created.id, state, news).changes is True
    updated = provider.update(created.id, state, news)
    assert provider.diff(created.id, wire(updated.outs), news).changes is False
    provider.delete(created.id, wire(updated.outs))
    assert provider.read(created.id, wire(updated.outs)).id is None
    provider.delete(created.id, wire(updated.outs))  # again: not an error


def test_escalation_policy_lifecycle(configured: SandboxProcess, people: list[str]):
    first = {"delay_minutes": 30, "users": people[:2]}
    props = {"name": "prod on-call", "rules": [first], "num_loops": 1}
    second = {"delay_minutes": 10, "users": people[2:]}
    lifecycle(EscalationPolicyProvider(), props, {"rules": [first, second], "num_loops": 2})


def test_service_lifecycle(configured: SandboxProcess, policy_id: str):
    props = {"name": "optio prod", "escalation_policy": policy_id, "acknowledgement_timeout": None}
    lifecycle(ServiceProvider(), props, {"auto_resolve_timeout": 3600, "urgency": "low"})


def test_a_service_disabled_outside_lookout_is_drift_that_an_update_repairs(configured, policy_id: str):
    provider = ServiceProvider()
    props = checked(provider, {"name": "paging", "escalation_policy": policy_id})
    created = provider.create(props)
    configured.control("PATCH", f"/pagerduty/services/{created.id}", json={"status": "disabled"})
    read = provider.read(created.id, wire(created.outs))
    assert wire(read.inputs)["enabled"] is False
    assert provider.diff(created.id, wire(read.outs), props).changes is True
    provider.update(created.id, wire(read.outs), props)
    live = configured.control("GET", "/pagerduty/services").json()
    assert [s["status"] for s in live if s["id"] == created.id] == ["active"]


def test_events_integration_key_is_a_secret_output_and_delete_revokes_it(configured, service_id: str):
    provider = EventsIntegrationProvider()
    created = provider.create(checked(provider, {"service": service_id}))
    key = wire(created.outs)["integration_key"]
    assert len(key) == 32 and "integration_key" in provider.spec.secret_outputs
    read = provider.read(created.id, wire(created.outs))
    assert wire(read.outs)["integration_key"] == key
    provider.delete(created.id, wire(created.outs))  # the undocumented DELETE the official provider uses
    assert configured.control("GET", "/pagerduty/integrations").json() == []
    assert provider.read(created.id, wire(created.outs)).id is None
    again = provider.create(checked(provider, {"service": service_id}))
    assert again.id != created.id and wire(again.outs)["integration_key"] != key


def test_a_service_declared_disabled_is_created_active_then_disabled(configured, policy_id: str):
    provider = ServiceProvider()
    props = checked(provider, {"name": "quiet", "escalation_policy": policy_id, "enabled": False})
    created = provider.create(props)
    (live,) = [s for s in configured.control("GET", "/pagerduty/services").json() if s["id"] == created.id]
    assert live["status"] == "disabled"
    assert provider.diff(created.id, wire(created.outs), props).changes is False


def test_an_integration_goes_with_its_service(configured, service_id: str):
    provider = EventsIntegrationProvider()
    created = provider.create(checked(provider, {"service": service_id}))
    ServiceProvider().delete(service_id, {})
    assert provider.read(created.id, wire(created.outs)).id is None
    provider.delete(created.id, wire(created.outs))  # nothing left to retire: not an error


def test_a_person_is_found_by_address_in_any_case_and_never_invited(configured, people: list[str]):
    provider = UserLookupProvider()
    found = provider.create(checked(provider, {"email": "ADA@optio.test"}))
    assert wire(found.outs)["user_id"] == people[0]
    with pytest.raises(Expected, match="never invites"):
        provider.create(checked(provider, {"email": "nobody@optio.test"}))
    assert len(configured.control("GET", "/pagerduty/users").json()) == 3


def test_a_lost_create_answer_is_found_not_duplicated(configured, policy_id: str):
    fault(configured, "lost", "POST", "/pagerduty/services", vendor="pagerduty")
    provider = ServiceProvider()
    created = provider.create(checked(provider, {"name": "once", "escalation_policy": policy_id}))
    services = [s for s in configured.control("GET", "/pagerduty/services").json() if s["name"] == "once"]
    assert [s["id"] for s in services] == [created.id]
    assert count(configured, "POST /services", vendor="pagerduty") == 1


def test_invalid_input_is_one_message_with_the_vendors_reasons(configured):
    provider = ServiceProvider()
    with pytest.raises(Expected, match="Invalid Input Provided: Escalation policy"):
        provider.create(checked(provider, {"name": "x", "escalation_policy": "PNOPE00"}))


def test_maintenance_window_lifecycle_in_utc_whatever_the_offset(configured, service_id: str, clock):
    settings.use_config({**sandbox_config(configured), "pagerduty:from": "ada@optio.test"})
    start = datetime.fromtimestamp(clock.time() + 3600, timezone.utc).astimezone(timezone(timedelta(hours=2)))
    props = {
        "services": [service_id],
        "start_time": start.isoformat(timespec="seconds"),
        "end_time": (start + timedelta(hours=1)).isoformat(timespec="seconds"),
        "description": "deploy",
    }
    lifecycle(MaintenanceWindowProvider(), props, {"end_time": (start + timedelta(hours=2)).isoformat()})


def test_an_ongoing_window_is_edited_without_refusal_and_its_moved_start_is_no_diff(
    configured, service_id: str
):
    """PagerDuty moves a past start to the moment of each write: once a window began, its live start is
    later than the declared one, which must be neither refused nor a perpetual diff."""
    settings.use_config({**sandbox_config(configured), "pagerduty:from": "ada@optio.test"})
    now = configured.control("GET", "/clock").json()["now"]
    provider = MaintenanceWindowProvider()
    future = {
        "services": [service_id],
        "start_time": datetime.fromtimestamp(now + 3600, timezone.utc).isoformat(),
        "end_time": datetime.fromtimestamp(now + 7200, timezone.utc).isoformat(),
        "description": "deploy",
    }
    window = provider.create(checked(provider, future)).id
    configured.control("PATCH", f"/pagerduty/maintenance_windows/{window}", json={"start": now - 600})
    began = {**future, "start_time": datetime.fromtimestamp(now - 900, timezone.utc).isoformat()}
    adopted = provider.create(checked(provider, {**began, "adopt_id": window}))  # began 10 minutes ago
    assert adopted.id == window
    assert provider.diff(window, wire(adopted.outs), checked(provider, began)).changes is False
    edited = checked(provider, {**began, "description": "deploy, extended"})
    assert provider.diff(window, wire(adopted.outs), edited).changes is True
    updated = provider.update(window, wire(adopted.outs), edited)
    assert provider.diff(window, wire(updated.outs), edited).changes is False
    read = provider.read(window, wire(updated.outs))
    assert provider.diff(window, wire(read.outs), edited).changes is False
    earlier_but_future = {
        **edited,
        "start_time": datetime.fromtimestamp(now + 1800, timezone.utc).isoformat(),
    }
    assert provider.diff(window, wire(read.outs), checked(provider, earlier_but_future)).changes is True


def test_a_window_starting_in_the_past_is_refused_before_any_request(configured, service_id: str, clock):
    settings.use_config({**sandbox_config(configured), "pagerduty:from": "ada@optio.test"})
    start = datetime.fromtimestamp(clock.time() - 60, timezone.utc)
    provider = MaintenanceWindowProvider()
    props = checked(
        provider,
        {"services": [service_id], "start_time": start.isoformat(), "end_time": "2099-01-01T00:00:00Z"},
    )
    before = count(configured, "POST /maintenance_windows", vendor="pagerduty")
    with pytest.raises(Expected, match="in the past"):
        provider.create(props)
    assert count(configured, "POST /maintenance_windows", vendor="pagerduty") == before


def test_a_window_without_an_author_says_which_setting_names_one(configured, service_id: str, clock):
    start = datetime.fromtimestamp(clock.time() + 600, timezone.utc)
    provider = MaintenanceWindowProvider()
    props = checked(
        provider,
        {
            "services": [service_id],
            "start_time": start.isoformat(),
            "end_time": (start + timedelta(hours=1)).isoformat(),
        },
    )
    with pytest.raises(Expected, match="pagerduty:from is not set"):
        provider.create(props)


def test_an_ended_window_is_history_and_deleting_it_is_done(configured, service_id: str, clock):
    settings.use_config({**sandbox_config(configured), "pagerduty:from": "ada@optio.test"})
    start = datetime.fromtimestamp(clock.time() + 60, timezone.utc)
    provider = MaintenanceWindowProvider()
    props = {
        "services": [service_id],
        "start_time": start.isoformat(),
        "end_time": (start + timedelta(minutes=5)).isoformat(),
    }
    created = provider.create(checked(provider, props))
    configured.control("POST", "/clock", json={"advance": 3600})
    provider.delete(created.id, wire(created.outs))  # 405 from the API: kept as history
    assert [w["id"] for w in configured.control("GET", "/pagerduty/maintenance_windows").json()] == [
        created.id
    ]


def schedule_props(people: list[str], **more: Any) -> dict[str, Any]:
    layers = [
        {"name": "weekly", "users": people[:2], "handoff": "10:00", "handoff_day": 2},
        {
            "name": "nights",
            "users": people[2:],
            "turn_days": 1,
            "restrictions": [{"type": "daily", "start": "20:00", "minutes": 720}],
        },
    ]
    return {"name": "primary", "time_zone": "Europe/Berlin", "layers": layers, **more}


def test_schedule_lifecycle(configured, people: list[str]):
    lifecycle(ScheduleProvider(), schedule_props(people), {"description": "prod on-call"})


def test_a_schedule_hands_off_at_the_declared_local_time_and_reads_back_in_order(
    configured, people: list[str]
):
    provider = ScheduleProvider()
    created = provider.create(checked(provider, schedule_props(people)))
    (live,) = configured.control("GET", "/pagerduty/schedules").json()
    weekly = live["schedule_layers"][1]  # the API lists layers in reverse
    start = datetime.fromisoformat(weekly["rotation_virtual_start"])
    assert (start.strftime("%H:%M"), start.isoweekday()) == ("10:00", 2)  # Tuesday 10:00, Berlin time
    assert [u["user"]["id"] for u in weekly["users"]] == people[:2]
    read = provider.read(created.id, wire(created.outs))
    assert [layer["name"] for layer in wire(read.inputs)["layers"]] == ["weekly", "nights"]


def test_an_update_never_rewrites_history(configured, people: list[str], clock):
    provider = ScheduleProvider()
    props = checked(provider, schedule_props(people))
    created = provider.create(props)
    (before,) = configured.control("GET", "/pagerduty/schedules").json()
    configured.control("POST", "/clock", json={"advance": 14 * 86400})
    clock.now += 14 * 86400
    changed = schedule_props(people)
    changed["layers"] = [{**changed["layers"][0], "users": list(reversed(people[:2]))}]  # nights dropped
    news = checked(provider, changed)
    updated = provider.update(created.id, wire(created.outs), news)
    (after,) = configured.control("GET", "/pagerduty/schedules").json()
    weekly_before, weekly_after = before["schedule_layers"][1], after["schedule_layers"][-1]
    assert weekly_after["id"] == weekly_before["id"]  # the same layer, changed from now on
    assert datetime.fromisoformat(weekly_after["start"]) > datetime.fromisoformat(weekly_before["start"])
    nights = [layer for layer in after["schedule_layers"] if layer["name"] == "nights"]
    assert len(nights) == 1 and nights[0]["end"] is not None  # ended, kept as history
    assert provider.diff(created.id, wire(updated.outs), news).changes is False
    read = provider.read(created.id, wire(updated.outs))
    assert [layer["name"] for layer in wire(read.inputs)["layers"]] == ["weekly"]


def test_an_unknown_time_zone_is_refused_at_preview(configured):
    result = ScheduleProvider().check(
        {}, {"name": "s", "time_zone": "Mars/Olympus", "layers": [{"name": "l", "users": ["P1"]}]}
    )
    assert [f.property for f in result.failures] == ["time_zone"]
