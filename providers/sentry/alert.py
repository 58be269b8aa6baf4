"""Sentry alert: a workflow that notifies email, Slack or PagerDuty when its detectors fire.

An alert attaches to metric monitors (`monitor_ids`) and/or to a project's default detectors
(`issue_stream` for new and regressed issues, `error`). The server returns conditions and actions in any
order and adds fields, so they are compared as sets of declared fields; a PUT deletes the children whose
id it does not carry, so updates send every existing child id back (docs/vendors/sentry.md, alerts).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from transport import Transport

from ..spec import Failure, Inputs, Part, ResourceSpec
from . import client as api
from .wire import camel, snake

FREQUENCIES = (0, 5, 10, 30, 60, 180, 720, 1440)
Trigger = Literal["first_seen_event", "regression_event", "reappeared_event", "issue_resolved_trigger"]
DefaultDetector = Literal["issue_stream", "error"]


class Action(Part):
    type: Literal["email", "slack", "pagerduty"]
    target_type: Literal["team", "user", "issue_owners"] | None = Field(None, description="email")
    target_id: str | None = Field(
        None,
        description="email: the team id (target_type team), or the Sentry *user* id (target_type user): "
        "not the organization member id, which is another number",
    )
    integration_id: str | None = Field(None, description="slack/pagerduty: Sentry integration id")
    channel: str | None = Field(None, description="slack: channel name (with or without '#')")
    channel_id: str = Field(
        "",
        description="slack: channel id, checked against the name; empty: Sentry looks the name up (its "
        "answer is the server's own, never compared)",
    )
    service_id: str | None = Field(None, description="pagerduty: service_table id")
    priority: str = Field("default", description="pagerduty: severity (the service's default unless set)")

    @field_validator("channel")
    @classmethod
    def bare_channel(cls, value: str | None) -> str | None:
        return value.lstrip("#") if value else value  # compared without the '#' Sentry may add


class Filter(Part):
    type: str
    comparison: Any = None
    condition_result: Any = True


class AlertInputs(Inputs):
    name: str = Field(min_length=1, max_length=256)
    enabled: bool = True
    environment: str | None = Field(None, description="Must already exist in Sentry")
    frequency: int = Field(30, description=f"Minutes between notifications per issue, one of {FREQUENCIES}")
    triggers: list[Trigger] = Field(default_factory=list)
    filters: list[Filter] = Field(default_factory=list)
    filter_match: Literal["all", "any", "none"] = "all"
    actions: list[Action] = Field(min_length=1)
    monitor_ids: list[str] = Field(default_factory=list, description="Metric monitors (detector ids)")
    project: str | None = Field(None, description="Project id, for default_detectors")
    default_detectors: list[DefaultDetector] = Field(default_factory=list)


REQUIRED = {
    "email": ("target_type",),
    "slack": ("integration_id", "channel"),
    "pagerduty": ("integration_id", "service_id"),
}


class AlertSpec(ResourceSpec[AlertInputs]):
    kind = "sentry:Alert"
    natural_key = ("name",)
    creates = (("POST", "/organizations/{organization_id_or_slug}/workflows/"),)
    output_names: ClassVar[tuple[str, ...]] = ("detector_ids",)
    model = AlertInputs
    unordered: ClassVar[frozenset[str]] = frozenset(
        {"triggers", "filters", "actions", "monitor_ids", "default_detectors"}
    )
    muted: ClassVar[dict[str, str]] = {"enabled": "disabled outside Lookout"}

    def semantic_failures(self, model: AlertInputs) -> list[Failure]:
        failures: list[Failure] = []
        if model.frequency not in FREQUENCIES:
            failures.append(
                ("frequency", f"frequency: {model.frequency} is not one of {FREQUENCIES} minutes")
            )
        if not model.monitor_ids and not model.default_detectors:
            failures.append(("monitor_ids", "monitor_ids: attach the alert to monitors or default_detectors"))
        if model.default_detectors and not model.project:
            failures.append(("project", "project: required with default_detectors"))
        for i, action in enumerate(model.actions):
            missing = [f for f in REQUIRED[action.type] if getattr(action, f) is None]
            if action.type == "email" and action.target_type != "issue_owners" and action.target_id is None:
                missing.append("target_id")
            if missing:
                failures.append((f"actions[{i}]", f"actions[{i}]: {action.type} needs {', '.join(missing)}"))
        return failures

    def client(self) -> Transport:
        return api.client()

    # -- wire mapping -----------------------------------------------------------------------------

    def action_body(self, a: Action) -> dict[str, Any]:
        if a.type == "email":
            config = {"target_type": a.target_type, "target_display": None, "target_identifier": a.target_id}
            return {"type": "email", "integration_id": None, "data": {}, "config": config}
        if a.type == "slack":
            config = {
                "target_type": "specific",
                "target_display": a.channel,
                "target_identifier": a.channel_id,
            }
            return {"type": "slack", "integration_id": a.integration_id, "data": {}, "config": config}
        config = {"target_type": "specific", "target_display": None, "target_identifier": a.service_id}
        return {
            "type": "pagerduty",
            "integration_id": a.integration_id,
            "data": {"priority": a.priority},
            "config": config,
        }

    def action_of(self, wire: dict[str, Any]) -> dict[str, Any]:
        config, data = wire.get("config") or {}, wire.get("data") or {}
        kind = wire.get("type")
        integration = str(wire["integration_id"]) if wire.get("integration_id") is not None else None
        if kind == "email":
            fields = {
                "target_type": config.get("target_type"),
                "target_id": _str(config.get("target_identifier")),
            }
        elif kind == "slack":
            # Given only a name, Sentry resolves the channel id itself and stores the name as "#name";
            # given an id, it keeps the bare name. So a "#" means the id is the server's, not declared.
            display = str(config.get("target_display") or "")
            resolved = display.startswith("#")
            fields = {
                "integration_id": integration,
                "channel": display.lstrip("#"),
                "channel_id": "" if resolved else str(config.get("target_identifier") or ""),
            }
        else:
            fields = {
                "integration_id": integration,
                "service_id": _str(config.get("target_identifier")),
                "priority": data.get("priority") or "default",
            }
        return Action(type=kind, **fields).model_dump()  # type: ignore[arg-type]

    def body(self, m: AlertInputs, detector_ids: list[str], live: dict[str, Any] | None) -> dict[str, Any]:
        live = live or {}
        live_triggers = live.get("triggers") or {}
        live_filter = (live.get("action_filters") or [{}])[0]
        trigger_ids = _ids_by(live_triggers.get("conditions"), lambda c: c.get("type"))
        filter_ids = _ids_by(live_filter.get("conditions"), lambda c: c.get("type"))
        action_ids = _ids_by(live_filter.get("actions"), lambda a: _key(self.action_of(a)))
        triggers = [
            {"type": t, "comparison": True, "condition_result": True, **_id(trigger_ids.pop(t, None))}
            for t in m.triggers
        ]
        filters = [{**f.model_dump(), **_id(filter_ids.pop(f.type, None))} for f in m.filters]
        actions = [
            {**self.action_body(a), "status": "active", **_id(action_ids.pop(_key(a.model_dump()), None))}
            for a in m.actions
        ]
        body = {
            "name": m.name,
            "enabled": m.enabled,
            "environment": m.environment,
            "config": {"frequency": m.frequency},
            "detector_ids": detector_ids,
            "triggers": {"logic_type": "any-short", "conditions": triggers, **_id(live_triggers.get("id"))},
            "action_filters": [
                {
                    # Filters take any-short, all or none; "any" is the legacy spelling of any-short.
                    "logic_type": "any-short" if m.filter_match == "any" else m.filter_match,
                    "conditions": filters,
                    "actions": actions,
                    **_id(live_filter.get("id")),
                }
            ],
        }
        return camel(body)

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        o = snake(obj)
        types: dict[str, str] = obj.get("_detector_types") or {}
        action_filter = (o.get("action_filters") or [{}])[0]
        detector_ids = [str(d) for d in o.get("detector_ids") or []]
        return {
            "name": o.get("name"),
            "enabled": o.get("enabled"),
            "environment": o.get("environment"),
            "frequency": (o.get("config") or {}).get("frequency"),
            "triggers": [c.get("type") for c in (o.get("triggers") or {}).get("conditions") or []],
            "filters": [
                Filter(
                    type=c["type"], comparison=c.get("comparison"), condition_result=c.get("condition_result")
                ).model_dump()
                for c in action_filter.get("conditions") or []
            ],
            "filter_match": "any"
            if action_filter.get("logic_type") == "any-short"
            else action_filter.get("logic_type"),
            "actions": [self.action_of(a) for a in action_filter.get("actions") or []],
            "monitor_ids": [d for d in detector_ids if types.get(d, "metric_issue") == "metric_issue"],
            "default_detectors": [
                types[d] for d in detector_ids if types.get(d) in ("issue_stream", "error")
            ],
        }

    def outputs(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {"detector_ids": [str(d) for d in obj.get("detectorIds") or []]}

    # -- operations -------------------------------------------------------------------------------

    def detector_ids(self, client: Transport, m: AlertInputs) -> list[str]:
        ids = list(m.monitor_ids)
        if m.default_detectors:
            path = f"/organizations/{api.org()}/detectors/"
            for detector in api.list_all(client, path, project=m.project):
                if detector.get("type") in m.default_detectors:
                    ids.append(str(detector["id"]))
        return ids

    def annotate(
        self, client: Transport, obj: dict[str, Any], types: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Add the type of each attached detector, so projection can tell monitors from defaults."""
        ids = [str(d) for d in obj.get("detectorIds") or []]
        if types is None:
            types = self.detector_types(client, id=ids) if ids else {}
        return {**obj, "_detector_types": {i: types[i] for i in ids if i in types}}

    def detector_types(self, client: Transport, **params: Any) -> dict[str, str]:
        found = api.list_all(client, f"/organizations/{api.org()}/detectors/", **params)
        return {str(detector["id"]): str(detector.get("type")) for detector in found}

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        """Workflows from one walk (list items are the detail's schema), and their detectors' types from
        one walk of every detector, instead of two requests per workflow."""

        def walk() -> list[dict[str, Any]]:
            workflows = self._walk(client)
            types = self.detector_types(client) if workflows else {}
            return [self.annotate(client, workflow, types) for workflow in workflows]

        return (), walk

    def create(self, client: Transport, inputs: AlertInputs) -> dict[str, Any]:
        api.require_environment(client, inputs.environment)
        body = self.body(inputs, self.detector_ids(client, inputs), None)
        path = f"/organizations/{api.org()}/workflows/"
        created = client.request("POST", path, json_body=body, recover=lambda: self.find(client, inputs))
        return created if "_detector_types" in created else self.annotate(client, created)

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return self.annotate(client, client.request("GET", f"/organizations/{api.org()}/workflows/{id_}/"))

    def update(self, client: Transport, current: dict[str, Any], inputs: AlertInputs) -> dict[str, Any]:
        api.require_environment(client, inputs.environment)
        path = f"/organizations/{api.org()}/workflows/{current['id']}/"
        live = snake(client.request("GET", path))
        body = self.body(inputs, self.detector_ids(client, inputs), live)
        return self.annotate(client, client.request("PUT", path, json_body=body))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"/organizations/{api.org()}/workflows/{id_}/")

    def find(self, client: Transport, inputs: AlertInputs) -> dict[str, Any] | None:
        found = next((w for w in self._walk(client) if self.same(w, inputs)), None)
        return self.annotate(client, found) if found else None

    def every(self, client: Transport) -> list[dict[str, Any]]:
        return self._walk(client)

    def listing(self, client: Transport, inputs: AlertInputs) -> tuple[tuple[str, ...], Any]:
        return (), lambda: self._walk(client)

    def _walk(self, client: Transport) -> list[dict[str, Any]]:
        return api.list_all(client, f"/organizations/{api.org()}/workflows/")


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _id(value: Any) -> dict[str, Any]:
    return {"id": str(value)} if value is not None else {}


def _key(action: dict[str, Any]) -> str:
    return json.dumps(action, sort_keys=True)


def _ids_by(children: Any, key: Any) -> dict[Any, str]:
    """Existing child ids by a semantic key (first wins), so each declared child keeps its id."""
    ids: dict[Any, str] = {}
    for child in children or []:
        ids.setdefault(key(child), str(child.get("id")))
    return ids


SPEC = AlertSpec()
