"""An Events API v2 integration on a PagerDuty service: its `integration_key` is what the other vendors (and
`lookout drill`) send events with, a secret (it lets anyone page the service).

The API has no delete for a service integration: it goes only with its service (specs/pagerduty-rest-
openapi.json lists POST, GET and PUT; reference/pagerduty.md). Deleting this resource therefore renames
the integration as retired and leaves it in place, and says so; replacing the service removes it for good.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field

from ..spec import Inputs, ResourceSpec
from ..transport import NotFound, Transport, notice, register_secret
from . import client as api

EVENTS_V2 = "events_api_v2_inbound_integration"
RETIRED = "(retired by Lookout) "


class EventsIntegrationInputs(Inputs):
    service: str = Field(min_length=1, description="Service id")
    name: str = Field("Lookout", min_length=1, max_length=255)


class EventsIntegrationSpec(ResourceSpec[EventsIntegrationInputs]):
    kind = "pagerduty:EventsIntegration"
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
        found = api.one(client.request("GET", self._path(id_)), "integration")
        if str(found.get("name", "")).startswith(RETIRED):
            raise NotFound("pagerduty", "GET", self._path(id_), 404, "retired by Lookout")
        return found

    def update(
        self, client: Transport, current: dict[str, Any], inputs: EventsIntegrationInputs
    ) -> dict[str, Any]:
        body = {"integration": {"type": EVENTS_V2, "name": inputs.name}}
        return api.one(client.request("PUT", self._path(self.id_of(current)), json_body=body), "integration")

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        try:
            found = api.one(client.request("GET", self._path(id_)), "integration")
        except NotFound:
            return  # gone with its service
        body = {"integration": {"type": EVENTS_V2, "name": RETIRED + str(found.get("name", ""))}}
        client.request("PUT", self._path(id_), json_body=body)
        notice.warn(
            f"{self.kind} {id_}",
            "PagerDuty has no delete for a service integration: it was renamed as retired and still accepts "
            "events until its service is deleted (remove it in PagerDuty to revoke its key)",
        )

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"service": (obj.get("service") or {}).get("id"), "name": obj.get("name")}

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        key = obj.get("integration_key")
        register_secret(key)
        return {"integration_key": key}

    def find(self, client: Transport, inputs: EventsIntegrationInputs) -> dict[str, Any] | None:
        service = api.one(client.request("GET", f"/services/{inputs.service}"), "service")
        for ref in service.get("integrations") or []:
            if str(ref.get("type", "")).startswith(EVENTS_V2):
                found = api.one(
                    client.request("GET", f"/services/{inputs.service}/integrations/{ref['id']}"),
                    "integration",
                )
                if self.same(found, inputs):
                    return found
        return None

    def matches(self, obj: dict[str, Any], fields: Mapping[str, Any]) -> bool:
        return obj.get("name") == fields["name"] and obj.get("type") == EVENTS_V2


SPEC = EventsIntegrationSpec()
