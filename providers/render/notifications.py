"""Render notification settings: a per-service override, and the workspace's own settings.

A service override always exists (both fields "default" until set) and has no DELETE: removing one sets
both fields back to "default". Workspace settings cannot be deleted either: Lookout records what it found
and restores that on delete (docs/vendors/render.md, notifications).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from transport import Transport

from ..spec import Inputs, ResourceSpec
from ..wire import Wire, wires
from . import client as api

DEFAULTS = {"notificationsToSend": "default", "previewNotificationsEnabled": "default"}


class OverrideInputs(Inputs):
    service: str = Field(min_length=1, description="Service id (srv-...) or exact name within the owner")
    owner: str | None = None
    notifications_to_send: Annotated[
        Literal["default", "none", "failure", "all"], Wire("notificationsToSend")
    ] = "default"
    # A string here, unlike the workspace setting's boolean (read back in any case).
    preview_notifications_enabled: Annotated[
        Literal["default", "true", "false"],
        Wire("previewNotificationsEnabled", read=lambda value: str(value).lower()),
    ] = "default"


class OverrideSpec(ResourceSpec[OverrideInputs]):
    configures_existing = True
    kind = "render:NotificationOverride"
    natural_key = ("service",)
    described_by = ("notifications_to_send",)
    creates = (("PATCH", "/notification-settings/overrides/services/{serviceId}"),)
    model = OverrideInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"service", "owner"})

    def client(self) -> Transport:
        return api.client()

    def id_of(self, obj: dict[str, Any]) -> str:
        return str(obj["serviceId"])

    def patch(self, client: Transport, service_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return client.request(
            "PATCH", f"/notification-settings/overrides/services/{service_id}", json_body=body
        )

    def create(self, client: Transport, inputs: OverrideInputs) -> dict[str, Any]:
        svc = api.service(client, inputs.service, inputs.owner)
        return self.patch(client, svc["id"], self.written(inputs))

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/notification-settings/overrides/services/{id_}")

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        # Every service has an override (all "default" until set), so the list names each service.
        return (), lambda: api.pages(client, "/notification-settings/overrides", "override")

    def update(self, client: Transport, current: dict[str, Any], inputs: OverrideInputs) -> dict[str, Any]:
        return self.patch(client, str(current["id"]), self.written(inputs))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        self.patch(client, id_, DEFAULTS)


class OwnerInputs(Inputs):
    owner: str | None = Field(None, description="Workspace id; default: render:ownerId")
    email_enabled: Annotated[bool, Wire("emailEnabled")] = True
    notifications_to_send: Annotated[Literal["none", "failure", "all"], Wire("notificationsToSend")] = (
        "failure"
    )
    preview_notifications_enabled: Annotated[bool, Wire("previewNotificationsEnabled")] = False


WRITABLE = tuple(w.name for w in wires(OwnerInputs).values())  # slackEnabled is read-only


class OwnerSpec(ResourceSpec[OwnerInputs]):
    configures_existing = True
    kind = "render:OwnerNotificationSettings"
    natural_key = ("owner",)
    described_by = ("notifications_to_send",)
    creates = (("PATCH", "/notification-settings/owners/{ownerId}"),)
    output_names: ClassVar[tuple[str, ...]] = ("slack_enabled", "baseline")
    model = OwnerInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"owner"})
    recorded_outputs: ClassVar[frozenset[str]] = frozenset({"baseline"})
    muted: ClassVar[dict[str, str]] = {"email_enabled": "e-mail notifications turned off outside Lookout"}

    def client(self) -> Transport:
        return api.client()

    def id_of(self, obj: dict[str, Any]) -> str:
        return str(obj["ownerId"])

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"slack_enabled": obj.get("slackEnabled"), "baseline": obj.get("_baseline")}

    def patch(self, client: Transport, owner: str, body: dict[str, Any]) -> dict[str, Any]:
        return client.request("PATCH", f"/notification-settings/owners/{owner}", json_body=body)

    def create(self, client: Transport, inputs: OwnerInputs) -> dict[str, Any]:
        owner = api.owner_id(inputs.owner)
        found = self.get(client, owner)
        baseline = {key: found.get(key) for key in WRITABLE}
        return {**self.patch(client, owner, self.written(inputs)), "_baseline": baseline}

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/notification-settings/owners/{id_}")

    def update(self, client: Transport, current: dict[str, Any], inputs: OwnerInputs) -> dict[str, Any]:
        return self.patch(client, str(current["id"]), self.written(inputs))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        baseline = props.get("baseline")
        if baseline:
            self.patch(client, id_, {k: v for k, v in baseline.items() if v is not None})


OVERRIDE = OverrideSpec()
OWNER = OwnerSpec()
