"""`lookout adopt` recognises hand-made objects through each spec's own natural key, fed with the fields
the plan's fan-out declares, so the two can never disagree on what "the same object" is."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from lookout import stackfile
from lookout.adopt import Wanted, heartbeat_hints, match, wanted
from providers import registry
from stacks.checks import compile_plan
from stacks.fanout import uptimerobot as fanout
from tests import preview_model

PLAN = stackfile.load("dev")
CHECKS = [c for c in compile_plan(PLAN) if c.vendor == "uptimerobot"]
WANTED = [Wanted(c.key, c.title, f) for c in CHECKS if (f := fanout.monitor_fields(PLAN, c, CHECKS))]
BY_KEY = {w.key: w for w in WANTED}


def monitor(id_: int, **fields: Any) -> dict[str, Any]:
    """A hand-made monitor, with the method the plan's backend monitor uses unless told otherwise."""
    return {"id": id_, "httpMethodType": BY_KEY["uptime:backend"].fields["http_method"], **fields}


def rows_by_key(found: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    rows = match("uptimerobot:Monitor", found, WANTED, lambda m: m["friendlyName"])
    return {r.key: (r.status, r.id) for r in rows}


def test_a_monitor_of_the_same_type_and_url_is_matched_whatever_its_name():
    url = BY_KEY["uptime:backend"].fields["url"]
    status = rows_by_key([monitor(7, type="HTTP", url=url, friendlyName="Backend (clicked)")])
    assert status["uptime:backend"] == ("matched", "7")


def test_another_type_another_method_or_another_url_is_not_the_same_monitor():
    url = BY_KEY["uptime:backend"].fields["url"]
    found = [
        monitor(1, type="KEYWORD", url=url, friendlyName="a"),
        monitor(2, type="HTTP", url=url, httpMethodType="POST", friendlyName="b"),
        monitor(3, type="HTTP", url=url + "/other", friendlyName="c"),
    ]
    status = rows_by_key(found)
    assert status["uptime:backend"] == ("new", None)
    assert {status[f"monitor:{i}"][0] for i in (1, 2, 3)} == {"unmanaged"}


def test_each_object_is_matched_once_and_duplicates_stay_unmanaged():
    url = BY_KEY["uptime:backend"].fields["url"]
    found = [monitor(i, type="HTTP", url=url, friendlyName=f"copy {i}") for i in (4, 5)]
    status = rows_by_key(found)
    assert status["uptime:backend"] == ("matched", "4")
    assert status["monitor:5"] == ("unmanaged", "5")


def test_a_heartbeat_is_matched_by_the_name_the_plan_gives_it():
    name = BY_KEY["heartbeat:system-health"].fields["name"]
    status = rows_by_key([monitor(9, type="HEARTBEAT", friendlyName=name)])
    assert status["heartbeat:system-health"] == ("matched", "9")


def test_a_heartbeat_named_by_hand_is_not_guessed_but_the_way_to_adopt_it_is_shown():
    found = [monitor(11, type="HEARTBEAT", friendlyName="system-health cron")]
    rows = heartbeat_hints(
        match("uptimerobot:Monitor", found, WANTED, lambda m: m["friendlyName"]), WANTED, found
    )
    row = next(r for r in rows if r.key == "heartbeat:system-health")
    assert row.status == "new"
    assert "'system-health cron' (id 11)" in row.note
    assert 'lookout:adopt["heartbeat:system-health"]' in row.note


def test_no_hint_when_no_other_heartbeat_exists():
    rows = heartbeat_hints(match("uptimerobot:Monitor", [], WANTED, lambda m: ""), WANTED, [])
    assert [r.note for r in rows if r.note] == []


def test_the_contact_matches_its_address_in_any_case_and_is_never_listed_as_unmanaged():
    contact = Wanted("uptimerobot:email", "e-mail", fanout.contact_fields(PLAN))
    found = [
        {"id": 3, "value": "someone@else.test"},
        {"id": 4, "value": PLAN.channels.email.upper()},
    ]
    assert [(r.status, r.id) for r in match("uptimerobot:AlertContact", found, [contact])] == [
        ("matched", "4")
    ]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_adopt_looks_for_what_the_fan_out_declares(stack: str):
    """`lookout adopt` runs the fan-out itself (stacks/inventory.py): every object it would make under an
    adopt key is looked for, with the inputs its natural key reads known before any deploy."""
    plan = stackfile.load(stack)
    secrets = preview_model.sandbox_secrets(stack)
    found = wanted(plan, secrets, list(secrets))
    keys = {w.key for objects in found.values() for w in objects}
    checks = {c.key for c in compile_plan(plan) if c.vendor == "uptimerobot"}
    assert {"uptimerobot:email", "sentry:team"} <= keys and checks & keys
    assert ({"pagerduty:schedule", "pagerduty:escalationpolicy", "pagerduty:service"} <= keys) == (
        stack == "prod"  # dev pages nobody: the fan-out makes no on-call objects there
    )
    for kind, objects in found.items():
        spec = registry.spec_of(kind)
        for w in objects:
            key = [w.fields.get(name) for name in spec.natural_key]
            assert not any(isinstance(v, pulumi.Output) for v in key), (kind, w.key)
    if stack == "dev":  # the fields the fan-out gives each monitor (CHECKS: dev's), and no other
        monitors = {w.key: w.fields for w in found["uptimerobot:Monitor"]}
        for check in CHECKS:
            if declared := fanout.monitor_fields(PLAN, check, CHECKS):
                assert {k: monitors[check.key][k] for k in declared} == declared
