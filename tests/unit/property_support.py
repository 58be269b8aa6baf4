"""What the property tests (test_properties_*.py) share: every provider with a valid example, hypothesis
strategies built from the input models' own types and constraints, and helpers.

Every provider class is covered: they are found as the subclasses of `SpecProvider`, and each needs a valid
example in `VALID` (a test insists, so a new resource cannot slip through). Valid inputs are the example
with a few fields replaced by generated values, kept only when `check` accepts them. Nothing here touches
the network: `check` and `diff` never do.
"""

from __future__ import annotations

import copy
import functools
import types
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import assume, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from pulumi.output import Unknown
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from providers import registry
from providers import settings as lookout_settings
from providers.base import PROVIDER_KEY, SpecProvider
from providers.sentry import alert, metric_monitor
from transport.redact import _known as registered_secrets
from transport.redact import _lock as secrets_lock

# Per resource kind (17 of them): 25 examples each (425 per property) keeps the file under 20 s.
PROPERTY = settings(max_examples=25, deadline=None, database=None)
CHEAP = settings(max_examples=15, deadline=None, database=None)  # arbitrary states: costly to generate
FAST = settings(max_examples=100, deadline=None, database=None)

PROVIDERS: list[type[SpecProvider]] = sorted(registry.PROVIDERS, key=lambda cls: cls.spec.kind)
KINDS = [cls.spec.kind for cls in PROVIDERS]
SPECS = {cls.spec.kind: cls.spec for cls in PROVIDERS}
providers_by_kind = {cls.spec.kind: cls for cls in PROVIDERS}
by_kind = pytest.mark.parametrize("provider", PROVIDERS, ids=KINDS)

# One accepted input per resource; unordered lists hold at least two distinct items, so that reordering
# them means something.
VALID: dict[str, dict[str, Any]] = {
    "uptimerobot:Monitor": {
        "name": "api",
        "type": "HTTP",
        "url": "https://example.test/api/health",
        "interval": 300,
        "tags": ["b", "a"],
        "alert_contacts": [{"id": "7", "threshold": 0}, {"id": "3", "recurrence": 5}],
        "maintenance_window_ids": ["9", "1"],
        "ssl_expiration_days": [30, 7],
        "custom_http_headers": {"X-Probe": "lookout"},
    },
    "uptimerobot:AlertContact": {"name": "ops", "email": "ops@example.test"},
    "uptimerobot:Integration": {
        "name": "ops",
        "kind": "slack",
        "webhook_url": "https://hooks.example.test/x",
    },
    "uptimerobot:MaintenanceWindow": {
        "name": "nightly",
        "interval": "weekly",
        "date": "2025-01-06",
        "time": "02:00:00",
        "duration": 30,
        "days": [3, 1],
        "monitor_ids": ["2", "1"],
    },
    "uptimerobot:StatusPage": {"name": "status", "monitor_ids": ["2", "1"]},
    "sentry:Team": {"slug": "backend"},
    "sentry:Project": {"team": "backend", "slug": "api", "name": "API", "default_key": "keep"},
    "sentry:ClientKey": {"project": "1", "name": "main", "rate_limit": {"count": 100, "window": 60}},
    "sentry:MetricMonitor": {
        "project": "1",
        "name": "error rate",
        "dataset": "transactions",
        "aggregate": "failure_rate()",
        "critical": 0.1,
        "warning": 0.05,
        "event_types": ["transaction", "trace_item_log"],
    },
    "sentry:Alert": {
        "name": "errors",
        "triggers": ["regression_event", "first_seen_event"],
        "filters": [{"type": "level", "comparison": 40}, {"type": "age", "comparison": {"value": 1}}],
        "actions": [
            {"type": "email", "target_type": "team", "target_id": "1"},
            {"type": "slack", "integration_id": "5", "channel": "#ops"},
        ],
        "monitor_ids": ["2", "1"],
        "project": "1",
        "default_detectors": ["issue_stream", "error"],
    },
    "sentry:IntegrationLookup": {"provider": "slack", "name": "acme"},
    "sentry:Dashboard": {
        "title": "prod health",
        "projects": ["2", "1"],
        "environment": ["production", "staging"],
        "widgets": [
            {
                "title": "API p95",
                "display_type": "line",
                "queries": [{"aggregates": ["p95(span.duration)"], "conditions": "span.op:http.server"}],
                "layout": {"x": 0, "y": 0, "w": 3, "h": 2, "min_h": 2},
            },
            {
                "title": "errors by endpoint",
                "display_type": "table",
                "limit": 10,
                "queries": [
                    {
                        "aggregates": ["failure_rate()"],
                        "columns": ["transaction"],
                        "orderby": "-failure_rate()",
                    }
                ],
                "layout": {"x": 3, "y": 0, "w": 3, "h": 2, "min_h": 2},
            },
        ],
    },
    "sentry:ProjectDetectors": {"project": "1"},
    "render:ServiceHealthCheck": {"service": "srv-1", "path": "/health"},
    "render:EnvVar": {"service": "srv-1", "key": "LOG_LEVEL", "value": "info"},
    "render:NotificationOverride": {"service": "srv-1", "notifications_to_send": "failure"},
    "render:OwnerNotificationSettings": {"owner": "tea-1"},
    "render:LogStream": {"endpoint": "logs.example.test:514", "token": "tok"},
    "render:CronJob": {
        "name": "optio-prod-system-health",
        "schedule": "*/5 * * * *",
        "repo": "https://github.com/optio/monitoring",
        "build_command": "pip install .",
        "start_command": "python -m lookout watch prod --once --from-env",
        "env_vars": {"LOOKOUT_HEARTBEAT_URL": "https://heartbeat.uptimerobot.com/m1-abc"},
    },
    "sentry:PagerDutyService": {
        "integration_id": "24818",
        "service": "optio prod",
        "integration_key": "k" * 32,
    },
    "pagerduty:UserLookup": {"email": "ada@example.test"},
    "pagerduty:Schedule": {
        "name": "prod primary",
        "time_zone": "Europe/Berlin",
        "layers": [
            {"name": "weekly", "users": ["PUSER01", "PUSER02"], "handoff": "10:00", "handoff_day": 2},
            {
                "name": "nights",
                "users": ["PUSER03"],
                "turn_days": 1,
                "restrictions": [{"type": "daily", "start": "20:00", "minutes": 720}],
            },
        ],
    },
    "pagerduty:EscalationPolicy": {
        "name": "prod on-call",
        "rules": [
            {"delay_minutes": 30, "users": ["PUSER01"]},
            {"delay_minutes": 15, "schedules": ["PSCHED1"]},
        ],
        "num_loops": 2,
    },
    "pagerduty:Service": {"name": "optio prod", "escalation_policy": "PPOLICY", "auto_resolve_timeout": None},
    "pagerduty:EventsIntegration": {"service": "PSERVIC", "name": "Lookout"},
    "pagerduty:MaintenanceWindow": {
        "services": ["PSERVIC", "PSERVI2"],
        "start_time": "2030-01-01T22:00:00+01:00",
        "end_time": "2030-01-01T23:30:00Z",
    },
}

# Values for fields whose rules go beyond their types, so that generated inputs are accepted often enough.
hosts = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z]{2,5}){1,2}", fullmatch=True)
OVERRIDES: dict[tuple[str, str], SearchStrategy[Any]] = {
    ("uptimerobot:Monitor", "url"): hosts  # a host, for PING and PORT monitors
    | st.builds(
        "{}://{}/{}".format, st.sampled_from(["http", "https"]), hosts, st.text("abc/-_", max_size=8)
    ),
    ("uptimerobot:Monitor", "interval"): st.integers(300, 2678400),
    ("uptimerobot:Monitor", "ssl_expiration_days"): st.lists(st.integers(0, 365), max_size=4),
    ("uptimerobot:AlertContact", "email"): st.builds("{}@{}".format, st.text("abcxyz._+", min_size=1), hosts),
    ("uptimerobot:MaintenanceWindow", "date"): st.dates().map(lambda d: d.isoformat()),
    ("uptimerobot:MaintenanceWindow", "days"): st.lists(st.integers(1, 7), min_size=1, max_size=5),
    ("sentry:Alert", "frequency"): st.sampled_from(alert.FREQUENCIES),
    ("sentry:MetricMonitor", "time_window"): st.sampled_from(metric_monitor.TIME_WINDOWS),
    ("render:ServiceHealthCheck", "path"): st.just("") | st.text(max_size=10).map("/{}".format),
    ("render:LogStream", "endpoint"): st.builds("{}:{}".format, hosts, st.integers(1, 65535)),
    ("render:LogStream", "token"): st.text(min_size=1, max_size=12),
    ("render:CronJob", "schedule"): st.builds(
        "{} {} * * {}".format,
        st.sampled_from(["*/5", "0", "15,45"]),
        st.sampled_from(["*", "9"]),
        st.just("*"),
    ),
    ("render:CronJob", "repo"): hosts.map("https://{}/optio/monitoring".format),
    ("render:CronJob", "env_vars"): st.dictionaries(
        st.from_regex(r"[A-Z][A-Z0-9_]{0,6}", fullmatch=True), st.text(max_size=8)
    ),
    ("pagerduty:UserLookup", "email"): st.builds("{}@{}".format, st.text("abcxyz._+", min_size=1), hosts),
    # Starts in 2030 and ends in 2031, with offsets: valid, and the end always after the start.
    ("pagerduty:MaintenanceWindow", "start_time"): st.builds(
        "2030-{:02d}-{:02d}T{:02d}:00:00{}".format,
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 23),
        st.sampled_from(["Z", "+02:00", "-05:00"]),
    ),
    ("pagerduty:MaintenanceWindow", "end_time"): st.builds(
        "2031-{:02d}-{:02d}T{:02d}:30:00Z".format, st.integers(1, 12), st.integers(1, 28), st.integers(0, 23)
    ),
    ("pagerduty:Schedule", "time_zone"): st.sampled_from(["Europe/Berlin", "UTC", "America/New_York"]),
}

# -- generic value strategies -----------------------------------------------------------------------------

SAFE_INT = 2**53  # the wire carries numbers as doubles: larger ints are not exact after a round trip
leaves: SearchStrategy[Any] = (
    st.none()
    | st.booleans()
    | st.integers(-SAFE_INT, SAFE_INT)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)


def json_like(
    keys: SearchStrategy[str], base: SearchStrategy[Any] = leaves, max_leaves: int = 12
) -> SearchStrategy[Any]:
    return st.recursive(
        base,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
        max_leaves=max_leaves,
    )


def field_names(model: type[BaseModel]) -> set[str]:
    """The model's field names and those of the models nested in it (to reach deep paths)."""
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for nested in _models_in(info.annotation):
            names |= field_names(nested)
    return names


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def typed(annotation: Any, metadata: list[Any] | None = None) -> SearchStrategy[Any]:
    """Values of a pydantic field's type that meet its declared constraints (length, bounds, pattern)."""
    bounds: dict[str, Any] = {}
    for item in metadata or []:
        for name in ("ge", "le", "min_length", "max_length", "pattern"):
            if getattr(item, name, None) is not None:
                bounds[name] = getattr(item, name)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:  # e.g. an id type: its constraints sit in the FieldInfo it is annotated with
        inner = [m for item in args[1:] for m in (getattr(item, "metadata", None) or [item])]
        return typed(args[0], [*(metadata or []), *inner])
    if annotation is Any:
        return json_like(st.text(max_size=6))
    if annotation is type(None):
        return st.none()
    if origin is Literal:
        return st.sampled_from(args)
    if origin in (Union, types.UnionType):
        return st.one_of([typed(arg, metadata) for arg in args])
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(bounds.get("ge", -(2**31)), bounds.get("le", 2**31))
    if annotation is float:
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000)
    if annotation is str:
        low = bounds.get("min_length", 0)
        high = min(bounds.get("max_length", low + 16), low + 16)
        if "pattern" in bounds:
            return st.from_regex(bounds["pattern"], fullmatch=True).filter(lambda s: low <= len(s) <= high)
        return st.text(min_size=low, max_size=high)
    if origin is list:
        high = min(bounds.get("max_length", 4), 4)
        return st.lists(typed(args[0]), min_size=bounds.get("min_length", 0), max_size=high)
    if origin is dict:
        return st.dictionaries(typed(args[0]), typed(args[1]), max_size=3)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        return st.fixed_dictionaries(
            {name: of_field(info) for name, info in fields.items() if info.is_required()},
            optional={name: of_field(info) for name, info in fields.items() if not info.is_required()},
        )
    raise TypeError(f"no strategy for {annotation!r}")


def of_field(info: FieldInfo) -> SearchStrategy[Any]:
    return typed(info.annotation, info.metadata)


@functools.cache
def field_values(kind: str, name: str) -> SearchStrategy[Any]:
    """Valid-looking values of one input field (built once: strategies are costly to build)."""
    info = SPECS[kind].model.model_fields[name]
    return OVERRIDES[kind, name] if (kind, name) in OVERRIDES else of_field(info)


@functools.cache
def candidates(kind: str) -> SearchStrategy[dict[str, Any]]:
    """The resource's example with a few fields dropped or replaced by values of the right type."""
    fields = SPECS[kind].model.model_fields
    example = VALID[kind]
    optional = sorted(name for name in example if not fields[name].is_required())
    dropped = st.sets(st.sampled_from(optional), max_size=2) if optional else st.just(set())
    changed = st.sets(st.sampled_from(sorted(fields)), max_size=3).flatmap(
        lambda names: st.fixed_dictionaries({name: field_values(kind, name) for name in sorted(names)})
    )

    def build(drop: set[str], change: dict[str, Any]) -> dict[str, Any]:
        return {**{k: copy.deepcopy(v) for k, v in example.items() if k not in drop}, **change}

    return st.builds(build, dropped, changed)


@functools.cache
def arbitrary_inputs(kind: str, preview: bool = False) -> SearchStrategy[dict[str, Any]]:
    """Any JSON-like dict (with unknown values in preview): fresh, or the example with some values swapped
    for anything at all, or a typed candidate. Keys are mostly real field names, nested models' too, so
    that deep paths are reached."""
    names = sorted(field_names(SPECS[kind].model) | {PROVIDER_KEY})
    keys = st.sampled_from(names) | st.text(min_size=1, max_size=8)
    values = json_like(keys, leaves | st.builds(Unknown) if preview else leaves, max_leaves=8)
    example = VALID[kind]
    fresh = st.dictionaries(keys, values, max_size=6)
    mutated = st.builds(
        lambda change: {**copy.deepcopy(example), **change}, st.dictionaries(keys, values, max_size=3)
    )
    return fresh | mutated | candidates(kind)


def floatify(value: Any) -> Any:
    """What the Pulumi wire makes of a value: every int (not bool) becomes a float."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: floatify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [floatify(v) for v in value]
    return value


def checked(provider: type[SpecProvider], props: dict[str, Any]) -> dict[str, Any]:
    """The inputs `check` returns for props it accepts; other props are discarded as examples."""
    result = provider().check({}, props)
    assume(not result.failures)
    return dict(result.inputs)


def state_of(provider: type[SpecProvider], inputs: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Old outputs as `diff` receives them: inputs (every field: outputs leave no default out) plus computed
    outputs, ints turned into floats."""
    return floatify({**extra, **provider.spec.completed(inputs)})


outputs_extra = st.dictionaries(st.sampled_from(["target", "status", "url_key", "id"]), leaves, max_size=3)


def no_change(provider: type[SpecProvider], olds: dict[str, Any], news: dict[str, Any]) -> None:
    result = provider().diff("id-1", olds, news)
    assert result.changes is False, (olds, news)
    assert result.replaces == []
    assert result.delete_before_replace is False


@pytest.fixture(autouse=True, scope="module")
def isolated_settings() -> Iterator[None]:
    """Plan limits read config (free plan, as the other unit tests); secrets that `check` registers for
    redaction are forgotten afterwards, so random strings do not mask text in later tests."""
    lookout_settings.use_config({"uptimerobot:plan": "free"})
    known = set(registered_secrets)
    yield
    lookout_settings.use_config({})
    with secrets_lock:
        registered_secrets.intersection_update(known)
