"""`adopt`: a dev setup clicked together by hand comes under code with zero duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from harness.sandbox_process import PAGERDUTY_TOKEN, SandboxProcess
from lookout import stackfile
from lookout.adopt import adopt

from .conftest import Stack

BACKEND = "https://optio-dev-backend.onrender.com"


def hand_made(api: SandboxProcess) -> dict[str, Any]:
    """What an admin clicked together before Lookout: monitors, a contact, a team and a project."""

    def seed(path: str, **body: Any) -> dict[str, Any]:
        return api.control("POST", path, json=body).json()

    monitor = {"type": "HTTP", "interval": 600, "timeout": 30, "httpMethodType": "GET"}
    made = {
        # as the plan's Step 2 has it: the backend at /api/health (HEAD: UptimeRobot's own default)
        "backend": seed(
            "/uptimerobot/monitors",
            **{**monitor, "httpMethodType": "HEAD"},
            friendlyName="Backend",
            url=f"{BACKEND}/api/health",
        ),
        "heartbeat": seed(
            "/uptimerobot/monitors", type="HEARTBEAT", interval=300, friendlyName="system-health cron"
        ),
        "other": seed(
            "/uptimerobot/monitors", **monitor, friendlyName="Blog", url="https://blog.example.test"
        ),
        "contact": seed(
            "/uptimerobot/alert-contacts", type="Email", value="admin@optioeducation.com", friendlyName="A"
        ),
    }
    oregon = {"region": "oregon"}  # an hourly job, where the plan wants it
    made["job"] = seed(
        "/render/services", name="optio-dev-system-health", type="cron_job", serviceDetails=oregon
    )
    seed("/sentry/teams", slug="optio-dev")
    made["project"] = seed(
        "/sentry/projects",
        team="optio-dev",
        slug="optio-dev-backend",
        name="Backend",
        platform="python-flask",
    )
    return made


def test_adopt_then_up_makes_no_duplicates(api: SandboxProcess, tmp_path: Path):
    made = hand_made(api)
    stack = Stack(api, tmp_path)
    stack.configure({}, inherit=True)

    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    target = stack
    text, rows = adopt(run, "dev", stackfile.load("dev"), write=True)
    status = {r.key: (r.status, r.id) for r in rows}
    assert status["uptime:backend"] == ("matched", str(made["backend"]["id"]))
    # A heartbeat is known by name only, and this one was named by hand: adopt says how to take it over.
    assert status["heartbeat:system-health"] == ("new", None)
    hint = next(r.note for r in rows if r.key == "heartbeat:system-health")
    assert f"(id {made['heartbeat']['id']})" in hint and 'lookout:adopt["heartbeat:system-health"]' in hint
    assert status["uptimerobot:email"] == ("matched", str(made["contact"]["id"]))
    assert status["sentry:project:backend"][0] == "matched" and status["sentry:project:frontend"][0] == "new"
    assert status[f"monitor:{made['other']['id']}"][0] == "unmanaged"
    assert status["render:health-job"] == ("matched", made["job"]["id"])  # the cron job, by its name
    assert "| matched |" in text and "lookout:adopt:" in text

    stack.pulumi(
        "config", "set", "--path", 'lookout:adopt["heartbeat:system-health"]', str(made["heartbeat"]["id"])
    )
    stack.pulumi("up", "--yes")
    monitors = stack.monitors()
    assert len(monitors) == 5  # the 4 of the plan (2 adopted) and the unmanaged blog monitor, untouched
    assert {m["id"] for m in monitors} >= {
        made["backend"]["id"],
        made["heartbeat"]["id"],
        made["other"]["id"],
    }
    assert (
        len(
            [
                c
                for c in api.control("GET", "/uptimerobot/alert-contacts").json()
                if c["value"] == "admin@optioeducation.com"
            ]
        )
        == 1
    )
    projects = stack.sentry("projects")
    assert sorted(p["slug"] for p in projects) == ["optio-dev-backend", "optio-dev-frontend"]
    assert next(p for p in projects if p["slug"] == "optio-dev-backend")["id"] == made["project"]["id"]
    jobs = [s for s in api.control("GET", "/render/services").json() if s["type"] == "cron_job"]
    assert [(j["id"], j["serviceDetails"]["schedule"]) for j in jobs] == [(made["job"]["id"], "*/5 * * * *")]
    stack.pulumi("preview", "--expect-no-changes")


def test_after_an_up_every_object_is_lookouts_own_and_a_written_adoption_sticks(
    api: SandboxProcess, tmp_path: Path
):
    stack = Stack(api, tmp_path)
    stack.configure({}, inherit=True)
    stack.pulumi("up", "--yes")

    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    target = stack
    _, rows = adopt(run, "dev", stackfile.load("dev"), write=True)
    assert [r for r in rows if r.status == "unmanaged"] == []
    assert [r for r in rows if r.status == "new"] == []
    status = {r.key: r.status for r in rows}
    assert status["sentry:alert:critical-thresholds"] == "matched"
    assert status["sentry:alert:warning-thresholds"] == "matched"

    stack.configure({}, inherit=True)  # what every `--sandbox` command does first
    recorded = stack.pulumi("config", "get", "lookout:adopt").stdout
    adopted = {
        r.key: r.id for r in rows if r.status == "matched" and r.key.startswith(("uptime:", "sentry:alert"))
    }
    assert adopted and {k: str(v) for k, v in json.loads(recorded).items()}.items() >= adopted.items()
    stack.pulumi("preview", "--expect-no-changes")  # adopting what the state already holds changes nothing


def test_prods_hand_made_pagerduty_service_and_policy_are_adopted_without_duplicates(
    api: SandboxProcess, tmp_path: Path
):
    stack = Stack(api, tmp_path, "prod")
    stack.configure({}, inherit=True)  # seeds the plan's people, as an admin invited them
    people = {u["email"]: u["id"] for u in api.control("GET", "/pagerduty/users").json()}
    headers = {
        "Authorization": f"Token token={PAGERDUTY_TOKEN}",
        "Accept": "application/vnd.pagerduty+json;version=2",
        "Content-Type": "application/json",
    }
    base = api.vendor_url("pagerduty")
    rules = [
        {
            "escalation_delay_in_minutes": 5,
            "targets": [{"id": people["alex@optioeducation.com"], "type": "user_reference"}],
        }
    ]
    policy = requests.post(
        f"{base}/escalation_policies",
        json={
            "escalation_policy": {
                "type": "escalation_policy",
                "name": "optio prod escalation",
                "escalation_rules": rules,
            }
        },
        headers=headers,
        timeout=10,
    ).json()["escalation_policy"]
    ref = {"id": policy["id"], "type": "escalation_policy_reference"}
    service = requests.post(
        f"{base}/services",
        json={"service": {"type": "service", "name": "optio prod", "escalation_policy": ref}},
        headers=headers,
        timeout=10,
    ).json()["service"]
    integration = {"integration": {"type": "events_api_v2_inbound_integration", "name": "Lookout"}}
    requests.post(
        f"{base}/services/{service['id']}/integrations", json=integration, headers=headers, timeout=10
    )

    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    target = stack
    _, rows = adopt(run, "prod", stackfile.load("prod"), write=True)
    status = {r.key: (r.status, r.id) for r in rows}
    assert status["pagerduty:escalationpolicy"] == ("matched", policy["id"])
    assert status["pagerduty:service"] == ("matched", service["id"])
    assert status["pagerduty:schedule"] == ("new", None)

    stack.pulumi("up", "--yes")
    assert [p["id"] for p in api.control("GET", "/pagerduty/escalation_policies").json()] == [policy["id"]]
    assert [s["id"] for s in api.control("GET", "/pagerduty/services").json()] == [service["id"]]
    assert (
        len(api.control("GET", "/pagerduty/integrations").json()) == 1
    )  # found on the service, not made twice
    (adopted,) = api.control("GET", "/pagerduty/escalation_policies").json()
    assert [t["type"] for t in adopted["escalation_rules"][0]["targets"]] == [
        "schedule_reference"
    ]  # made to match
    stack.pulumi("preview", "--expect-no-changes")
