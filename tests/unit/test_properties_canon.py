"""Properties of `canon`, the normalisation every diff compares through."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from providers.normalize import canon

from .property_support import (
    FAST,
    floatify,
    json_like,
)

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
