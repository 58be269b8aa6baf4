"""Escalation on the sandbox clock: a triggered, high-urgency incident that nobody acknowledges moves to the
policy's next rule once the current rule's ``escalation_delay_in_minutes`` has passed, and the person that
rule reaches is paged; after the last rule the policy starts again from the first, ``num_loops`` times, then
the incident stays with the last rule (specs/pagerduty-rest-openapi.json EscalationPolicy and
EscalationRule; PagerDuty/terraform-provider-pagerduty website/docs/r/escalation_policy.html.markdown).
Low-urgency incidents notify without escalating (PagerDuty/terraform-provider-pagerduty service docs,
``incident_urgency_rule``). An acknowledged or resolved incident does not escalate; the return of an
acknowledged one after ``acknowledgement_timeout`` is not modelled.
"""

from __future__ import annotations

from typing import Any

from sandbox import deliveries
from sandbox.pagerduty import incidents, repo
from sandbox.state import sandbox

Doc = dict[str, Any]


def run(until: float) -> None:
    for incident in repo.find(repo.INCIDENTS):
        if incident["status"] != "triggered" or incident.get("urgency") != "high" or "rule" not in incident:
            continue
        policy = repo.by_pid(repo.POLICIES, incident["policy"])
        if policy is None or not policy["rules"]:
            continue
        changed = False
        while True:
            due = float(incident["rule_since"]) + 60 * int(policy["rules"][incident["rule"]]["delay"])
            following = _following(policy, incident)
            if due > until or following is None:
                break
            incident["rule"], incident["loop"] = following
            incident["rule_since"] = due
            incident["assignee"] = incidents.on_call(incident["policy"], due, incident["rule"])
            _page(incident, due)
            changed = True
        if changed:
            repo.save(repo.INCIDENTS, incident)


def _following(policy: Doc, incident: Doc) -> tuple[int, int] | None:
    """The (rule, loop) after the incident's, or None when the policy has no more."""
    rule, loop = int(incident["rule"]), int(incident["loop"])
    if rule + 1 < len(policy["rules"]):
        return rule + 1, loop
    if loop < int(policy.get("num_loops") or 0):
        return 0, loop + 1
    return None


def _page(incident: Doc, at: float) -> None:
    person = repo.by_pid(repo.USERS, incident["assignee"] or "") if incident["assignee"] else None
    service = repo.by_pid(repo.SERVICES, incident["service"]) or {}
    with sandbox().clock.at(at):
        deliveries.record(
            "pagerduty",
            person["email"] if person else "",
            status="paged" if person else "nobody on call",
            service=service.get("name", ""),
            urgency=incident["urgency"],
            dedup_key=incident["incident_key"],
            incident=incident["pid"],
            summary=incident["title"],
            escalated=f"rule {int(incident['rule']) + 1}, loop {int(incident['loop'])}",
            **({"via": incident["via"]} if incident.get("via") else {}),
        )
