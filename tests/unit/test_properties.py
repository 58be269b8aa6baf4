"""Property-based tests (hypothesis) of spec parsing (`check`) and diff normalisation (`diff`, `canon`).

Every provider class is covered: they are found as the subclasses of `SpecProvider`, and each needs a valid
example in `VALID` (a test insists, so a new resource cannot slip through). Valid inputs are the example
with a few fields replaced by values generated from the input model's own types and constraints, kept only
when `check` accepts them. Nothing here touches the network: `check` and `diff` never do.

Bugs the properties found are pinned at the end as strict xfails, each with its minimal example.
"""

from __future__ import annotations

import copy
import functools
import json
import types
from collections.abc import Iterator
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from pulumi.output import Unknown
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from providers import settings as lookout_settings
from providers.base import PROVIDER_KEY, SpecProvider
from providers.normalize import canon
from providers.render import resources as _render  # noqa: F401 (defines the Render providers)
from providers.sentry import alert, metric_monitor
from providers.sentry import resources as _sentry  # noqa: F401
from providers.transport.redact import _known as registered_secrets
from providers.transport.redact import _lock as secrets_lock
from providers.uptimerobot import resources as _uptimerobot  # noqa: F401

# Per resource kind (17 of them): 25 examples each (425 per property) keeps the file under 20 s.
PROPERTY = settings(max_examples=25, deadline=None, database=None)
CHEAP = settings(max_examples=15, deadline=None, database=None)  # arbitrary states: costly to generate
FAST = settings(max_examples=100, deadline=None, database=None)

PROVIDERS: list[type[SpecProvider]] = sorted(
    (cls for cls in SpecProvider.__subclasses__() if cls.__module__.startswith("providers.")),
    key=lambda cls: cls.spec.kind,
)
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
        "event_types": ["transaction", "error"],
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
    "sentry:ProjectDetectors": {"project": "1"},
    "render:ServiceHealthCheck": {"service": "srv-1", "path": "/health"},
    "render:EnvVar": {"service": "srv-1", "key": "LOG_LEVEL", "value": "info"},
    "render:NotificationOverride": {"service": "srv-1", "notifications_to_send": "failure"},
    "render:OwnerNotificationSettings": {"owner": "tea-1"},
    "render:LogStream": {"endpoint": "logs.example.test:514", "token": "tok"},
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


def state_of(inputs: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Old outputs as `diff` receives them: inputs plus computed outputs, ints turned into floats."""
    return floatify({**extra, **inputs})


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


# -- the examples themselves ------------------------------------------------------------------------------


def test_every_provider_has_a_valid_example():
    assert len(PROVIDERS) >= 17  # every resource module was imported
    assert sorted(VALID) == KINDS


@by_kind
def test_the_example_is_accepted_and_its_unordered_lists_can_be_reordered(provider):
    result = provider().check({}, VALID[provider.spec.kind])
    assert result.failures == []
    for name in provider.spec.unordered:
        items = [json.dumps(item, sort_keys=True) for item in result.inputs[name]]
        assert len(set(items)) >= 2, f"{name}: the example should list two different items"


# -- check: spec parsing ----------------------------------------------------------------------------------


def root_of(path: str, names: set[str]) -> str | None:
    """The field or input key a failure's path starts from (`actions[0]`, `rate_limit.count`, `bad.key`)."""
    starts = [n for n in names if path == n or path.startswith((f"{n}.", f"{n}["))]
    return max(starts, key=len) if starts else None


def checked_failures(provider: type[SpecProvider], news: dict[str, Any]) -> list[Any]:
    """`check`'s failures, after asserting that each names a field of the model or a key of `news`."""
    result = provider().check({}, news)
    names = set(provider.spec.model.model_fields) | set(news)
    for failure in result.failures:
        assert isinstance(failure.property, str) and failure.property, failure
        assert isinstance(failure.reason, str) and failure.reason, failure
        assert root_of(failure.property, names) is not None, (failure.property, news)
    if result.failures:
        assert result.inputs == news  # rejected inputs are returned as given
    return list(result.failures)


@by_kind
@PROPERTY
@given(data=st.data())
def test_check_never_raises_and_failures_name_a_field(provider, data):
    news = data.draw(arbitrary_inputs(provider.spec.kind), label="news")
    if not checked_failures(provider, news):
        inputs = provider().check({}, news).inputs
        assert set(inputs) == set(provider.spec.model.model_fields)
        assert provider().check({}, inputs).failures == []


@by_kind
@PROPERTY
@given(data=st.data())
def test_check_in_preview_never_raises_or_blames_an_unknown_value(provider, data):
    news = data.draw(arbitrary_inputs(provider.spec.kind, preview=True), label="news")
    names = set(provider.spec.model.model_fields) | set(news)
    for failure in checked_failures(provider, news):
        assert not isinstance(news.get(root_of(failure.property, names)), Unknown), failure


@by_kind
@PROPERTY
@given(data=st.data())
def test_check_is_idempotent_and_reads_wire_floats_as_ints(provider, data):
    props = data.draw(candidates(provider.spec.kind), label="props")
    inputs = checked(provider, props)
    again = provider().check({}, inputs)
    assert again.failures == []
    assert again.inputs == inputs
    from_wire = provider().check({}, {**floatify(props), PROVIDER_KEY: "provider-blob"})
    assert from_wire.failures == []
    assert canon(from_wire.inputs) == canon(inputs)


@pytest.mark.parametrize("provider", PROVIDERS, ids=KINDS)
@PROPERTY
@given(data=st.data())
def test_valid_input_passes_preview_whatever_is_unknown(provider, data):
    """In preview, values from other resources are unknown. When some resolution of them (here: the values
    they stand for) is valid, preview must not reject the input: `up` would have accepted it."""
    props = data.draw(candidates(provider.spec.kind), label="props")
    checked(provider, props)
    fields = sorted(provider.spec.model.model_fields)
    names = data.draw(st.sets(st.sampled_from(fields), min_size=1, max_size=2), label="unknown")
    news = {**props, **{name: unknown_in(props.get(name)) for name in names}}
    assert provider().check({}, news).failures == []


def unknown_in(value: Any) -> Any:
    """The value with an unknown where another resource's output would be (a list item, else the whole)."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return [Unknown(), *value[1:]]
    return Unknown()


# -- diff: normalisation ----------------------------------------------------------------------------------


@by_kind
@PROPERTY
@given(data=st.data())
def test_diff_sees_no_change_in_equivalent_inputs(provider, data):
    """Same inputs; old outputs off the wire (floats, extra outputs); unordered lists reordered; only
    control fields (adoption, ...) changed: never a change."""
    spec = provider.spec
    props = data.draw(candidates(provider.spec.kind), label="props")
    inputs = checked(provider, props)
    no_change(provider, inputs, copy.deepcopy(inputs))
    olds = state_of(inputs, data.draw(outputs_extra, label="outputs"))
    no_change(provider, olds, inputs)

    shuffled = dict(props)
    for name in sorted(spec.unordered):
        if isinstance(props.get(name), list):
            shuffled[name] = data.draw(st.permutations(props[name]), label=name)
    result = provider().check({}, shuffled)
    assert result.failures == []  # order never makes valid input invalid
    no_change(provider, olds, result.inputs)

    control = {name: data.draw(field_values(spec.kind, name), label=name) for name in spec.control_fields}
    no_change(provider, olds, checked(provider, {**props, **control}))


def scalar_fields(provider: type[SpecProvider]) -> list[str]:
    """Compared fields holding a string, a choice of strings or a bool: a different value is a change."""
    fields = provider.spec.model.model_fields

    def scalar(annotation: Any) -> bool:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if get_origin(annotation) is Literal:
            return all(isinstance(a, str) for a in args)
        if get_origin(annotation) in (Union, types.UnionType):
            return all(scalar(a) for a in args)
        return annotation in (str, bool)

    return [name for name in provider.spec.compared_fields() if scalar(fields[name].annotation)]


@by_kind
@PROPERTY
@given(data=st.data())
def test_diff_sees_an_unknown_or_changed_field(provider, data):
    """A compared field made unknown (preview) is a change, and so is a different value in a string or bool
    field; a replacement exactly when that field is in `replace_on`."""
    spec = provider.spec
    props = data.draw(candidates(spec.kind), label="props")
    inputs = checked(provider, props)
    olds = state_of(inputs, {"target": "sandbox"})

    name = data.draw(st.sampled_from(spec.compared_fields()), label="unknown_field")
    unknown = data.draw(st.sampled_from([Unknown(), [Unknown()], {"id": Unknown()}]), label="unknown")
    result = provider().diff("id-1", olds, {**inputs, name: unknown})
    assert result.changes is True
    assert result.replaces == ([name] if name in spec.replace_on else [])

    name = data.draw(st.sampled_from(scalar_fields(provider)), label="changed_field")
    other = field_values(spec.kind, name).filter(lambda v: v is not None and v != inputs[name])
    news = checked(provider, {**props, name: data.draw(other, label="value")})
    assume(news[name] != inputs[name])  # a validator may map it back (Team: name "" is the slug)
    result = provider().diff("id-1", olds, news)
    assert result.changes is True
    assert (name in result.replaces) == (name in spec.replace_on)
    assert set(result.replaces) <= spec.replace_on
    assert result.delete_before_replace == (bool(result.replaces) and spec.delete_before_replace)


@functools.cache
def any_state(kind: str) -> SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(sorted(field_names(SPECS[kind].model))) | st.text(max_size=6)
    return st.dictionaries(keys, json_like(st.text(max_size=4), max_leaves=5), max_size=5)


@by_kind
@CHEAP
@given(data=st.data())
def test_diff_of_any_state_never_raises_and_any_state_equals_itself(provider, data):
    spec = provider.spec
    olds, news = data.draw(any_state(spec.kind), label="olds"), data.draw(any_state(spec.kind), label="news")
    result = provider().diff("id-1", olds, news)
    assert set(result.replaces) <= spec.replace_on
    assert result.changes or not result.replaces
    no_change(provider, news, copy.deepcopy(news))
    no_change(provider, floatify(news), news)


# -- canon ------------------------------------------------------------------------------------------------

values = json_like(st.text(max_size=6))
lists = st.lists(values, max_size=6)  # at most 6 items: see the permutations below


def exact(value: Any) -> str:
    """Type-exact form (1 and 1.0 and True differ), to compare canonical forms."""
    return json.dumps(value, sort_keys=True)


@FAST
@given(value=values, unordered=st.booleans())
def test_canon_is_idempotent(value, unordered):
    once = canon(value, unordered)
    assert exact(canon(once, unordered)) == exact(once)


@FAST
@given(value=values, unordered=st.booleans())
def test_canon_reads_wire_floats_as_the_ints_they_were(value, unordered):
    assert exact(canon(floatify(value), unordered)) == exact(canon(value, unordered))


@FAST
@example(items=[1, "1", None, "None"], order=[1, 0, 3, 2, 4, 5])  # items that print alike
@given(items=lists, order=st.permutations(range(6)))
def test_canon_of_an_unordered_list_ignores_order(items, order):
    shuffled = [items[i] for i in order if i < len(items)]
    assert exact(canon(shuffled, unordered=True)) == exact(canon(items, unordered=True))


@FAST
@given(items=lists)
def test_canon_of_an_unordered_list_keeps_every_item(items):
    def dumped(seq: Any) -> list[str]:
        return sorted(exact(v) for v in seq)

    assert dumped(canon(items, unordered=True)) == dumped(canon(items))
    assert len(canon(items, unordered=True)) == len(items)


@FAST
@given(data=st.data(), value=st.dictionaries(st.text(max_size=4), values, max_size=4))
def test_canon_ignores_keys_set_to_none(data, value):
    """An API that omits a key and inputs that set it to None say the same thing."""
    extra = data.draw(st.lists(st.text(max_size=4), max_size=3), label="none_keys")
    with_nones = {**value, **dict.fromkeys(k for k in extra if k not in value)}
    assert exact(canon(with_nones)) == exact(canon(value))


def as_json(value: Any, bools_as_numbers: bool = False) -> str:
    """A value as JSON, up to int/float, -0.0/0 and dict keys set to None (all irrelevant to a diff)."""

    def strip(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [strip(x) for x in v]
        if isinstance(v, bool):
            return float(v) if bools_as_numbers else v
        return float(v) + 0.0 if isinstance(v, int | float) else v

    return json.dumps(strip(value), sort_keys=True)


@FAST
@given(data=st.data(), value=values)
def test_canon_tells_different_values_apart(data, value):
    """canon is not constant: equal forms only for values equal up to int/float and None-valued keys.
    (True == 1 in Python, so canon does not tell them apart: see the regression case below.)"""
    other = data.draw(st.sampled_from([value, floatify(value)]) | values, label="other")
    if as_json(value) == as_json(other):
        assert canon(value) == canon(other)
    if canon(value) == canon(other):
        assert as_json(value, bools_as_numbers=True) == as_json(other, bools_as_numbers=True)


# -- regression cases: bugs the properties found (fixed), each with its minimal falsifying example ---------

MONITOR = {"name": "probe", "url": "db.example.test"}
METRIC = {"project": "1", "name": "errors", "dataset": "events", "aggregate": "count()"}
EMAIL = [{"type": "email", "target_type": "team", "target_id": "1"}]
# (kind, input in preview, the same input with its unknowns resolved to valid values)
PREVIEW_CASES = [
    pytest.param(
        "uptimerobot:Monitor",
        {**MONITOR, "type": Unknown()},
        {**MONITOR, "type": "PING"},
        id="monitor-type-unknown",
    ),
    pytest.param(
        "render:LogStream",
        {"service": Unknown(), "setting": "drop"},
        {"service": "srv-1", "setting": "drop"},
        id="log-stream-service-unknown",
    ),
    pytest.param(
        "sentry:MetricMonitor",
        {**METRIC, "warning": Unknown()},
        {**METRIC, "warning": 0.05},
        id="warning-unknown",
    ),
    pytest.param(
        "sentry:MetricMonitor",
        {**METRIC, "critical": -5, "warning": 1, "direction": Unknown()},
        {**METRIC, "critical": -5, "warning": 1, "direction": "below"},
        id="direction-unknown",
    ),
    pytest.param(
        "sentry:Alert",
        {"name": "issues", "actions": EMAIL, "project": "1", "default_detectors": Unknown()},
        {"name": "issues", "actions": EMAIL, "project": "1", "default_detectors": ["error"]},
        id="alert-default-detectors-unknown",
    ),
]


@pytest.mark.parametrize(("kind", "preview", "resolved"), PREVIEW_CASES)
def test_preview_case_is_valid_once_resolved(kind, preview, resolved):
    assert providers_by_kind[kind]().check({}, resolved).failures == []


# Preview ran cross-field rules with unknown fields at their defaults (providers/stand_ins.py now).
@pytest.mark.parametrize(("kind", "preview", "resolved"), PREVIEW_CASES)
def test_preview_accepts_input_that_is_valid_once_resolved(kind, preview, resolved):
    failures = providers_by_kind[kind]().check({}, preview).failures
    assert [(f.property, f.reason) for f in failures] == []


# check accepted NaN (pydantic's default); NaN != NaN, so diff(x, x) showed a change on every preview.
def test_diff_of_accepted_nan_with_itself_is_empty():
    provider = providers_by_kind["sentry:MetricMonitor"]
    result = provider().check({}, {**METRIC, "critical": float("nan")})
    assert result.failures != [] or provider().diff("id-1", result.inputs, result.inputs).changes is False


# canon compared with ==, and True == 1 in Python: a change between true and 1 in a free-form field (Alert
# filters' comparison) went unseen.
def test_diff_tells_true_from_1_in_free_form_fields():
    provider = providers_by_kind["sentry:Alert"]
    base = {"name": "issues", "actions": EMAIL, "monitor_ids": ["1"]}
    olds = checked_inputs(provider, {**base, "filters": [{"type": "level", "comparison": 1}]})
    news = checked_inputs(provider, {**base, "filters": [{"type": "level", "comparison": True}]})
    assert provider().diff("id-1", floatify(olds), news).changes is True


def checked_inputs(provider: type[SpecProvider], props: dict[str, Any]) -> dict[str, Any]:
    """Inputs `check` accepts; a rejection is an error, not the expected failure of an xfail above."""
    result = provider().check({}, props)
    if result.failures:
        raise ValueError(f"check rejected {props}: {result.failures}")
    return dict(result.inputs)
