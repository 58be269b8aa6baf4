"""A PagerDuty maintenance window: services that open no incidents between two moments
(specs/pagerduty-rest-openapi.json MaintenanceWindow and its operations).

Times are compared as UTC instants, whatever offset they were written with. PagerDuty moves a start in the
past to "now", which would read back as drift forever, so such a start is refused before anything is sent;
once a window began, PagerDuty's later start is taken as the declared one (`settled`), so editing an ongoing
window (its end, its description) is not refused and leaves no diff behind.
Creating one names its author: the `From` header carries `pagerduty:from`, the e-mail address of a user of
the account. Deleting a future window removes it; an ongoing one is ended; an ended one is history, which
the API keeps (405), so there is nothing to do.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from pydantic import Field, field_validator

from transport import ApiError, Expected, Transport
from transport.clock import SYSTEM_CLOCK

from .. import settings
from ..spec import Failure, Inputs, ResourceSpec
from . import client as api

PATH = "/maintenance_windows"


def utc(value: Any) -> str:
    """An ISO 8601 date-time with an offset, as `YYYY-MM-DDTHH:MM:SSZ`."""
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"'{value}' has no UTC offset: write it as 2026-12-24T22:00:00Z or with +01:00")
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class MaintenanceWindowInputs(Inputs):
    services: list[str] = Field(min_length=1, description="Service ids")
    start_time: str = Field(description="ISO 8601 with an offset; must not be in the past when it is sent")
    end_time: str = Field(description="ISO 8601 with an offset; after start_time")
    description: str = ""

    @field_validator("start_time", "end_time")
    @classmethod
    def as_utc(cls, value: str) -> str:
        return utc(value)


class MaintenanceWindowSpec(ResourceSpec[MaintenanceWindowInputs]):
    kind = "pagerduty:MaintenanceWindow"
    described_by = ("description",)  # windows have no natural key: no two need differ
    creates = (("POST", "/maintenance_windows"),)
    model = MaintenanceWindowInputs
    unordered: ClassVar[frozenset[str]] = frozenset({"services"})

    def semantic_failures(self, model: MaintenanceWindowInputs) -> list[Failure]:
        if model.end_time <= model.start_time:
            return [("end_time", f"end_time {model.end_time} must be after start_time {model.start_time}")]
        return []

    def client(self) -> Transport:
        return api.client()

    def body(self, inputs: MaintenanceWindowInputs) -> dict[str, Any]:
        window = {
            "type": "maintenance_window",
            "start_time": inputs.start_time,
            "end_time": inputs.end_time,
            "description": inputs.description,
            "services": [api.ref(s, "service") for s in inputs.services],
        }
        return {"maintenance_window": window}

    def _refuse_past_start(self, client: Transport, inputs: MaintenanceWindowInputs) -> None:
        now = datetime.fromtimestamp(client.clock.time(), timezone.utc)
        if datetime.fromisoformat(inputs.start_time.replace("Z", "+00:00")) < now:
            raise PastStart(
                f"{self.kind}: start_time {inputs.start_time} is in the past: PagerDuty would start the "
                "window now instead, and the two would differ forever; give a future start_time"
            )

    def create(self, client: Transport, inputs: MaintenanceWindowInputs) -> dict[str, Any]:
        self._refuse_past_start(client, inputs)
        author = settings.require(
            "pagerduty:from",
            "PagerDuty names the author of a maintenance window: run `pulumi config set pagerduty:from "
            "<e-mail of a PagerDuty user>` or set PAGERDUTY_FROM.",
        )
        reply = client.request("POST", PATH, json_body=self.body(inputs), headers={"From": author})
        return api.one(reply, "maintenance_window")

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return api.one(client.request("GET", f"{PATH}/{id_}"), "maintenance_window")

    def update(
        self, client: Transport, current: dict[str, Any], inputs: MaintenanceWindowInputs
    ) -> dict[str, Any]:
        body = self.body(inputs)
        live_start = utc(current["start_time"]) if current.get("start_time") else None
        if live_start and self.settled("start_time", live_start, inputs.start_time):
            body["maintenance_window"]["start_time"] = live_start  # it began: its start stays as it is
        elif live_start != inputs.start_time:
            self._refuse_past_start(client, inputs)
        reply = client.request("PUT", f"{PATH}/{current['id']}", json_body=body)
        return api.one(reply, "maintenance_window")

    def settled(self, name: str, live: Any, declared: Any) -> bool:
        """A window that began: PagerDuty moved a start that was past when written to that moment, so a
        live start later than the declared one, and already past, is the declared start as PagerDuty keeps
        it (and every update moves it again: the spec's MaintenanceWindow.start_time)."""
        if name != "start_time" or not isinstance(live, str) or not isinstance(declared, str):
            return False
        try:
            live_at, declared_at = (
                datetime.fromisoformat(utc(v).replace("Z", "+00:00")) for v in (live, declared)
            )
        except ValueError:
            return False  # not a date-time: an ordinary difference
        clock = settings.clock_for(settings.get("pagerduty:endpoint") or api.DEFAULT_ENDPOINT) or SYSTEM_CLOCK
        now = datetime.fromtimestamp(clock.time(), timezone.utc)  # diff runs without credentials
        return declared_at < live_at <= now

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        try:
            client.request("DELETE", f"{PATH}/{id_}")
        except ApiError as exc:
            if exc.status != 405:  # ended: PagerDuty keeps it as history
                raise

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "services": [str(s["id"]) for s in obj.get("services") or []],
            "start_time": utc(obj["start_time"]) if obj.get("start_time") else None,
            "end_time": utc(obj["end_time"]) if obj.get("end_time") else None,
            "description": obj.get("description") or "",
        }


class PastStart(Expected, ValueError):
    pass


SPEC = MaintenanceWindowSpec()
