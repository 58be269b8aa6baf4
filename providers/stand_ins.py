"""Stand-in values for inputs still unknown in preview, so cross-field rules report only certain failures.

In preview, a value that comes from another resource is unknown. A rule that reads it can only fail for
sure if it fails whatever that value turns out to be; `ResourceSpec.validate` therefore runs the rules
once per combination of a few representative values of each unknown field and keeps the failures common
to all of them (tests/unit/test_properties_check.py found a LogStream refused for an unknown service).
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal

from pydantic.fields import FieldInfo

MAX_COMBINATIONS = 256
_UNKNOWN_TEXT = "(unknown)"


def candidates(field: FieldInfo) -> list[Any]:
    """Representative values of a field: its default, None when optional, every choice of a Literal."""
    values: list[Any] = []
    if not field.is_required():
        values.append(field.get_default(call_default_factory=True))
    values += _of_type(field.annotation)
    unique: list[Any] = []
    for value in values:
        if value not in unique:
            unique.append(value)
    return unique


def combinations(fields: dict[str, FieldInfo], names: list[str]) -> Iterator[dict[str, Any]]:
    """Assignments of stand-ins to `names` (at most MAX_COMBINATIONS of them)."""
    choices = [candidates(fields[name]) for name in names]
    for combo in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
        yield dict(zip(names, combo, strict=True))


def _of_type(annotation: Any) -> list[Any]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return [value for arg in args for value in _of_type(arg)]
    if annotation is type(None):
        return [None]
    if origin is Literal:
        return list(args)
    if origin in (list, tuple, set, frozenset):
        item = args[0] if args else Any
        return [[], *[[value] for value in _of_type(item) if value is not None][:8]]
    if origin is dict:
        return [{}]
    if annotation is bool:
        return [False, True]
    if annotation in (int, float):
        return [annotation(v) for v in (0, 1, -1, 100)]
    if annotation is str:
        return [_UNKNOWN_TEXT, "https://unknown.example.test"]
    return []  # a nested model or anything else: no stand-in, so the rules it feeds are not judged
