"""Sentry metric monitor: a detector of type `metric_issue` with static thresholds.

Levels map to `conditionResult`: critical = 75 (high), warning = 50 (medium), resolve = 0. Conditions come
back in any order, so they are matched by level, never by position; updates send every child id back
because a PUT deletes the children it does not name (docs/vendors/sentry.md, monitors).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from transport import Transport

from ..spec import Failure, Inputs, ResourceSpec
from . import client as api
from .wire import camel, snake

Dataset = Literal["events", "transactions", "generic_metrics", "events_analytics_platform", "metrics"]
SPANS = "events_analytics_platform"  # Sentry's span dataset; transactions are deprecated in its favour
TIME_WINDOWS = (60, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400)
# Sentry's own rules (docs/vendors/sentry.md, monitors): spans need at least 5 minutes, crash-rate
# (metrics) monitors take only these windows.
SPANS_MIN_WINDOW = 300
CRASH_RATE_WINDOWS = (1800, 3600, 7200, 14400, 43200, 86400)
# The event types Sentry expects of each dataset when none are given; spans take exactly one.
DEFAULT_EVENT_TYPES = {
    "events": ["error", "default"],
    "transactions": ["transaction"],
    "generic_metrics": ["transaction"],
    SPANS: ["trace_item_span"],
    "metrics": [],
}
EVENT_TYPES = {
    "events": ("error", "default"),
    "transactions": ("transaction", "trace_item_log", "trace_item_span"),
    "generic_metrics": ("transaction", "trace_item_log", "trace_item_span"),
    SPANS: ("transaction", "trace_item_log", "trace_item_span"),
    "metrics": (),
}
CRITICAL, WARNING, RESOLVED = 75, 50, 0
ABOVE = {"trigger": "gt", "resolve": "lte"}
BELOW = {"trigger": "lt", "resolve": "gte"}


class MetricMonitorInputs(Inputs):
    project: str = Field(description="Project id")
    name: str = Field(min_length=1, max_length=200)
    dataset: Dataset
    aggregate: str = Field(min_length=1, description="e.g. failure_rate(), p95(transaction.duration)")
    query: str = ""
    environment: str | None = Field(None, description="Must already exist in Sentry")
    event_types: list[str] = Field(
        default_factory=list, description="Default: the dataset's own (spans: trace_item_span)"
    )
    time_window: int = Field(3600, description=f"Seconds, one of {TIME_WINDOWS}; spans >= 300")
    direction: Literal["above", "below"] = "above"
    critical: float | None = Field(None, description="High priority when the value crosses this")
    warning: float | None = Field(None, description="Medium priority when the value crosses this")
    resolve: float | None = Field(None, description="Resolved when back across this (default: lowest level)")
    owner_team_id: str | None = None
    enabled: bool = Field(True, description="Evaluated and alerting; false keeps the monitor disabled")

    @model_validator(mode="before")
    @classmethod
    def default_event_types(cls, data: Any) -> Any:
        """Stored explicitly, so that what Sentry reports back equals the input (no diff noise)."""
        if not isinstance(data, dict) or data.get("event_types"):
            return data
        dataset = data.get("dataset")
        if isinstance(dataset, str) and dataset in DEFAULT_EVENT_TYPES:
            return {**data, "event_types": DEFAULT_EVENT_TYPES[dataset]}
        return data

    @model_validator(mode="before")
    @classmethod
    def default_resolve(cls, data: Any) -> Any:
        """Resolve defaults to the least severe level, so the stored value is explicit (no diff noise)."""
        if isinstance(data, dict) and data.get("resolve") is None:
            levels = [v for v in (data.get("critical"), data.get("warning")) if isinstance(v, int | float)]
            if levels:
                below = data.get("direction") == "below"
                return {**data, "resolve": max(levels) if below else min(levels)}
        return data


def _window_failures(m: MetricMonitorInputs) -> list[Failure]:
    window = m.time_window
    if m.dataset == "metrics" and window not in CRASH_RATE_WINDOWS:
        reason = f"crash-rate (metrics) monitors take only {CRASH_RATE_WINDOWS} seconds"
    elif m.dataset == SPANS and window < SPANS_MIN_WINDOW:
        reason = f"span monitors need at least {SPANS_MIN_WINDOW} seconds"
    elif window not in TIME_WINDOWS:
        reason = f"not one of {TIME_WINDOWS}"
    else:
        return []
    return [("time_window", f"time_window: {window}s: {reason}")]


def _event_type_failures(m: MetricMonitorInputs) -> list[Failure]:
    valid = EVENT_TYPES[m.dataset]
    wrong = [kind for kind in m.event_types if kind not in valid]
    if wrong:
        return [("event_types", f"event_types: {wrong} are not {m.dataset} event types {list(valid)}")]
    if m.dataset == SPANS and len(m.event_types) > 1:
        return [("event_types", "event_types: span monitors take exactly one event type")]
    return []


def _levels(m: MetricMonitorInputs) -> dict[int, float]:
    levels = {CRITICAL: m.critical, WARNING: m.warning}
    return {result: value for result, value in levels.items() if value is not None}


class MetricMonitorSpec(ResourceSpec[MetricMonitorInputs]):
    kind = "sentry:MetricMonitor"
    natural_key = ("name",)
    described_by = ("aggregate",)
    creates = (("POST", "/organizations/{organization_id_or_slug}/projects/{project_id_or_slug}/detectors/"),)
    model = MetricMonitorInputs
    replace_on: ClassVar[frozenset[str]] = frozenset({"project"})
    unordered: ClassVar[frozenset[str]] = frozenset({"event_types"})
    muted: ClassVar[dict[str, str]] = {"enabled": "disabled outside Lookout"}

    def semantic_failures(self, model: MetricMonitorInputs) -> list[Failure]:
        failures = _window_failures(model) + _event_type_failures(model)
        levels = _levels(model)
        if not levels:
            failures.append(("critical", "critical: set critical and/or warning"))
        sign = 1 if model.direction == "above" else -1
        both = model.critical is not None and model.warning is not None
        if both and sign * model.warning >= sign * model.critical:  # type: ignore[operator]
            word = "below" if model.direction == "above" else "above"
            reason = f"warning: {model.warning} must be {word} critical {model.critical} ({model.direction})"
            failures.append(("warning", reason))
        least = min(levels.values(), key=lambda v: sign * v) if levels else None
        if model.resolve is not None and least is not None and sign * model.resolve > sign * least:
            failures.append(("resolve", f"resolve: {model.resolve} would resolve while still alerting"))
        return failures

    def client(self) -> Transport:
        return api.client()

    # -- wire mapping (spec names; wire.camel converts) -------------------------------------------

    def body(self, m: MetricMonitorInputs, live: dict[str, Any] | None) -> dict[str, Any]:
        """The PUT/POST body; with `live` (the current object) every child keeps its id."""
        ops = ABOVE if m.direction == "above" else BELOW
        wanted = [(ops["trigger"], value, result) for result, value in _levels(m).items()]
        if m.resolve is not None:
            wanted.append((ops["resolve"], m.resolve, RESOLVED))
        live_group = (live or {}).get("condition_group") or {}
        live_ids = {c.get("condition_result"): c.get("id") for c in live_group.get("conditions") or []}
        conditions = [
            {"type": kind, "comparison": value, "condition_result": result, **_id(live_ids.get(result))}
            for kind, value, result in wanted
        ]
        source = {
            "aggregate": m.aggregate,
            "dataset": m.dataset,
            "environment": m.environment,
            "event_types": m.event_types,
            "query": m.query,  # queryType is left out: Sentry derives it from the dataset
            "time_window": m.time_window,
        }
        live_sources = (live or {}).get("data_sources") or []
        body: dict[str, Any] = {
            "name": m.name,
            "type": "metric_issue",
            # Always sent: a PUT leaves out-of-band disabling in place unless it names `enabled`
            # (specs/sentry-openapi.json, updateOrganizationDetector `enabled`).
            "enabled": m.enabled,
            "project_id": m.project,
            "data_sources": [{**source, **_id(live_sources[0].get("id") if live_sources else None)}],
            "config": {"detection_type": "static"},
            "condition_group": {"logic_type": "any", "conditions": conditions, **_id(live_group.get("id"))},
        }
        if m.owner_team_id:
            body["owner"] = f"team:{m.owner_team_id}"
        return camel(body)

    def project(self, obj: dict[str, Any]) -> dict[str, Any]:
        o = snake(obj)
        source = (o.get("data_sources") or [{}])[0]
        query = (source.get("query_obj") or {}).get("snuba_query") or source
        by_result = {
            c.get("condition_result"): c for c in (o.get("condition_group") or {}).get("conditions") or []
        }
        trigger = by_result.get(CRITICAL) or by_result.get(WARNING) or {}
        owner_id = _team_owner(o.get("owner"))
        enabled = {"enabled": bool(o["enabled"])} if o.get("enabled") is not None else {}
        return {
            **enabled,
            "name": o.get("name"),
            "project": str(o.get("project_id") or ""),
            "dataset": query.get("dataset"),
            "aggregate": query.get("aggregate"),
            "query": query.get("query") or "",
            "environment": query.get("environment"),
            "event_types": query.get("event_types") or [],
            "time_window": query.get("time_window"),
            "direction": "below" if trigger.get("type") in ("lt", "lte") else "above",
            "critical": (by_result.get(CRITICAL) or {}).get("comparison"),
            "warning": (by_result.get(WARNING) or {}).get("comparison"),
            "resolve": (by_result.get(RESOLVED) or {}).get("comparison"),
            "owner_team_id": owner_id,
        }

    # -- operations -------------------------------------------------------------------------------

    def create(self, client: Transport, inputs: MetricMonitorInputs) -> dict[str, Any]:
        api.require_environment(client, inputs.environment)
        path = f"/organizations/{api.org()}/projects/{inputs.project}/detectors/"
        body = self.body(inputs, None)
        return client.request("POST", path, json_body=body, recover=lambda: self.find(client, inputs))

    def get(self, client: Transport, id_: str) -> dict[str, Any]:
        return client.request("GET", f"/organizations/{api.org()}/detectors/{id_}/")

    def every(self, client: Transport) -> list[dict[str, Any]]:
        # Without `project` the list covers every accessible project (the parameter's own description).
        return api.list_all(client, f"/organizations/{api.org()}/detectors/", query="type:metric_issue")

    def listed(self, client: Transport, id_: str) -> tuple[tuple[str, ...], Any]:
        # List items are the detail's DetectorSerializer (specs/sentry-openapi.json: same schema).
        return (), lambda: self.every(client)

    def update(
        self, client: Transport, current: dict[str, Any], inputs: MetricMonitorInputs
    ) -> dict[str, Any]:
        api.require_environment(client, inputs.environment)
        live = snake(self.get(client, str(current["id"])))
        path = f"/organizations/{api.org()}/detectors/{current['id']}/"
        return client.request("PUT", path, json_body=self.body(inputs, live))

    def delete(self, client: Transport, id_: str, props: dict[str, Any]) -> None:
        client.request("DELETE", f"/organizations/{api.org()}/detectors/{id_}/")

    def find(self, client: Transport, inputs: MetricMonitorInputs) -> dict[str, Any] | None:
        return next((d for d in self._walk(client, inputs.project) if self.same(d, inputs)), None)

    def listing(self, client: Transport, inputs: MetricMonitorInputs) -> tuple[tuple[str, ...], Any]:
        return (inputs.project,), lambda: self._walk(client, inputs.project)

    def _walk(self, client: Transport, project: str) -> list[dict[str, Any]]:
        path = f"/organizations/{api.org()}/detectors/"
        return api.list_all(client, path, project=project, query="type:metric_issue")


def _team_owner(owner: Any) -> str | None:
    """The owning team's id: detectors read the owner back as `{type, id, ...}` (a user owner is no team)."""
    if isinstance(owner, dict):
        return str(owner["id"]) if owner.get("type") == "team" and owner.get("id") else None
    kind, _, owner_id = str(owner or "").partition(":")
    return owner_id if kind == "team" and owner_id else None


def _id(value: Any) -> dict[str, Any]:
    return {"id": str(value)} if value is not None else {}


SPEC = MetricMonitorSpec()
