"""Render log stream: the workspace default (no `service`) or one service's override.

The token is optional and write-only: the API never returns it, so it is kept (encrypted) from the
declared input and a changed token is always sent; drift in it cannot be seen. A dropped stream reads back
with `endpoint: ""`, which is no endpoint (docs/vendors/render.md, log streams).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from transport import Transport

from ..spec import Failure, Inputs, ResourceSpec
from . import client as api


class LogStreamInputs(Inputs):
    owner: str | None = Field(None, description="Workspace id; default: render:ownerId")
    service: str | None = Field(None, description="Service id or name: an override for that service")
    endpoint: str | None = Field(None, min_length=3, description="host:port of the syslog-compatible service")
    token: str | None = Field(None, min_length=1, description="Optional secret; never returned by Render")
    setting: Literal["send", "drop"] = Field(
        "send",
        description="Workspace default: for previews; service override: drop = this service sends none",
    )


def _failures(model: LogStreamInputs) -> list[Failure]:
    """The spec: a service override's endpoint "must be present if setting is send" and "cannot be present
    if setting is drop"; the workspace default's `preview` setting concerns previews only."""
    if not model.service:
        return []
    if model.setting == "drop":
        return [
            (f, f"{f}: must be empty when a service's setting is drop")
            for f in ("endpoint", "token")
            if getattr(model, f)
        ]
    return [] if model.endpoint else [("endpoint", "endpoint: required to send a service's logs")]


class LogStreamSpec(ResourceSpec[LogStreamInputs]):
    configures_existing = True
    kind = "render:LogStream"
    natural_key = ("service",)  # an override of one service; none: the workspace's stream
    described_by = ("endpoint",)
    creates = (("PUT", "/logs/streams/owner/{ownerId}"),)
    model = LogStreamInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"owner", "service"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"token"})

    def semantic_failures(self, model: LogStreamInputs) -> list[Failure]:
        return _failures(model)

    def client(self) -> Transport:
        return api.client()

    def path(self, id_: str) -> str:
        scope, _, target = id_.partition("/")
        return f"/logs/streams/{scope}/{target}"  # owner/<tea-...> or resource/<srv-...>

    def body(self, inputs: LogStreamInputs, scope: str) -> dict[str, Any]:
        setting_key = "setting" if scope == "resource" else "preview"
        sent = {"endpoint": inputs.endpoint, "token": inputs.token}
        return {**{k: v for k, v in sent.items() if v is not None}, setting_key: inputs.setting}

    def id_of(self, obj: dict[str, Any]) -> str:
        return f"resource/{obj['resourceId']}" if obj.get("resourceId") else f"owner/{obj['ownerId']}"

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"endpoint": obj.get("endpoint") or None, "setting": obj.get("setting") or obj.get("preview")}

    def target(self, client: Transport, inputs: LogStreamInputs) -> str:
        if inputs.service:
            return "resource/" + api.service(client, inputs.service, inputs.owner)["id"]
        return "owner/" + api.owner_id(inputs.owner)

    def create(self, client: Transport, inputs: LogStreamInputs) -> dict[str, Any]:
        id_ = self.target(client, inputs)
        return client.request("PUT", self.path(id_), json_body=self.body(inputs, id_.partition("/")[0]))

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", self.path(id_))  # 404 when there is none

    def update(self, client: Transport, current: dict[str, Any], inputs: LogStreamInputs) -> dict[str, Any]:
        id_ = str(current["id"])
        return client.request("PUT", self.path(id_), json_body=self.body(inputs, id_.partition("/")[0]))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", self.path(id_))


SPEC = LogStreamSpec()
