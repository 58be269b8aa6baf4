"""UptimeRobot e-mail alert contact on `/alert-contacts` (SMS and voice need dashboard verification)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..spec import Failure, Inputs, ResourceSpec
from ..transport import Transport
from . import client as api

NotifyOn = Literal["UpAndDown", "Down", "Up", "None"]


class AlertContactInputs(Inputs):
    name: str = Field(min_length=1, max_length=250)
    email: str = Field(min_length=3, max_length=250)
    notify_on: NotifyOn = "UpAndDown"
    ssl_expiration_reminder: bool = False


class AlertContactSpec(ResourceSpec[AlertContactInputs]):
    kind = "uptimerobot:AlertContact"
    model = AlertContactInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"email"})  # the API cannot change the address

    def semantic_failures(self, model: AlertContactInputs) -> list[Failure]:
        local, _, domain = model.email.partition("@")
        if not local or "." not in domain:
            return [("email", f"email: '{model.email}' is not an e-mail address")]
        return []

    def client(self) -> Transport:
        return api.client()

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": api.text(obj.get("friendlyName")),
            "email": obj.get("value"),
            "notify_on": api.notify_on(obj.get("enableNotificationsFor")),
            "ssl_expiration_reminder": bool(obj.get("sslExpirationReminder")),
        }

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"status": obj.get("status")}

    def create(self, client: Transport, inputs: AlertContactInputs) -> dict[str, Any]:
        created = client.request(
            "POST",
            "/alert-contacts",
            json_body={
                "type": "Email",
                "value": inputs.email,
                "friendlyName": inputs.name,
                "enableNotificationsFor": api.NOTIFY_ON.index(inputs.notify_on),
            },
            recover=lambda: self.find(client, inputs),
        )
        if inputs.ssl_expiration_reminder:  # not part of the create body
            return self.update(client, created, inputs)
        return created

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/alert-contacts/{id_}")

    def update(
        self, client: Transport, current: dict[str, Any], inputs: AlertContactInputs
    ) -> dict[str, Any]:
        return client.request(
            "PATCH",
            f"/alert-contacts/{current['id']}",
            json_body={
                "friendlyName": inputs.name,
                "enableNotificationsFor": api.NOTIFY_ON.index(inputs.notify_on),
                "sslExpirationReminder": inputs.ssl_expiration_reminder,
            },
        )

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"/alert-contacts/{id_}")

    def find(self, client: Transport, inputs: AlertContactInputs) -> dict[str, Any] | None:
        for contact in api.list_all(client, "/alert-contacts"):
            if str(contact.get("value", "")).lower() == inputs.email.lower():
                return contact
        return None


SPEC = AlertContactSpec()
