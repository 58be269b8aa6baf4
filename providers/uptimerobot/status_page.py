"""UptimeRobot public status page on `/psps`.

Sent as JSON, as the official provider does: the spec lists only multipart/form-data, which the API needs
only to upload a logo or icon (deviation uptimerobot-psps-json). JSON keeps a one-monitor list a list and
lets `monitorIds: []` empty a page, both of which multipart forms get wrong.
"""

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


class StatusPageSpec(CollectionSpec[StatusPageInputs]):
    kind = "uptimerobot:StatusPage"
    natural_key = ("name",)
    output_names: ClassVar[tuple[str, ...]] = ("url_key", "password_set")
    path = "/psps"
    model = StatusPageInputs
    unordered: ClassVar[frozenset[str]] = frozenset({"monitor_ids"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"password"})

    def body(self, m: StatusPageInputs) -> dict[str, Any]:
        body: dict[str, Any] = {
            "friendlyName": m.name,
            "monitorIds": [int(i) for i in m.monitor_ids],
            "hideUrlLinks": m.hide_url_links,
            "noIndex": m.no_index,
            "sort": m.sort,
            "status": m.status,
        }
        if m.custom_domain:
            body["customDomain"] = m.custom_domain
        if m.password:
            body["password"] = m.password
        return body

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

    def create_body(self, inputs: StatusPageInputs) -> dict[str, Any]:
        return self.body(inputs)

    update_body = create_body


SPEC = StatusPageSpec()
