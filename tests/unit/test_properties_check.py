"""Properties of spec parsing (`check`) for every resource kind: never crashes, names the field, is
idempotent, and in preview rejects only what no resolution of the unknown values could make valid.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pulumi.output import Unknown

from providers.base import PROVIDER_KEY, SpecProvider
from providers.normalize import canon

from .property_support import (
    KINDS,
    PROPERTY,
    PROVIDERS,
    VALID,
    arbitrary_inputs,
    by_kind,
    candidates,
    checked,
    floatify,
    isolated_settings,  # noqa: F401 (autouse fixture: free-plan config, secrets forgotten after)
)

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
        assert set(inputs) <= set(provider.spec.model.model_fields)  # what differs from a default
        assert set(provider.spec.completed(inputs)) == set(provider.spec.model.model_fields)
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
