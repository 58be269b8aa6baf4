"""UptimeRobot maintenance window on `/maintenance-windows` (alerts are muted while it is active)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..spec import Failure, Inputs
from . import client as api
from .collection import CollectionSpec


class MaintenanceWindowInputs(Inputs):
    name: str = Field(min_length=3, max_length=255)
    interval: Literal["once", "daily", "weekly", "monthly"]
    date: str = Field(description="YYYY-MM-DD; first occurrence (time zone: the account's, undocumented)")
    time: str = Field(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$", description="HH:mm:ss")
    duration: int = Field(ge=1, description="Minutes")
    days: list[int] = Field(default_factory=list, description="weekly: 1=Mon..7=Sun; monthly: 1-31, -1=last")
    auto_add_monitors: bool = False
    monitor_ids: list[str] | None = Field(
        None, description="Unset: the window's monitors are set on each monitor (maintenance_window_ids)"
    )
    status: Literal["active", "paused"] = "active"


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

    def body(self, m: MaintenanceWindowInputs) -> dict[str, Any]:
        """The fields create and update share."""
        body: dict[str, Any] = {
            "name": m.name,
            "interval": m.interval,
            "date": m.date,
            "time": m.time,
            "duration": m.duration,
            "days": m.days,
        }
        if m.monitor_ids is not None:
            body["monitorIds"] = [int(i) for i in m.monitor_ids]
        return body

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": api.text(obj.get("name")),
            "interval": obj.get("interval"),
            "date": obj.get("date"),
            "time": obj.get("time"),
            "duration": obj.get("duration"),
            "days": obj.get("days") or [],
            "auto_add_monitors": bool(obj.get("autoAddMonitors")),
            "monitor_ids": api.ids(obj.get("monitorIds")),
            "status": obj.get("status"),
        }

    def create_body(self, inputs: MaintenanceWindowInputs) -> dict[str, Any]:
        return {**self.body(inputs), "autoAddMonitors": inputs.auto_add_monitors}

    def update_body(self, inputs: MaintenanceWindowInputs) -> dict[str, Any]:
        return {**self.body(inputs), "status": inputs.status}

    set_after_create: ClassVar[frozenset[str]] = frozenset({"status"})

    def patch_after_create(self, inputs: MaintenanceWindowInputs) -> bool:
        return inputs.status != "active"  # status is not part of the create body


SPEC = MaintenanceWindowSpec()
