"""Value normalisation for diffs: the wire turns ints into floats, and lists may come back reordered."""

from __future__ import annotations

import json
from typing import Any

from pulumi.output import Unknown


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def canon(value: Any, unordered: bool = False) -> Any:
    """A comparable form: integral floats become ints, nested values too; unordered lists are sorted."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        items = [canon(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True)) if unordered else items
    return value


def equivalent(a: Any, b: Any, unordered: bool = False) -> bool:
    """Equal after normalisation, telling booleans from numbers (True == 1 in Python)."""
    return _typed(canon(a, unordered)) == _typed(canon(b, unordered))


def _typed(value: Any) -> Any:
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


def value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    """The value at a pydantic error location, or None when the path does not exist."""
    for part in loc:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list | tuple) and isinstance(part, int) and part < len(data)
        ):
            data = data[part]
        else:
            return None
    return data


def under_unknown(data: Any, loc: tuple[Any, ...]) -> bool:
    """True when the location, or any container on the way to it, is still unknown (preview)."""
    return any(is_unknown(value_at(data, loc[:depth])) for depth in range(len(loc) + 1))
