"""PagerDuty on-call objects through the real CLI and the sandbox: create, no-change preview, update,
replace, drift caught by refresh and repaired, adoption without a duplicate, delete."""

from __future__ import annotations

import json
from typing import Any

import requests

from harness.sandbox_process import PAGERDUTY_TOKEN

from .conftest import Stack, plan

EXIT_NO_CHANGES_EXPECTED = 7
PEOPLE = ["ada@optio.test", "bo@optio.test"]


def oncall(**block: Any) -> dict[str, Any]:
    pagerduty = {"people": PEOPLE, "policy": "Optio on-call", "services": ["optio api"], **block}
    return {**plan({"name": "site", "url": "https://e2e.example.test"}), "lookout:pagerduty": pagerduty}


def live(stack: Stack, collection: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = stack.api.control("GET", f"/pagerduty/{collection}").json()
    return found


def seed_people(stack: Stack) -> list[str]:
    return [
        str(stack.api.control("POST", "/pagerduty/users", json={"email": e, "name": e[:2]}).json()["id"])
        for e in PEOPLE
    ]


def key_output(stack: Stack) -> str:
    outputs = json.loads(stack.pulumi("stack", "output", "--json", "--show-secrets").stdout)
    return str(outputs["pagerduty_integration_key"])


def test_oncall_objects_live_through_create_update_replace_drift_and_delete(stack: Stack):
    people = seed_people(stack)
    stack.configure(oncall())
    stack.pulumi("up", "--yes")
    (policy,) = live(stack, "escalation_policies")
    (service,) = live(stack, "services")
    (integration,) = live(stack, "integrations")
    assert [t["id"] for t in policy["escalation_rules"][0]["targets"]] == people
    assert service["escalation_policy"]["id"] == policy["id"]
    assert key_output(stack) == integration["integration_key"]
    state = stack.pulumi("stack", "export").stdout
    assert integration["integration_key"] not in state  # the key is a secret output
    stack.pulumi("preview", "--expect-no-changes")

    stack.configure(oncall(loops=2, urgency="low"))
    stack.pulumi("up", "--yes")
    assert live(stack, "escalation_policies")[0]["num_loops"] == 2
    assert [s["id"] for s in live(stack, "services")] == [service["id"]]  # updated in place
    assert live(stack, "services")[0]["incident_urgency_rule"]["urgency"] == "low"

    stack.configure(oncall(loops=2, urgency="low", services=["optio api", "optio web"], integrationOn=1))
    stack.pulumi("up", "--yes")
    (moved,) = live(stack, "integrations")  # replaced: the new one on the other service, the old one deleted
    assert moved["service"]["summary"] == "optio web" and moved["id"] != integration["id"]
    assert key_output(stack) == moved["integration_key"]
    stack.pulumi("preview", "--expect-no-changes")

    stack.api.control("PATCH", f"/pagerduty/services/{service['id']}", json={"status": "disabled"})
    drift = stack.pulumi("preview", "--refresh", "--expect-no-changes", check=False)
    assert drift.returncode == EXIT_NO_CHANGES_EXPECTED
    stack.pulumi("up", "--refresh", "--yes")
    assert {s["status"] for s in live(stack, "services")} == {"active"}
    stack.pulumi("preview", "--refresh", "--expect-no-changes")

    stack.configure(plan({"name": "site", "url": "https://e2e.example.test"}))
    stack.pulumi("up", "--yes")
    assert live(stack, "services") == live(stack, "escalation_policies") == []
    assert live(stack, "integrations") == []  # they went with their services
    assert len(live(stack, "users")) == 2  # people are looked up, never created or removed


def test_a_hand_made_policy_is_adopted_not_duplicated(stack: Stack):
    people = seed_people(stack)
    rules = [{"escalation_delay_in_minutes": 10, "targets": [{"id": people[0], "type": "user_reference"}]}]
    made = requests.post(
        f"{stack.api.vendor_url('pagerduty')}/escalation_policies",
        json={
            "escalation_policy": {"type": "escalation_policy", "name": "Clicked", "escalation_rules": rules}
        },
        headers={
            "Authorization": f"Token token={PAGERDUTY_TOKEN}",
            "Accept": "application/vnd.pagerduty+json;version=2",
            "Content-Type": "application/json",
        },
        timeout=10,
    ).json()["escalation_policy"]
    stack.configure(oncall(adoptPolicyId=made["id"], integrationOn=None))
    stack.pulumi("up", "--yes")
    (policy,) = live(stack, "escalation_policies")
    assert policy["id"] == made["id"] and policy["name"] == "Optio on-call"  # taken over and made to match
    assert [t["id"] for t in policy["escalation_rules"][0]["targets"]] == people
    stack.pulumi("preview", "--expect-no-changes")
