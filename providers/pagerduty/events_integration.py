"""An Events API v2 integration on a PagerDuty service: its `integration_key` is what the other vendors (and
`lookout drill`) send events with, a secret (it lets anyone page the service).

The spec lists no DELETE for a service integration, yet the API has one: the official Terraform provider
deletes integrations through it (PagerDuty/terraform-provider-pagerduty resourcePagerDutyServiceIntegration-
Delete; hashicorp/terraform#10891, "not documented in the PagerDuty API reference"). Lookout does the same,
which revokes the key; an integration whose service is gone is gone with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field

from transport import ApiError, NotFound, Transport, notice, register_secret

from ..spec import Inputs, ResourceSpec
from . import client as api

EVENTS_V2 = "events_api_v2_inbound_integration"


class EventsIntegrationInputs(Inputs):
    service: str = Field(min_length=1, description="Service id")
    name: str = Field("Lookout", min_length=1, max_length=255)


class EventsIntegrationSpec(ResourceSpec[EventsIntegrationInputs]):
    kind = "pagerduty:EventsIntegration"
    natural_key = ("service", "name")  # Events API v2 ones only: see `matches`
    creates = (("POST", "/services/{id}/integrations"),)
    model = EventsIntegrationInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"service"})
    output_names: ClassVar[tuple[str, ...]] = ("integration_key",)
    secret_outputs: ClassVar[tuple[str, ...]] = ("integration_key",)

    def client(self) -> Transport:
        return api.client()

    def id_of(self, obj: dict[str, Any]) -> str:
        return f"{obj['service']['id']}/{obj['id']}"  # the integration's URL needs both

    def _path(self, id_: str) -> str:
        service, _, integration = id_.partition("/")
        return f"/services/{service}/integrations/{integration}"

    def create(self, client: Transport, inputs: EventsIntegrationInputs) -> dict[str, Any]:
        body = {"integration": {"type": EVENTS_V2, "name": inputs.name}}
        reply = client.request(
            "POST",
            f"/services/{inputs.service}/integrations",
            json_body=body,
            recover=lambda: self.find(client, inputs),
        )
        return api.one(reply, "integration")

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return api.one(client.request("GET", self._path(id_)), "integration")

    def update(
        self, client: Transport, current: dict[str, Any], inputs: EventsIntegrationInputs
    ) -> dict[str, Any]:
        body = {"integration": {"type": EVENTS_V2, "name": inputs.name}}
        return api.one(client.request("PUT", self._path(self.id_of(current)), json_body=body), "integration")

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        try:
            client.request("DELETE", self._path(id_))
        except NotFound:
            return  # gone, or gone with its service
        except ApiError as exc:
            if exc.status != 405:
                raise
            # Older PagerDuty documentation said integrations cannot be deleted at all: if an account
            # answers so, say what stays behind instead of failing the run.
            notice.warn(
                f"{self.kind} {id_}",
                "PagerDuty refused to delete the integration (405): remove it in PagerDuty's web app; "
                "its key keeps working until then",
            )

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"service": (obj.get("service") or {}).get("id"), "name": obj.get("name")}

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        key = obj.get("integration_key")
        register_secret(key)
        return {"integration_key": key}

    def find(self, client: Transport, inputs: EventsIntegrationInputs) -> dict[str, Any] | None:
        return next((i for i in self._on_service(client, inputs.service) if self.same(i, inputs)), None)

    def listing(self, client: Transport, inputs: EventsIntegrationInputs) -> tuple[tuple[str, ...], Any]:
        """A service takes two integrations of one name: a create looks at its service's first."""
        return (inputs.service,), lambda: self._on_service(client, inputs.service)

    def _on_service(self, client: Transport, service_id: str) -> list[dict[str, Any]]:
        """The service's Events v2 integrations, read one by one (no list route; the service names them)."""
        service = api.one(client.request("GET", f"/services/{service_id}"), "service")
        paths = [
            f"/services/{service_id}/integrations/{ref['id']}"
            for ref in service.get("integrations") or []
            if str(ref.get("type", "")).startswith(EVENTS_V2)
        ]
        return [api.one(client.request("GET", path), "integration") for path in paths]

    def matches(self, obj: dict[str, Any], fields: Mapping[str, Any]) -> bool:
        return obj.get("name") == fields["name"] and obj.get("type") == EVENTS_V2


SPEC = EventsIntegrationSpec()
