"""A PagerDuty on-call schedule: layers of people taking turns (specs/pagerduty-rest-openapi.json Schedule,
ScheduleLayer).

A layer is declared by who rotates, how long a turn lasts and when the hand-off happens (local time in the
schedule's zone, and the weekday for turns of whole weeks). The API's own fields follow from that:
`rotation_virtual_start` is the last hand-off at or before the layer took effect, so the first person
listed is on call from then until the next hand-off (PagerDuty counts turns from the virtual start, in
both directions). An update never rewrites history: a changed layer is sent with `start` now (what
PagerDuty records anyway), an unchanged one with the start it has, and a layer no longer declared is ended
now rather than dropped, as PagerDuty keeps layers as history (PagerDuty/terraform-provider-pagerduty,
resourcePagerDutyScheduleUpdate). A GET lists layers in the reverse of the order they were sent
(PagerDuty/public-support-scripts#60), and ended layers stay in it: both are undone on read.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from transport import Transport

from ..spec import Inputs, Part, ResourceSpec
from . import client as api

PATH = "/schedules"
DAY = 86400
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class Restriction(Part):
    type: Literal["daily", "weekly"]
    start: str = Field(pattern=HHMM, description="Local time the on-call period starts, HH:MM")
    # Under a week, and a daily one under a day (PagerDuty/terraform-provider-pagerduty
    # pagerduty/resource_pagerduty_schedule.go: duration_seconds IntBetween(1, 7*24*3600-1), and its
    # CustomizeDiff: "duration_seconds for a daily_restriction ... must be shorter than a day").
    minutes: int = Field(ge=1, lt=7 * 24 * 60, description="How long it lasts: under a week (daily: a day)")
    day: int | None = Field(None, ge=1, le=7, description="weekly: ISO weekday it starts (1 = Monday)")

    @model_validator(mode="after")
    def day_for_weekly(self) -> Restriction:
        if (self.type == "weekly") != (self.day is not None):
            raise ValueError("a weekly restriction needs its day; a daily one has none")
        if self.type == "daily" and self.minutes >= 24 * 60:
            raise ValueError(
                f"a daily restriction lasts less than a day (1439 minutes at most, not {self.minutes})"
            )
        return self


class Layer(Part):
    name: str = Field(min_length=1)
    users: list[str] = Field(min_length=1, description="User ids, in the order they take turns")
    turn_days: int = Field(7, ge=1, le=365, description="Length of one person's turn")
    handoff: str = Field("09:00", pattern=HHMM, description="Local time of the hand-off")
    handoff_day: int | None = Field(
        None, ge=1, le=7, description="ISO weekday of the hand-off, for turns of whole weeks (default Monday)"
    )
    restrictions: list[Restriction] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def monday_for_weeks(cls, data: Any) -> Any:
        """Turns of whole weeks hand over on a weekday: Monday unless one is given."""
        if isinstance(data, dict) and data.get("handoff_day") is None:
            turn = data.get("turn_days", 7)
            if isinstance(turn, int | float) and not isinstance(turn, bool) and turn % 7 == 0:
                return {**data, "handoff_day": 1}
        return data

    @model_validator(mode="after")
    def weekday_only_for_weeks(self) -> Layer:
        if self.turn_days % 7 != 0 and self.handoff_day is not None:
            raise ValueError("handoff_day is for turns of whole weeks (turn_days 7, 14, ...)")
        return self


class ScheduleInputs(Inputs):
    name: str = Field(min_length=1, max_length=255)
    time_zone: str = Field(description="IANA zone, e.g. Europe/Berlin: hand-offs follow its clock")
    description: str = ""
    layers: list[Layer] = Field(min_length=1)

    @field_validator("time_zone")
    @classmethod
    def known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone (e.g. Europe/Berlin)") from None
        return value


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def last_handoff(layer: Layer, zone: ZoneInfo, moment: datetime) -> datetime:
    """The last hand-off at or before `moment`, in `zone`."""
    local = moment.astimezone(zone)
    hour, minute = (int(part) for part in layer.handoff.split(":"))
    handoff = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if layer.handoff_day:
        handoff -= timedelta(days=(handoff.isoweekday() - layer.handoff_day) % 7)
    while handoff > local:
        handoff -= timedelta(days=7 if layer.handoff_day else 1)
    return handoff


class ScheduleSpec(ResourceSpec[ScheduleInputs]):
    kind = "pagerduty:Schedule"
    natural_key = ("name",)
    creates = (("POST", "/schedules"),)
    model = ScheduleInputs

    def client(self) -> Transport:
        return api.client()

    def _layer_body(self, layer: Layer, zone: ZoneInfo, start: datetime, rvs: datetime) -> dict[str, Any]:
        restrictions = []
        for r in layer.restrictions:
            shaped: dict[str, Any] = {
                "type": f"{r.type}_restriction",
                "start_time_of_day": f"{r.start}:00",
                "duration_seconds": r.minutes * 60,
            }
            if r.day is not None:
                shaped["start_day_of_week"] = r.day
            restrictions.append(shaped)
        return {
            "name": layer.name,
            "start": start.isoformat(),
            "rotation_virtual_start": rvs.astimezone(timezone.utc).isoformat(),
            "rotation_turn_length_seconds": layer.turn_days * DAY,
            "users": [{"user": api.ref(u, "user")} for u in layer.users],
            "restrictions": restrictions,
        }

    def _new_layer(self, layer: Layer, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
        return self._layer_body(layer, zone, now, last_handoff(layer, zone, now))

    def _body(self, inputs: ScheduleInputs, layers: list[dict[str, Any]]) -> dict[str, Any]:
        schedule = {
            "type": "schedule",
            "name": inputs.name,
            "time_zone": inputs.time_zone,
            "description": inputs.description,
            "schedule_layers": layers,
        }
        return {"schedule": schedule}

    def create(self, client: Transport, inputs: ScheduleInputs) -> dict[str, Any]:
        zone, now = ZoneInfo(inputs.time_zone), self._now(client)
        layers = [self._new_layer(layer, zone, now) for layer in inputs.layers]
        reply = client.request(
            "POST", PATH, json_body=self._body(inputs, layers), recover=lambda: self.find(client, inputs)
        )
        return api.one(reply, "schedule")

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return api.one(client.request("GET", f"{PATH}/{id_}"), "schedule")

    def update(self, client: Transport, current: dict[str, Any], inputs: ScheduleInputs) -> dict[str, Any]:
        live = self.get(client, str(current["id"]))
        zone, now = ZoneInfo(inputs.time_zone), self._now(client)
        active = self._active(live)
        layers = []
        for i, layer in enumerate(inputs.layers):
            existing = active[i] if i < len(active) else None
            if existing is not None and self._layer(existing, zone) == layer:
                body = self._layer_body(
                    layer, zone, _moment(existing["start"]), _moment(existing["rotation_virtual_start"])
                )
            else:  # new or changed: takes effect now, the past stays as it was
                body = self._new_layer(layer, zone, now)
            if existing is not None:
                body["id"] = existing["id"]
            layers.append(body)
        for ended in active[len(inputs.layers) :]:
            layers.append({**self._resent(ended), "end": now.isoformat()})
        reply = client.request("PUT", f"{PATH}/{live['id']}", json_body=self._body(inputs, layers))
        return api.one(reply, "schedule")

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"{PATH}/{id_}")

    def _now(self, client: Transport) -> datetime:
        return datetime.fromtimestamp(client.clock.time(), timezone.utc).replace(microsecond=0)

    def _active(self, obj: dict[str, Any]) -> list[dict[str, Any]]:
        """Layers without an end (Lookout ends a layer only when it is no longer declared), in the order
        they were sent (a GET reverses it)."""
        return [layer for layer in reversed(obj.get("schedule_layers") or []) if not layer.get("end")]

    def _resent(self, layer: dict[str, Any]) -> dict[str, Any]:
        keys = ("id", "name", "start", "rotation_virtual_start", "rotation_turn_length_seconds")
        users = [{"user": api.ref(str(u["user"]["id"]), "user")} for u in layer.get("users") or []]
        kept = {k: layer[k] for k in keys if k in layer}
        return {**kept, "users": users, "restrictions": layer.get("restrictions") or []}

    def _layer(self, layer: dict[str, Any], zone: ZoneInfo) -> Layer:
        rvs = _moment(layer["rotation_virtual_start"]).astimezone(zone)
        turn = int(layer.get("rotation_turn_length_seconds") or 0)
        turn_days = turn // DAY if turn % DAY == 0 else max(turn // DAY, 1)
        restrictions = [
            Restriction(
                type="weekly" if r.get("type") == "weekly_restriction" else "daily",
                start=str(r.get("start_time_of_day", "00:00"))[:5],
                minutes=int(r.get("duration_seconds", 60)) // 60,
                day=r.get("start_day_of_week") if r.get("type") == "weekly_restriction" else None,
            )
            for r in layer.get("restrictions") or []
        ]
        return Layer(
            name=str(layer.get("name") or ""),
            users=[str(u["user"]["id"]) for u in layer.get("users") or []],
            turn_days=turn_days,
            handoff=rvs.strftime("%H:%M"),
            handoff_day=rvs.isoweekday() if turn_days % 7 == 0 else None,
            restrictions=restrictions,
        )

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        zone = ZoneInfo(str(obj.get("time_zone")))
        return {
            "name": obj.get("name"),
            "time_zone": obj.get("time_zone"),
            "description": obj.get("description") or "",
            "layers": [self._layer(layer, zone).model_dump() for layer in self._active(obj)],
        }

    def find(self, client: Transport, inputs: ScheduleInputs) -> dict[str, Any] | None:
        found = api.list_all(client, PATH, "schedules", query=inputs.name)
        match = next((s for s in found if self.same(s, inputs)), None)
        return self.get(client, str(match["id"])) if match else None

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, PATH, "schedules")

    def listing(self, client: Transport, inputs: ScheduleInputs) -> tuple[tuple[str, ...], Any]:
        """PagerDuty accepts two schedules of one name: a create looks first (providers/claims.py)."""
        return (), lambda: self.every(client)


SPEC = ScheduleSpec()
