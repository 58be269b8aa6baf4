"""PagerDuty service: what incidents open on, paging through its escalation policy; its name is the natural
key (specs/pagerduty-rest-openapi.json Service; reference/pagerduty.md)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from transport import Transport

from ..spec import Inputs, ResourceSpec
from . import client as api

PATH = "/services"


class ServiceInputs(Inputs):
    name: str = Field(min_length=1, max_length=255)
    description: str = ""
    escalation_policy: str = Field(min_length=1, description="Escalation policy id")
    auto_resolve_timeout: int | None = Field(
        14400, ge=1, description="Seconds until an open incident resolves itself; None: never"
    )
    acknowledgement_timeout: int | None = Field(
        1800, ge=1, description="Seconds until an acknowledged incident triggers again; None: never"
    )
    urgency: Literal["high", "low", "severity_based"] = Field("high", description="Of the incidents it opens")
    alert_creation: Literal["create_incidents", "create_alerts_and_incidents"] = "create_alerts_and_incidents"
    enabled: bool = Field(True, description="A disabled service opens no incidents: it pages nobody")


class ServiceSpec(ResourceSpec[ServiceInputs]):
    kind = "pagerduty:Service"
    natural_key = ("name",)
    creates = (("POST", "/services"),)
    model = ServiceInputs
    muted: ClassVar[dict[str, str]] = {"enabled": "disabled outside Lookout: it opens no incidents"}
    # POST /services takes only status active (its description): a disabled service is disabled after.
    set_after_create: ClassVar[frozenset[str]] = frozenset({"enabled"})

    def client(self) -> Transport:
        return api.client()

    def body(self, inputs: ServiceInputs) -> dict[str, Any]:
        service = {
            "type": "service",
            "name": inputs.name,
            "description": inputs.description,
            "escalation_policy": api.ref(inputs.escalation_policy, "escalation_policy"),
            # Sent always, null included: an omitted timeout is not the documented default everywhere
            # (the field's description says unset disables it; its schema default says 14400/1800).
            "auto_resolve_timeout": inputs.auto_resolve_timeout,
            "acknowledgement_timeout": inputs.acknowledgement_timeout,
            "incident_urgency_rule": {"type": "constant", "urgency": inputs.urgency},
            "alert_creation": inputs.alert_creation,
            "status": "active" if inputs.enabled else "disabled",
        }
        return {"service": service}

    def create(self, client: Transport, inputs: ServiceInputs) -> dict[str, Any]:
        body = self.body(inputs)
        body["service"]["status"] = "active"
        reply = client.request("POST", PATH, json_body=body, recover=lambda: self.find(client, inputs))
        created = api.one(reply, "service")
        return created if inputs.enabled else self.update(client, created, inputs)

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return api.one(client.request("GET", f"{PATH}/{id_}"), "service")

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        # List items and the detail are both `Service` (specs/pagerduty-rest-openapi.json).
        return (), lambda: self.every(client)

    def update(self, client: Transport, current: dict[str, Any], inputs: ServiceInputs) -> dict[str, Any]:
        return api.one(
            client.request("PUT", f"{PATH}/{current['id']}", json_body=self.body(inputs)), "service"
        )

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"{PATH}/{id_}")

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        rule = obj.get("incident_urgency_rule") or {}
        return {
            "name": obj.get("name"),
            "description": obj.get("description") or "",
            "escalation_policy": (obj.get("escalation_policy") or {}).get("id"),
            "auto_resolve_timeout": obj.get("auto_resolve_timeout"),
            "acknowledgement_timeout": obj.get("acknowledgement_timeout"),
            "urgency": rule.get("urgency") if rule.get("type") == "constant" else rule.get("type"),
            "alert_creation": obj.get("alert_creation"),
            # warning/critical/maintenance are states of an enabled service (Service.status)
            "enabled": obj.get("status") != "disabled",
        }

    def find(self, client: Transport, inputs: ServiceInputs) -> dict[str, Any] | None:
        found = api.list_all(client, PATH, "services", query=inputs.name)
        return next((s for s in found if self.same(s, inputs)), None)

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, PATH, "services")

    def listing(self, client: Transport, inputs: ServiceInputs) -> tuple[tuple[str, ...], Any]:
        return (), lambda: self.every(client)


SPEC = ServiceSpec()
