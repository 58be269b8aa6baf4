"""The health-check path of a Render web service; deleting it restores the path found before."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from transport import Transport

from ..spec import Failure, Inputs, ResourceSpec
from . import client as api

# docs/vendors/render.md, services: Render checks every few seconds with a 5 s timeout; neither can be set.
FIXED_TIMING = "Render fixes health-check timing (checks every few seconds, 5 s timeout); it cannot be set"


class HealthCheckInputs(Inputs):
    service: str = Field(min_length=1, description="Service id (srv-...) or exact name within the owner")
    owner: str | None = Field(None, description="Workspace id; default: render:ownerId")
    path: str = Field(description="e.g. /api/health; '' turns the HTTP check into a TCP probe")
    interval_seconds: int | None = Field(None, description="Not settable on Render: a warning explains")
    timeout_seconds: int | None = Field(None, description="Not settable on Render: a warning explains")


class HealthCheckSpec(ResourceSpec[HealthCheckInputs]):
    configures_existing = True
    kind = "render:ServiceHealthCheck"
    natural_key = ("service",)
    described_by = ("path",)
    creates = (("PATCH", "/services/{serviceId}"),)
    output_names: ClassVar[tuple[str, ...]] = ("service_id", "previous_path")
    model = HealthCheckInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"service", "owner"})
    control_fields: ClassVar[frozenset[str]] = frozenset(
        {"adopt", "adopt_id", "interval_seconds", "timeout_seconds"}
    )
    recorded_outputs: ClassVar[frozenset[str]] = frozenset({"previous_path"})

    def semantic_failures(self, model: HealthCheckInputs) -> list[Failure]:
        if model.path and not model.path.startswith("/"):
            return [("path", f"path: '{model.path}' must start with '/' (or be '' for a TCP probe)")]
        return []

    def warnings(self, model: HealthCheckInputs) -> list[str]:
        asked = [
            f"{name}={value}"
            for name, value in (
                ("interval_seconds", model.interval_seconds),
                ("timeout_seconds", model.timeout_seconds),
            )
            if value is not None
        ]
        return [f"{', '.join(asked)} ignored for {model.service}: {FIXED_TIMING}"] if asked else []

    def client(self) -> Transport:
        return api.client()

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"path": (obj.get("serviceDetails") or {}).get("healthCheckPath", "")}

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"service_id": obj.get("id"), "previous_path": obj.get("_previous_path")}

    def patch(self, client: Transport, service_id: str, path: str) -> dict[str, Any]:
        body = {"serviceDetails": {"healthCheckPath": path}}  # unset is "", never null
        return client.request("PATCH", f"/services/{service_id}", json_body=body)

    def create(self, client: Transport, inputs: HealthCheckInputs) -> dict[str, Any]:
        svc = api.writable(api.service(client, inputs.service, inputs.owner))
        if svc.get("type") != "web_service":
            raise ValueError(
                f"Render service '{svc.get('name')}' is a {svc.get('type')}: only web services have one"
            )
        previous = (svc.get("serviceDetails") or {}).get("healthCheckPath", "")
        return {**self.patch(client, svc["id"], inputs.path), "_previous_path": previous}

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/services/{id_}")

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        return (), lambda: api.pages(client, "/services", "service")  # every service the key reaches

    def update(self, client: Transport, current: dict[str, Any], inputs: HealthCheckInputs) -> dict[str, Any]:
        svc = api.writable(self.get(client, str(current["id"])))
        return self.patch(client, svc["id"], inputs.path)

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        self.patch(client, id_, props.get("previous_path") or "")


SPEC = HealthCheckSpec()
