"""UptimeRobot maintenance window on `/maintenance-windows` (alerts are muted while it is active)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from ..spec import Failure, Inputs
from ..wire import Wire
from . import client as api
from .collection import CollectionSpec


class MaintenanceWindowInputs(Inputs):
    name: Annotated[str, Wire("name", read=api.text)] = Field(min_length=3, max_length=255)
    interval: Annotated[Literal["once", "daily", "weekly", "monthly"], Wire("interval")]
    date: Annotated[str, Wire("date")] = Field(
        description="YYYY-MM-DD; first occurrence (time zone: the account's, undocumented)"
    )
    time: Annotated[str, Wire("time")] = Field(
        pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$", description="HH:mm:ss"
    )
    duration: Annotated[int, Wire("duration")] = Field(ge=1, description="Minutes")
    days: Annotated[list[int], Wire("days", read=lambda days: days or [])] = Field(
        default_factory=list, description="weekly: 1=Mon..7=Sun; monthly: 1-31, -1=last"
    )
    auto_add_monitors: Annotated[bool, Wire("autoAddMonitors", read=bool)] = False
    monitor_ids: Annotated[list[api.Id] | None, Wire("monitorIds", send=api.numbers, read=api.ids)] = Field(
        None, description="Unset: the window's monitors are set on each monitor (maintenance_window_ids)"
    )
    status: Annotated[Literal["active", "paused"], Wire("status")] = "active"


class MaintenanceWindowSpec(CollectionSpec[MaintenanceWindowInputs]):
    kind = "uptimerobot:MaintenanceWindow"
    natural_key = ("name",)
    described_by = ("interval",)
    path = "/maintenance-windows"
    model = MaintenanceWindowInputs
    unordered: ClassVar[frozenset[str]] = frozenset({"days", "monitor_ids"})
    # UpdateMaintenanceWindowDto has no autoAddMonitors: changing it means a new window.
    replace_on: ClassVar[frozenset[str]] = frozenset({"auto_add_monitors"})
    # One relation, two sides: a monitor's maintenanceWindowsIds is the windows' monitorIds. The plan sets
    # it on the monitors, so an unset monitor_ids leaves the window's list to them (else each side undoes
    # the other on every up, and a killed run's window is never recognised).
    unset_is_unmanaged: ClassVar[frozenset[str]] = frozenset({"monitor_ids"})

    def semantic_failures(self, model: MaintenanceWindowInputs) -> list[Failure]:
        failures: list[Failure] = []
        try:
            dt.date.fromisoformat(model.date)
        except ValueError:
            failures.append(("date", f"date: '{model.date}' is not YYYY-MM-DD"))
        valid = {"weekly": range(1, 8), "monthly": [*range(1, 32), -1]}.get(model.interval)
        # The API silently ignores invalid days; Lookout refuses them.
        if valid is not None and (not model.days or any(d not in valid for d in model.days)):
            failures.append(("days", f"days: {model.interval} windows need days in {list(valid)}"))
        return failures

    def create_body(self, inputs: MaintenanceWindowInputs) -> dict[str, Any]:
        return self.written(inputs, exclude={"status"})

    def update_body(self, inputs: MaintenanceWindowInputs) -> dict[str, Any]:
        return self.written(inputs, exclude={"auto_add_monitors"})

    set_after_create: ClassVar[frozenset[str]] = frozenset({"status"})

    def patch_after_create(self, inputs: MaintenanceWindowInputs) -> bool:
        return inputs.status != "active"  # status is not part of the create body


SPEC = MaintenanceWindowSpec()
