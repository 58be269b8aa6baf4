"""UptimeRobot public status page on `/psps` (multipart/form-data bodies, per the spec)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..spec import Inputs, ResourceSpec
from ..transport import Transport
from . import client as api


class StatusPageInputs(Inputs):
    name: str = Field(min_length=1, max_length=255)
    monitor_ids: list[str] = Field(default_factory=list, description="Empty: no monitors")
    custom_domain: str = Field("", max_length=255, description="Paid plans")
    password: str | None = Field(None, max_length=255, description="Secret; the API never returns it")
    hide_url_links: bool = False
    no_index: bool = False
    sort: Literal["FriendlyNameAsc", "FriendlyNameDesc", "StatusUpDownPaused", "StatusDownUpPaused"] = (
        "FriendlyNameAsc"
    )
    status: Literal["ENABLED", "PAUSED"] = "ENABLED"


def _form_bool(value: bool) -> str:
    return "true" if value else "false"


class StatusPageSpec(ResourceSpec[StatusPageInputs]):
    kind = "uptimerobot:StatusPage"
    model = StatusPageInputs
    unordered: ClassVar[frozenset[str]] = frozenset({"monitor_ids"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"password"})

    def client(self) -> Transport:
        return api.client()

    def form(self, m: StatusPageInputs) -> list[tuple[str, str]]:
        fields = [
            ("friendlyName", m.name),
            ("customDomain", m.custom_domain),
            ("hideUrlLinks", _form_bool(m.hide_url_links)),
            ("noIndex", _form_bool(m.no_index)),
            ("sort", m.sort),
            ("status", m.status),
        ]
        fields += [("monitorIds", str(int(i))) for i in m.monitor_ids]
        if m.password:
            fields.append(("password", m.password))
        return fields

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": api.text(obj.get("friendlyName")),
            "monitor_ids": api.ids(obj.get("monitorIds")),
            "custom_domain": obj.get("customDomain") or "",
            "hide_url_links": bool(obj.get("hideUrlLinks")),
            "no_index": bool(obj.get("noIndex")),
            "status": obj.get("status"),
        }

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"url_key": obj.get("urlKey"), "password_set": bool(obj.get("isPasswordSet"))}

    def create(self, client: Transport, inputs: StatusPageInputs) -> dict[str, Any]:
        return client.request(
            "POST", "/psps", form=self.form(inputs), recover=lambda: self.find(client, inputs)
        )

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/psps/{id_}")

    def update(self, client: Transport, current: dict[str, Any], inputs: StatusPageInputs) -> dict[str, Any]:
        return client.request("PATCH", f"/psps/{current['id']}", form=self.form(inputs))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"/psps/{id_}")

    def find(self, client: Transport, inputs: StatusPageInputs) -> dict[str, Any] | None:
        for page in api.list_all(client, "/psps"):
            if api.text(page.get("friendlyName")) == inputs.name:
                return page
        return None


SPEC = StatusPageSpec()
