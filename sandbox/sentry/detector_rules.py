"""Validation of metric monitor bodies (§2f), camelCase on the wire.

Returns the body's fields, checked and normalised; children keep the ``id`` they were sent with so that
the update semantics can match them. A PUT only changes the fields it sends (``name`` and ``type`` are
required, as in the spec).
"""

from typing import Any

from sandbox.sentry import environments, fields, owners, repo
from sandbox.sentry.errors import invalid

METRIC = "metric_issue"
SYSTEM_TYPES = ("error", "issue_stream")  # created with each project; never through the API
DATASETS = ("events", "transactions", "generic_metrics", "events_analytics_platform", "metrics")
TIME_WINDOWS = (60, 300, 600, 900, 1800, 3600, 7200, 14400, 86400)  # seconds, not minutes (§2f)
EVENT_TYPES = ("error", "default", "transaction", "trace_item_span", "trace_item_log")
DETECTION_TYPES = ("static", "percent", "dynamic")
COMPARISON_DELTAS = (300, 900, 3600, 86400, 604800, 2592000)  # seconds
THRESHOLD_TYPES = ("gt", "gte", "lt", "lte", "eq")
CONDITION_RESULTS = (75, 50, 0)  # high, medium, resolved
LOGIC_TYPES = ("any", "any-short", "all", "none")
SENSITIVITIES = ("low", "medium", "high")

Doc = dict[str, Any]
Path = tuple[str | int, ...]


def validate(data: Doc, existing: Doc | None = None) -> Doc:
    """The checked fields of a create (``existing`` None) or update body."""
    name = fields.text(fields.required(data, "name"), ("name",), 200)
    kind = _type(fields.required(data, "type"), existing)
    clean: Doc = {"name": name, "type": kind}
    if "description" in data:
        clean["description"] = fields.optional_text(data["description"], ("description",), 1000)
    if "owner" in data:
        clean["owner"] = owners.parse(data["owner"])
    if "enabled" in data:
        clean["enabled"] = fields.boolean(data["enabled"], ("enabled",))
    if "workflowIds" in data:
        clean["workflowIds"] = _workflow_ids(data["workflowIds"])
    creating = existing is None
    if creating or "config" in data:
        clean["config"] = _config(fields.required(data, "config"))
    detection = (clean.get("config") or (existing or {}).get("config") or {}).get("detectionType")
    if creating or "dataSources" in data:
        clean["dataSources"] = _data_sources(fields.required(data, "dataSources"))
    if creating or "conditionGroup" in data:
        clean["conditionGroup"] = _group(fields.required(data, "conditionGroup"), detection)
    return clean


def _type(raw: Any, existing: Doc | None) -> str:
    kind = fields.text(raw, ("type",), 64)
    if existing is not None and kind != existing["type"]:
        raise invalid(("type",), "Monitor type cannot be changed.")
    if kind in SYSTEM_TYPES:
        raise invalid(("type",), f"Monitors of type '{kind}' are created by Sentry and cannot be changed.")
    if kind != METRIC:
        raise invalid(("type",), f"Unknown monitor type '{kind}'. Must be one of: {METRIC}")
    return kind


def _workflow_ids(raw: Any) -> list[str]:
    ids = fields.id_list(raw, ("workflowIds",))
    for index, workflow_id in enumerate(ids):
        if repo.by_id(repo.WORKFLOWS, workflow_id) is None:
            raise invalid(("workflowIds", index), f"Alert {workflow_id} does not exist.")
    return ids


def _config(raw: Any) -> Doc:
    """``detectionType``, plus ``comparisonDelta`` (seconds) for change monitors; other keys pass through."""
    path: Path = ("config",)
    config = fields.mapping(raw, path)
    detection = fields.choice(
        fields.required(config, "detectionType", path), DETECTION_TYPES, (*path, "detectionType")
    )
    clean = {**config, "detectionType": detection}
    if detection == "percent":
        delta = fields.required(config, "comparisonDelta", path)
        clean["comparisonDelta"] = fields.choice(delta, COMPARISON_DELTAS, (*path, "comparisonDelta"))
    return clean


def _data_sources(raw: Any) -> list[Doc]:
    sources = fields.array(raw, ("dataSources",))
    if len(sources) != 1:
        raise invalid(("dataSources",), "A metric monitor takes exactly one data source.")
    return [_data_source(fields.mapping(sources[0], ("dataSources", 0)), ("dataSources", 0))]


def _data_source(source: Doc, path: Path) -> Doc:
    environment = fields.optional_text(source.get("environment"), (*path, "environment"), 64)
    if environment is not None and environment not in environments.names():
        raise invalid((*path, "environment"), "Environment does not exist")
    event_types = fields.array(source.get("eventTypes", ["error", "default"]), (*path, "eventTypes"))
    for index, event_type in enumerate(event_types):
        fields.choice(event_type, EVENT_TYPES, (*path, "eventTypes", index))
    clean = {
        "aggregate": fields.text(fields.required(source, "aggregate", path), (*path, "aggregate"), 256),
        "dataset": fields.choice(source.get("dataset", "events"), DATASETS, (*path, "dataset")),
        "query": fields.text(source.get("query", ""), (*path, "query"), 4000, blank=True),
        "timeWindow": fields.choice(
            fields.required(source, "timeWindow", path), TIME_WINDOWS, (*path, "timeWindow")
        ),
        "environment": environment,
        "eventTypes": event_types,
        "extrapolationMode": fields.text(
            source.get("extrapolationMode", "unknown"), (*path, "extrapolationMode"), 64
        ),
    }
    if "queryType" in source:
        fields.choice(source["queryType"], (0, 1, 2), (*path, "queryType"))
    return fields.keep_id(source, clean, path)


def _group(raw: Any, detection: str | None) -> Doc:
    group = fields.mapping(raw, ("conditionGroup",))
    path: Path = ("conditionGroup",)
    logic = fields.choice(fields.required(group, "logicType", path), LOGIC_TYPES, (*path, "logicType"))
    items = fields.array(group.get("conditions", []), (*path, "conditions"))
    conditions = [_condition(item, detection, (*path, "conditions", i)) for i, item in enumerate(items)]
    return fields.keep_id(group, {"logicType": logic, "conditions": conditions}, path)


def _condition(raw: Any, detection: str | None, path: Path) -> Doc:
    condition = fields.mapping(raw, path)
    types = ("anomaly_detection",) if detection == "dynamic" else THRESHOLD_TYPES
    kind = fields.choice(fields.required(condition, "type", path), types, (*path, "type"))
    comparison = fields.required(condition, "comparison", path)
    if kind == "anomaly_detection":
        comparison = _anomaly(comparison, (*path, "comparison"))
    else:
        comparison = fields.number(comparison, (*path, "comparison"))
    result = fields.choice(
        fields.required(condition, "conditionResult", path), CONDITION_RESULTS, (*path, "conditionResult")
    )
    return fields.keep_id(
        condition, {"type": kind, "comparison": comparison, "conditionResult": result}, path
    )


def _anomaly(raw: Any, path: Path) -> Doc:
    comparison = fields.mapping(raw, path)
    return {
        "seasonality": fields.choice(
            comparison.get("seasonality", "auto"), ("auto",), (*path, "seasonality")
        ),
        "sensitivity": fields.choice(
            fields.required(comparison, "sensitivity", path), SENSITIVITIES, (*path, "sensitivity")
        ),
        "thresholdType": fields.choice(
            fields.required(comparison, "thresholdType", path), (0, 1, 2), (*path, "thresholdType")
        ),
    }
