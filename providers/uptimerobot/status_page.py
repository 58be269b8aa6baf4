"""UptimeRobot public status page on `/psps`.

Sent as JSON, as the official provider does: the spec lists only multipart/form-data, which the API needs
only to upload a logo or icon (deviation uptimerobot-psps-json). JSON keeps a one-monitor list a list and
lets `monitorIds: []` empty a page, both of which multipart forms get wrong.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from ..spec import Inputs
from ..wire import Wire, empty
from . import client as api
from .collection import CollectionSpec


class StatusPageInputs(Inputs):
    name: Annotated[str, Wire("friendlyName", read=api.text)] = Field(min_length=1, max_length=255)
    monitor_ids: Annotated[list[api.Id], Wire("monitorIds", send=api.numbers, read=api.ids)] = Field(
        default_factory=list, description="Empty: no monitors"
    )
    custom_domain: Annotated[str, Wire("customDomain", read=lambda v: v or "", omit=empty)] = Field(
        "", max_length=255, description="Paid plans"
    )
    password: Annotated[str | None, Wire("password", read=None, omit=empty)] = Field(
        None, max_length=255, description="Secret; the API never returns it"
    )
    hide_url_links: Annotated[bool, Wire("hideUrlLinks", read=bool)] = False
    no_index: Annotated[bool, Wire("noIndex", read=bool)] = False
    # Sent, never compared: reads do not show it (specs/uptimerobot-openapi.yaml: PspDto has no `sort`).
    sort: Annotated[
        Literal["FriendlyNameAsc", "FriendlyNameDesc", "StatusUpDownPaused", "StatusDownUpPaused"],
        Wire("sort", read=None),
    ] = "FriendlyNameAsc"
    status: Annotated[Literal["ENABLED", "PAUSED"], Wire("status")] = "ENABLED"


class StatusPageSpec(CollectionSpec[StatusPageInputs]):
    kind = "uptimerobot:StatusPage"
    natural_key = ("name",)
    output_names: ClassVar[tuple[str, ...]] = ("url_key", "password_set")
    path = "/psps"
    model = StatusPageInputs
    unordered: ClassVar[frozenset[str]] = frozenset({"monitor_ids"})
    secret_fields: ClassVar[frozenset[str]] = frozenset({"password"})

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"url_key": obj.get("urlKey"), "password_set": bool(obj.get("isPasswordSet"))}

    def create_body(self, inputs: StatusPageInputs) -> dict[str, Any]:
        return self.written(inputs)

    update_body = create_body


SPEC = StatusPageSpec()
