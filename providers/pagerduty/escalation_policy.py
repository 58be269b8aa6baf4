"""PagerDuty escalation policy: who is paged, in which order, after how many minutes; its name is the
natural key (reference/pagerduty.md; specs/pagerduty-rest-openapi.json EscalationPolicy, EscalationRule)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from transport import Transport

from ..spec import Failure, Inputs, Part, ResourceSpec
from . import client as api

PATH = "/escalation_policies"


class Rule(Part):
    delay_minutes: int = Field(
        ge=1, description="Minutes before an unacknowledged incident moves to the next rule"
    )
    users: list[str] = Field(default_factory=list, description="User ids (see UserLookup)")
    schedules: list[str] = Field(default_factory=list, description="Schedule ids: whoever is on call")


class EscalationPolicyInputs(Inputs):
    name: str = Field(min_length=1, max_length=255)
    description: str = ""
    rules: list[Rule] = Field(min_length=1)
    num_loops: int = Field(0, ge=0, le=9, description="Times the policy repeats after its last rule")
    on_call_handoff_notifications: Literal["if_has_services", "always"] = "if_has_services"


class EscalationPolicySpec(ResourceSpec[EscalationPolicyInputs]):
    kind = "pagerduty:EscalationPolicy"
    natural_key = ("name",)
    creates = (("POST", "/escalation_policies"),)
    model = EscalationPolicyInputs

    def semantic_failures(self, model: EscalationPolicyInputs) -> list[Failure]:
        return [
            (f"rules.{i}", f"rules.{i}: names nobody: give it users or schedules")
            for i, rule in enumerate(model.rules)
            if not rule.users and not rule.schedules
        ]

    def client(self) -> Transport:
        return api.client()

    def body(self, inputs: EscalationPolicyInputs) -> dict[str, Any]:
        rules = [
            {
                "escalation_delay_in_minutes": rule.delay_minutes,
                "targets": [api.ref(u, "user") for u in rule.users]
                + [api.ref(s, "schedule") for s in rule.schedules],
            }
            for rule in inputs.rules
        ]
        policy = {
            "type": "escalation_policy",
            "name": inputs.name,
            "description": inputs.description,
            "escalation_rules": rules,
            "num_loops": inputs.num_loops,
            "on_call_handoff_notifications": inputs.on_call_handoff_notifications,
        }
        return {"escalation_policy": policy}

    def create(self, client: Transport, inputs: EscalationPolicyInputs) -> dict[str, Any]:
        reply = client.request(
            "POST", PATH, json_body=self.body(inputs), recover=lambda: self.find(client, inputs)
        )
        return api.one(reply, "escalation_policy")

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return api.one(client.request("GET", f"{PATH}/{id_}"), "escalation_policy")

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        # List items and the detail are both `EscalationPolicy` (specs/pagerduty-rest-openapi.json).
        return (), lambda: self.every(client)

    def update(
        self, client: Transport, current: dict[str, Any], inputs: EscalationPolicyInputs
    ) -> dict[str, Any]:
        reply = client.request("PUT", f"{PATH}/{current['id']}", json_body=self.body(inputs))
        return api.one(reply, "escalation_policy")

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"{PATH}/{id_}")

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        rules = [
            {
                "delay_minutes": rule.get("escalation_delay_in_minutes"),
                "users": [
                    t["id"] for t in rule.get("targets") or [] if str(t.get("type")).startswith("user")
                ],
                "schedules": [
                    t["id"] for t in rule.get("targets") or [] if str(t.get("type")).startswith("schedule")
                ],
            }
            for rule in obj.get("escalation_rules") or []
        ]
        return {
            "name": obj.get("name"),
            "description": obj.get("description") or "",
            "rules": rules,
            "num_loops": obj.get("num_loops"),
            "on_call_handoff_notifications": obj.get("on_call_handoff_notifications"),
        }

    def find(self, client: Transport, inputs: EscalationPolicyInputs) -> dict[str, Any] | None:
        # `query` matches substrings; the natural key is the exact name.
        found = api.list_all(client, PATH, "escalation_policies", query=inputs.name)
        return next((p for p in found if self.same(p, inputs)), None)

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, PATH, "escalation_policies")

    def listing(self, client: Transport, inputs: EscalationPolicyInputs) -> tuple[tuple[str, ...], Any]:
        return (), lambda: self.every(client)


SPEC = EscalationPolicySpec()
