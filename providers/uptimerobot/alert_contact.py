"""UptimeRobot e-mail alert contact on `/alert-contacts` (SMS and voice need dashboard verification)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..spec import Failure, Inputs
from . import client as api
from .collection import CollectionSpec

NotifyOn = Literal["UpAndDown", "Down", "Up", "None"]


class AlertContactInputs(Inputs):
    name: str = Field(min_length=1, max_length=250)
    email: str = Field(min_length=3, max_length=250)
    notify_on: NotifyOn = "UpAndDown"
    ssl_expiration_reminder: bool = False


class AlertContactSpec(CollectionSpec[AlertContactInputs]):
    kind = "uptimerobot:AlertContact"
    path = "/alert-contacts"
    model = AlertContactInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"email"})  # the API cannot change the address

    def semantic_failures(self, model: AlertContactInputs) -> list[Failure]:
        local, _, domain = model.email.partition("@")
        if not local or "." not in domain:
            return [("email", f"email: '{model.email}' is not an e-mail address")]
        return []

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": api.text(obj.get("friendlyName")),
            "email": obj.get("value"),
            "notify_on": api.notify_on(obj.get("enableNotificationsFor")),
            "ssl_expiration_reminder": bool(obj.get("sslExpirationReminder")),
        }

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"status": obj.get("status")}

    def create_body(self, inputs: AlertContactInputs) -> dict[str, Any]:
        return {
            "type": "Email",
            "value": inputs.email,
            "friendlyName": inputs.name,
            "enableNotificationsFor": api.NOTIFY_ON.index(inputs.notify_on),
        }

    def update_body(self, inputs: AlertContactInputs) -> dict[str, Any]:
        return {
            "friendlyName": inputs.name,
            "enableNotificationsFor": api.NOTIFY_ON.index(inputs.notify_on),
            "sslExpirationReminder": inputs.ssl_expiration_reminder,
        }

    # Not part of the create body (sslExpirationReminder), or skipped by the create (enableNotificationsFor):
    # the official provider always PATCHes them right after (docs/vendors/uptimerobot.md, alert contacts).
    set_after_create: ClassVar[frozenset[str]] = frozenset({"ssl_expiration_reminder", "notify_on"})

    def patch_after_create(self, inputs: AlertContactInputs) -> bool:
        return inputs.ssl_expiration_reminder

    def same(self, obj: dict[str, Any], inputs: AlertContactInputs) -> bool:
        return str(obj.get("value", "")).lower() == inputs.email.lower()


SPEC = AlertContactSpec()
