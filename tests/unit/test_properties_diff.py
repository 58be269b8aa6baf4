"""Properties of `diff` for every resource kind: no change between equivalent inputs, every real change
seen; then the bugs these properties found, each pinned by its minimal example.
"""

from __future__ import annotations

import copy
import functools
import types
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from pulumi.output import Unknown

from providers.base import SpecProvider

from .property_support import (
    CHEAP,
    PROPERTY,
    SPECS,
    by_kind,
    candidates,
    checked,
    field_names,
    field_values,
    floatify,
    isolated_settings,  # noqa: F401 (autouse fixture: free-plan config, secrets forgotten after)
    json_like,
    no_change,
    outputs_extra,
    providers_by_kind,
    state_of,
)

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
    olds = state_of(provider, inputs, data.draw(outputs_extra, label="outputs"))
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
    olds = state_of(provider, inputs, {"target": "sandbox"})

    name = data.draw(st.sampled_from(spec.compared_fields()), label="unknown_field")
    unknown = data.draw(st.sampled_from([Unknown(), [Unknown()], {"id": Unknown()}]), label="unknown")
    result = provider().diff("id-1", olds, {**inputs, name: unknown})
    assert result.changes is True
    assert result.replaces == ([name] if name in spec.replace_on else [])

    name = data.draw(st.sampled_from(scalar_fields(provider)), label="changed_field")
    before = spec.completed(inputs)[name]
    other = field_values(spec.kind, name).filter(lambda v: v is not None and v != before)
    news = checked(provider, {**props, name: data.draw(other, label="value")})
    assume(spec.completed(news)[name] != before)  # a validator may map it back (Team: name "" is the slug)
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


# One relation, two sides: the plan attaches windows on each monitor, so a window whose old outputs list
# the monitors (read back from the API) must not diff against its unset monitor_ids (else every up
# detached them, and refresh never converged, issue #12); a declared list is still compared.
def test_a_window_leaves_its_monitors_to_the_monitors_unless_it_declares_them():
    provider = providers_by_kind["uptimerobot:MaintenanceWindow"]
    window = {"name": "deploys", "interval": "once", "date": "2026-01-05", "time": "03:00:00", "duration": 30}
    olds = {**checked_inputs(provider, window), "monitor_ids": ["800000001", "800000002"]}
    assert provider().diff("id-1", olds, checked_inputs(provider, window)).changes is False
    declared = checked_inputs(provider, {**window, "monitor_ids": []})
    assert provider().diff("id-1", olds, declared).changes is True


# A heartbeat declared without grace_period reads back the API's value: no change on every preview (#12,
# found by tests/provider/test_interrupted_creates.py); a declared one is still compared.
def test_a_heartbeat_leaves_its_grace_period_to_the_api_unless_declared():
    provider = providers_by_kind["uptimerobot:Monitor"]
    beat = {"name": "nightly job", "type": "HEARTBEAT"}
    olds = {**checked_inputs(provider, beat), "grace_period": 0}
    assert provider().diff("id-1", olds, checked_inputs(provider, beat)).changes is False
    declared = checked_inputs(provider, {**beat, "grace_period": 60})
    assert provider().diff("id-1", olds, declared).changes is True
