"""Validation of metric monitor bodies (docs/vendors/sentry.md, monitors), camelCase on the wire.

Returns the body's fields, checked and normalised; children keep the ``id`` they were sent with so that
the update semantics can match them. A PUT only changes the fields it sends (``name`` and ``type`` are
required, as in the spec). The rules and their messages are Sentry's (getsentry/sentry
``src/sentry/snuba/snuba_query_validator.py`` and ``src/sentry/incidents/metric_issue_detector.py``).
"""

from typing import Any

from sandbox.sentry import environments, fields, orgs, owners, repo
from sandbox.sentry.errors import ApiError, invalid

METRIC = "metric_issue"
SYSTEM_TYPES = ("error", "issue_stream")  # created with each project; never through the API
DATASETS = ("events", "transactions", "generic_metrics", "events_analytics_platform", "metrics")
TIME_WINDOWS = (60, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400)  # seconds, not minutes
# queryType: 0 ERROR, 1 PERFORMANCE, 2 CRASH_RATE. The datasets each allows (QUERY_TYPE_VALID_DATASETS),
# and their names as the mismatch message lists them (lower-cased enum names, not wire values).
QUERY_TYPE_DATASETS = {
    0: ("events",),
    1: ("transactions", "generic_metrics", "events_analytics_platform"),
    2: ("metrics",),
}
DATASET_NAMES = {
    "events": "events",
    "transactions": "transactions",
    "generic_metrics": "performancemetrics",
    "events_analytics_platform": "eventsanalyticsplatform",
    "metrics": "metrics",
}
EVENT_TYPES = {0: ("error", "default"), 1: ("transaction", "trace_item_log", "trace_item_span"), 2: ()}
DEFAULT_EVENT_TYPES = {0: ["error", "default"], 1: ["transaction"], 2: []}
SPANS = "events_analytics_platform"
CRASH_RATE_WINDOWS = (1800, 3600, 7200, 14400, 43200, 86400)
CRASH_RATE_WINDOW_MESSAGE = (
    "Invalid Time Window: Allowed time windows for crash rate alerts are: 30min, 1h, 2h, 4h, 12h and 24h"
)
SPANS_WINDOW_MESSAGE = "Invalid Time Window: Time window for this alert type must be at least 5 minutes."
# Organizations migrating off the transactions dataset refuse new transaction-based monitors.
TRANSACTIONS_DEPRECATED = "organizations:discover-saved-queries-deprecation"
TRANSACTION_DATASETS = ("transactions", "generic_metrics")
DEPRECATED_MESSAGE = (
    "{} to transaction-based alerts is disabled, as we migrate to the span dataset. Create span-based "
    "alerts (dataset: events_analytics_platform) with the is_transaction:true filter instead."
)
QUERY_FIELDS = ("dataset", "query", "aggregate", "timeWindow", "eventTypes")
DETECTION_TYPES = ("static", "percent", "dynamic")
COMPARISON_DELTAS = (300, 900, 3600, 86400, 604800, 2592000)  # seconds
THRESHOLD_TYPES = ("gt", "gte", "lt", "lte")  # "eq" is a Condition, but not one a metric monitor takes
CONDITION_TYPES = (*THRESHOLD_TYPES, "eq", "ne", "anomaly_detection")
CONDITION_RESULTS = (75, 50, 0)  # high, medium, resolved (OK)
MAX_CONDITIONS = 3
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
        _transactions_deprecation(clean["dataSources"][0], existing)
    if creating or "conditionGroup" in data:
        clean["conditionGroup"] = _group(fields.required(data, "conditionGroup"), detection)
    return clean


def _transactions_deprecation(source: Doc, existing: Doc | None) -> None:
    """Refused at save, so the body is a top-level list: on create, or when an update changes the query
    of a transaction-based monitor (renaming one stays possible)."""
    if not orgs.has_feature(TRANSACTIONS_DEPRECATED):
        return
    if existing is None:
        if source["dataset"] in TRANSACTION_DATASETS:
            raise ApiError(400, [DEPRECATED_MESSAGE.format("Creation")])
        return
    old = ((existing.get("dataSources") or [{}])[0].get("queryObj") or {}).get("snubaQuery") or {}
    changed = any(old.get(name) != source.get(name) for name in QUERY_FIELDS)
    if old.get("dataset") in TRANSACTION_DATASETS and changed:
        raise ApiError(400, [DEPRECATED_MESSAGE.format("Updates")])


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
        raise invalid((*path, "environment"), "Environment is not part of this organization")
    dataset = source.get("dataset", "events")
    if dataset not in DATASETS:
        raise invalid((*path, "dataset"), f"Invalid dataset, valid values are {list(DATASETS)}")
    query_type = _query_type(source, dataset, path)
    event_types = _event_types(source, dataset, query_type, path)
    window = fields.integer(fields.required(source, "timeWindow", path), (*path, "timeWindow"))
    _time_window(window, dataset, path)
    clean = {
        "aggregate": fields.text(fields.required(source, "aggregate", path), (*path, "aggregate"), 256),
        "dataset": dataset,
        "query": fields.text(source.get("query", ""), (*path, "query"), 4000, blank=True),
        "timeWindow": window,
        "environment": environment,
        "eventTypes": event_types,
        "extrapolationMode": fields.text(
            source.get("extrapolationMode", "unknown"), (*path, "extrapolationMode"), 64
        ),
    }
    return fields.keep_id(source, clean, path)


def _query_type(source: Doc, dataset: str, path: Path) -> int:
    """Optional: derived from the dataset when left out; when sent, it must allow the dataset."""
    derived = next(kind for kind, datasets in QUERY_TYPE_DATASETS.items() if dataset in datasets)
    if source.get("queryType") is None:
        return derived
    raw = source["queryType"]
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in QUERY_TYPE_DATASETS:
        raise invalid((*path, "queryType"), f"Invalid query type {raw}")
    if dataset not in QUERY_TYPE_DATASETS[raw]:
        valid = sorted(DATASET_NAMES[name] for name in QUERY_TYPE_DATASETS[raw])
        raise invalid(
            (*path, "nonFieldErrors"), f"Invalid dataset for this query type. Valid datasets are {valid}"
        )
    return int(raw)


def _event_types(source: Doc, dataset: str, query_type: int, path: Path) -> list[str]:
    if query_type == 2:
        return []  # crash-rate monitors count sessions, not events
    event_types = fields.array(
        source.get("eventTypes", DEFAULT_EVENT_TYPES[query_type]), (*path, "eventTypes")
    )
    valid = list(EVENT_TYPES[query_type])
    if any(kind not in valid for kind in event_types):
        message = f"Invalid event types for this dataset. Valid event types are {valid}"
        raise invalid((*path, "nonFieldErrors"), message)
    if dataset == SPANS and len(event_types) > 1:
        message = f"Multiple event types not allowed. Valid event types are {valid}"
        raise invalid((*path, "nonFieldErrors"), message)
    return [str(kind) for kind in event_types]


def _time_window(window: int, dataset: str, path: Path) -> None:
    if dataset == "metrics" and window not in CRASH_RATE_WINDOWS:
        raise invalid((*path, "nonFieldErrors"), CRASH_RATE_WINDOW_MESSAGE)
    if dataset == SPANS and window < 300:
        raise invalid((*path, "nonFieldErrors"), SPANS_WINDOW_MESSAGE)
    fields.choice(window, TIME_WINDOWS, (*path, "timeWindow"))


def _group(raw: Any, detection: str | None) -> Doc:
    group = fields.mapping(raw, ("conditionGroup",))
    path: Path = ("conditionGroup",)
    logic = fields.choice(fields.required(group, "logicType", path), LOGIC_TYPES, (*path, "logicType"))
    items = fields.array(group.get("conditions", []), (*path, "conditions"))
    conditions = [_condition(item, detection, (*path, "conditions", i)) for i, item in enumerate(items)]
    if len(conditions) > MAX_CONDITIONS:
        raise invalid(("nonFieldErrors",), "Too many conditions")
    resolves = any(c["conditionResult"] == 0 or c["type"] == "anomaly_detection" for c in conditions)
    if conditions and not resolves:
        raise invalid((*path, "conditions"), "Resolution condition required for metric issue detector.")
    return fields.keep_id(group, {"logicType": logic, "conditions": conditions}, path)


def _condition(raw: Any, detection: str | None, path: Path) -> Doc:
    condition = fields.mapping(raw, path)
    kind = fields.choice(fields.required(condition, "type", path), CONDITION_TYPES, (*path, "type"))
    allowed = ("anomaly_detection",) if detection == "dynamic" else THRESHOLD_TYPES
    if kind not in allowed:
        raise invalid((*path, "type"), f"Unsupported type {kind}")
    comparison = fields.required(condition, "comparison", path)
    if kind == "anomaly_detection":
        comparison = _anomaly(comparison, (*path, "comparison"))
    elif isinstance(comparison, bool) or not isinstance(comparison, int | float):
        raise invalid((*path, "comparison"), "A valid number or dict is required.")
    result = fields.required(condition, "conditionResult", path)
    if isinstance(result, bool) or result not in CONDITION_RESULTS:
        raise invalid((*path, "conditionResult"), "Unsupported condition result")
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
