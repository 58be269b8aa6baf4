"""UptimeRobot e-mail alert contact on `/alert-contacts` (SMS and voice need dashboard verification)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from transport import Transport

from ..spec import Failure, Inputs
from ..wire import Wire
from . import client as api
from .collection import CollectionSpec

NotifyOn = Literal["UpAndDown", "Down", "Up", "None"]


class AlertContactInputs(Inputs):
    name: Annotated[str, Wire("friendlyName", read=api.text)] = Field(min_length=1, max_length=250)
    email: Annotated[str, Wire("value")] = Field(min_length=3, max_length=250)
    notify_on: Annotated[
        NotifyOn, Wire("enableNotificationsFor", send=api.NOTIFY_ON.index, read=api.notify_on)
    ] = "UpAndDown"
    ssl_expiration_reminder: Annotated[bool, Wire("sslExpirationReminder", read=bool)] = False
    active: bool = Field(True, description="Notified; false keeps the contact paused (read from `status`)")


class AlertContactSpec(CollectionSpec[AlertContactInputs]):
    kind = "uptimerobot:AlertContact"
    natural_key = ("email",)  # in any case: see `key`
    # The create skips settings (enableNotificationsFor) that a PATCH right after applies.
    creates = (("POST", "/alert-contacts"), ("PATCH", "/alert-contacts/{id}"))
    output_names: ClassVar[tuple[str, ...]] = ("status",)
    path = "/alert-contacts"
    model = AlertContactInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"email"})  # the API cannot change the address
    muted: ClassVar[dict[str, str]] = {"active": "paused outside Lookout"}

    def semantic_failures(self, model: AlertContactInputs) -> list[Failure]:
        local, _, domain = model.email.partition("@")
        if not local or "." not in domain:
            return [("email", f"email: '{model.email}' is not an e-mail address")]
        return []

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        out = super().project(obj)
        if obj.get("status") is not None:
            out["active"] = not paused(obj["status"])
        return out

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"status": obj.get("status")}

    def create_body(self, inputs: AlertContactInputs) -> dict[str, Any]:
        return {"type": "Email", **self.written(inputs, exclude={"ssl_expiration_reminder"})}

    def update_body(self, inputs: AlertContactInputs) -> dict[str, Any]:
        return self.written(inputs, exclude={"email"})  # the address cannot change: see `replace_on`

    def update(
        self, client: Transport, current: dict[str, Any], inputs: AlertContactInputs
    ) -> dict[str, Any]:
        """`isActive` is sent only to pause, or to resume a paused contact: an e-mail contact that has not
        confirmed its address yet (NotActivated) is no paused one, and only its owner can activate it
        (docs/vendors/uptimerobot.md, alert contacts). `current` is the API object or the previous
        outputs, both with the live `status`."""
        body = self.update_body(inputs)
        live_active = not paused(current.get("status"))
        if live_active != inputs.active:
            body["isActive"] = inputs.active
        written = client.request("PATCH", f"{self.path}/{current['id']}", json_body=body)
        return self.settle(client, written, inputs)

    # Not part of the create body (sslExpirationReminder, isActive), or skipped by the create
    # (enableNotificationsFor): the official provider always PATCHes them right after
    # (docs/vendors/uptimerobot.md, alert contacts).
    set_after_create: ClassVar[frozenset[str]] = frozenset({"ssl_expiration_reminder", "notify_on", "active"})

    def patch_after_create(self, inputs: AlertContactInputs) -> bool:
        return inputs.ssl_expiration_reminder or not inputs.active

    def key(self, fields: Mapping[str, Any]) -> tuple[Any, ...]:
        return (str(fields.get("email") or "").lower(),)  # addresses are compared in any case


def paused(status: Any) -> bool:
    """`status` is Active, Paused, NotActivated (address not confirmed yet) or ToMigrate; only Paused is a
    contact switched off (uptimerobot/terraform-provider-uptimerobot internal/provider/alertcontact,
    normalizeAlertContactStatus; GoSuccessHQ/uptimerobot-api live capture: "Paused")."""
    return str(status or "").replace("_", "").replace(" ", "").lower() == "paused"


SPEC = AlertContactSpec()
