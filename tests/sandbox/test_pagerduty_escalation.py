"""PagerDuty escalates on the sandbox clock (sandbox/pagerduty/escalation.py): an incident nobody
acknowledges moves to the next rule after the rule's delay, loops `num_loops` times, and stops when
acknowledged or resolved."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server
from .test_pagerduty_api import TOKEN, PagerDuty, person, service
from .test_pagerduty_events import enqueue, trigger


@pytest.fixture
def pd(sandbox_server: Server) -> PagerDuty:
    sandbox_server.control("PUT", "/checks", json={"running": True})
    return PagerDuty(sandbox_server.url + "/pagerduty", api_key=TOKEN)


def two_step_service(pd: PagerDuty, server: Server, loops: int) -> str:
    """Ada first, then the CTO after 15 minutes; the policy repeats `loops` times. Its integration key."""
    ada, cto = (person(server, f"{n}@optio.test", n)["id"] for n in ("ada", "cto"))
    rules = [
        {"escalation_delay_in_minutes": 15, "targets": [{"id": ada, "type": "user_reference"}]},
        {"escalation_delay_in_minutes": 30, "targets": [{"id": cto, "type": "user_reference"}]},
    ]
    body = {"type": "escalation_policy", "name": "p", "escalation_rules": rules, "num_loops": loops}
    ep = pd.post("/escalation_policies", json={"escalation_policy": body}).json()["escalation_policy"]
    made = service(pd, "optio prod", ep["id"])
    integration = {"integration": {"type": "events_api_v2_inbound_integration", "name": "Lookout"}}
    answer = pd.post(f"/services/{made['id']}/integrations", json=integration).json()
    key: str = answer["integration"]["integration_key"]
    return key


def pages(server: Server) -> list[tuple[str, Any]]:
    found = server.control("GET", "/deliveries").json()
    return [(d["to"], d.get("escalated")) for d in found if d["channel"] == "pagerduty"]


def advance(server: Server, minutes: float) -> None:
    server.control("POST", "/clock", json={"advance": minutes * 60})


def test_an_unacknowledged_page_escalates_after_the_delay_and_loops(pd: PagerDuty, sandbox_server: Server):
    key = two_step_service(pd, sandbox_server, loops=1)
    enqueue(sandbox_server, trigger(key, "db-down"))
    advance(sandbox_server, 14)
    assert pages(sandbox_server) == [("ada@optio.test", None)]
    advance(sandbox_server, 2)
    assert pages(sandbox_server)[-1] == ("cto@optio.test", "rule 2, loop 0")
    advance(sandbox_server, 30)  # the CTO's 30 minutes: back to the first rule, once
    assert pages(sandbox_server)[-1] == ("ada@optio.test", "rule 1, loop 1")
    advance(sandbox_server, 15 + 30 + 120)  # the loop is spent: it stays with the last rule
    assert [to for to, _ in pages(sandbox_server)] == [
        "ada@optio.test", "cto@optio.test", "ada@optio.test", "cto@optio.test",
    ]  # fmt: skip
    (incident,) = pd.get("/incidents", params={"incident_key": "db-down"}).json()["incidents"]
    assert incident["assignments"][0]["assignee"]["summary"] == "cto"


def test_an_acknowledged_or_resolved_page_does_not_escalate(pd: PagerDuty, sandbox_server: Server):
    key = two_step_service(pd, sandbox_server, loops=0)
    enqueue(sandbox_server, trigger(key, "acked"))
    enqueue(sandbox_server, {"routing_key": key, "event_action": "acknowledge", "dedup_key": "acked"})
    enqueue(sandbox_server, trigger(key, "resolved"))
    enqueue(sandbox_server, {"routing_key": key, "event_action": "resolve", "dedup_key": "resolved"})
    advance(sandbox_server, 60)
    assert [to for to, _ in pages(sandbox_server)] == ["ada@optio.test", "ada@optio.test"]
