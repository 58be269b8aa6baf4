"""UptimeRobot public status page on `/psps` (multipart/form-data bodies, per the spec)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from ..spec import Inputs
from . import client as api
from .collection import CollectionSpec


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


class StatusPageSpec(CollectionSpec[StatusPageInputs]):
    kind = "uptimerobot:StatusPage"
    path = "/psps"
    multipart = True  # the spec's CreatePsPDto / UpdatePspDto are multipart/form-data
    model = StatusPageInputs
    unordered: ClassVar[frozenset[str]] = frozenset({"monitor_ids"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"password"})

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

    def create_body(self, inputs: StatusPageInputs) -> list[tuple[str, str]]:
        return self.form(inputs)

    update_body = create_body

    def same(self, obj: dict[str, Any], inputs: StatusPageInputs) -> bool:
        return api.text(obj.get("friendlyName")) == inputs.name


SPEC = StatusPageSpec()
