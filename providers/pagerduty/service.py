"""PagerDuty service: what incidents open on, paging through its escalation policy; its name is the natural
key (specs/pagerduty-rest-openapi.json Service; reference/pagerduty.md)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from transport import Transport

from ..spec import Inputs, ResourceSpec
from ..wire import Wire, never
from . import client as api

PATH = "/services"


def _urgency(rule: Any) -> Any:
    rule = rule or {}
    return rule.get("urgency") if rule.get("type") == "constant" else rule.get("type")


class ServiceInputs(Inputs):
    name: Annotated[str, Wire("name")] = Field(min_length=1, max_length=255)
    description: Annotated[str, Wire("description", read=lambda v: v or "")] = ""
    escalation_policy: Annotated[
        str, Wire("escalation_policy", send=api.policy_ref, read=lambda ref: (ref or {}).get("id"))
    ] = Field(min_length=1, description="Escalation policy id")
    # Sent always, null included: an omitted timeout is not the documented default everywhere (the
    # field's description says unset disables it; its schema default says 14400/1800).
    auto_resolve_timeout: Annotated[int | None, Wire("auto_resolve_timeout", omit=never)] = Field(
        14400, ge=1, description="Seconds until an open incident resolves itself; None: never"
    )
    acknowledgement_timeout: Annotated[int | None, Wire("acknowledgement_timeout", omit=never)] = Field(
        1800, ge=1, description="Seconds until an acknowledged incident triggers again; None: never"
    )
    urgency: Annotated[
        Literal["high", "low", "severity_based"],
        Wire("incident_urgency_rule", send=lambda u: {"type": "constant", "urgency": u}, read=_urgency),
    ] = Field("high", description="Of the incidents it opens")
    # Deprecated: "all services will be migrated to use alerts and incidents. Afterward, the incident only
    # service setting will no longer be available" (specs/pagerduty-rest-openapi.json Service.alert_creation).
    # So the one value on offer is the one every service will have; incident-only is refused at preview.
    alert_creation: Annotated[Literal["create_alerts_and_incidents"], Wire("alert_creation")] = Field(
        "create_alerts_and_incidents",
        description="Only create_alerts_and_incidents: PagerDuty retires incident-only services",
    )
    # warning/critical/maintenance are states of an enabled service (Service.status)
    enabled: Annotated[
        bool, Wire("status", send=lambda on: "active" if on else "disabled", read=lambda s: s != "disabled")
    ] = Field(True, description="A disabled service opens no incidents: it pages nobody")


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
        return {"service": {"type": "service", **self.written(inputs)}}

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

    def find(self, client: Transport, inputs: ServiceInputs) -> dict[str, Any] | None:
        found = api.list_all(client, PATH, "services", query=inputs.name)
        return next((s for s in found if self.same(s, inputs)), None)

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, PATH, "services")

    def listing(self, client: Transport, inputs: ServiceInputs) -> tuple[tuple[str, ...], Any]:
        return (), lambda: self.every(client)

    def refuses_duplicates(self, inputs: ServiceInputs) -> bool:
        # 400 "Invalid Input Provided", errors ["Name has already been taken"]: service names are unique
        # in an account (observed answers: openshift/pagerduty-operator pkg/pagerduty/service.go, which
        # matches that message; the spec says nothing), as the sandbox answers.
        return True


SPEC = ServiceSpec()
