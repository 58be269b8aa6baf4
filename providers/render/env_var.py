"""One environment variable of one Render service, through the single-key endpoint.

Never the bulk PUT, which replaces every variable of the service (docs/vendors/render.md, env vars). A
value found before Lookout took the key over is recorded (as a secret) and restored on delete.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field

from transport import NotFound, Transport, notice

from ..spec import Inputs, ResourceSpec
from ..wire import Wire
from . import client as api


class EnvVarInputs(Inputs):
    service: str = Field(min_length=1, description="Service id (srv-...) or exact name within the owner")
    owner: str | None = None
    key: Annotated[str, Wire("key")] = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
    value: Annotated[str, Wire("value")] = Field(
        description="Stored encrypted in state when passed as a secret"
    )
    deploy: bool = Field(False, description="Deploy the service so the value takes effect now")


class EnvVarSpec(ResourceSpec[EnvVarInputs]):
    kind = "render:EnvVar"
    natural_key = ("service", "key")
    creates = (("PUT", "/services/{serviceId}/env-vars/{envVarKey}"),)
    output_names: ClassVar[tuple[str, ...]] = ("service_id", "previous_value")
    secret_outputs: ClassVar[tuple[str, ...]] = ("previous_value",)
    model = EnvVarInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"service", "owner", "key"})
    control_fields: ClassVar[frozenset[str]] = frozenset({"adopt", "adopt_id", "deploy"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"value"})
    recorded_outputs: ClassVar[frozenset[str]] = frozenset({"previous_value", "service_id"})

    def client(self) -> Transport:
        return api.client()

    def id_of(self, obj: dict[str, Any]) -> str:
        return f"{obj['_service_id']}/{obj['key']}"

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"service_id": obj.get("_service_id"), "previous_value": obj.get("_previous")}

    def put(self, client: Transport, service_id: str, inputs: EnvVarInputs) -> dict[str, Any]:
        written = client.request(
            "PUT",
            f"/services/{service_id}/env-vars/{inputs.key}",
            json_body=self.written(inputs, exclude={"key"}),
        )
        if inputs.deploy:
            client.request(
                "POST", f"/services/{service_id}/deploys", json_body={"clearCache": "do_not_clear"}
            )
        else:
            notice.note(
                f"{self.kind} {inputs.key}",
                f"takes effect on {inputs.service} at its next deploy (deploy=True deploys now)",
            )
        return {**written, "_service_id": service_id}

    def create(self, client: Transport, inputs: EnvVarInputs) -> dict[str, Any]:
        svc = api.writable(api.service(client, inputs.service, inputs.owner))
        try:
            previous = self.get(client, f"{svc['id']}/{inputs.key}").get("value")
        except NotFound:
            previous = None
        return {**self.put(client, svc["id"], inputs), "_previous": previous}

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        service_id, _, key = id_.partition("/")
        return {**client.request("GET", f"/services/{service_id}/env-vars/{key}"), "_service_id": service_id}

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        service_id = id_.partition("/")[0]

        def walk() -> list[dict[str, Any]]:
            found = api.pages(client, f"/services/{service_id}/env-vars", "envVar")
            return [{**env_var, "_service_id": service_id} for env_var in found]

        return (service_id,), walk

    def update(self, client: Transport, current: dict[str, Any], inputs: EnvVarInputs) -> dict[str, Any]:
        service_id = str(current["id"]).partition("/")[0]
        api.writable(client.request("GET", f"/services/{service_id}"))
        return self.put(client, service_id, inputs)

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        service_id, _, key = id_.partition("/")
        previous = props.get("previous_value")
        if previous is not None:
            client.request("PUT", f"/services/{service_id}/env-vars/{key}", json_body={"value": previous})
        else:
            client.request("DELETE", f"/services/{service_id}/env-vars/{key}")


SPEC = EnvVarSpec()
