"""A changed field of a review, down to the leaves that changed: `actions[0].channel: "alerts-dev" → "ops"`
instead of two whole lists of objects, as `pulumi preview --diff` shows a nested change (issue #30).

Objects are compared key by key and lists index by index; a list that grew or shrank shows the items added
or removed at their index. In a list whose order means nothing (a spec's `unordered` field) the items found
on both sides are no change; of the others, as many as left and joined are taken as edited, in order, and
diffed at the edited item's index on the new side; the rest left it or joined it, at `field[]`. Values
that are equal after normalisation (ints sent as floats, a key absent or null) are never shown.
"""

from __future__ import annotations

import json
from typing import Any

from providers.normalize import canon, equivalent

Leaf = tuple[str, Any, Any]  # (path, before, after); None: absent on that side


def leaves(path: str, before: Any, after: Any, unordered: bool = False) -> list[Leaf]:
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [*before, *(k for k in after if k not in before)]
        return [leaf for k in keys for leaf in leaves(f"{path}.{k}", before.get(k), after.get(k))]
    if isinstance(before, list) and isinstance(after, list):
        return _unordered(path, before, after) if unordered else _ordered(path, before, after)
    return [] if equivalent(before, after) else [(path, before, after)]


def _ordered(path: str, before: list[Any], after: list[Any]) -> list[Leaf]:
    found: list[Leaf] = []
    for i in range(max(len(before), len(after))):
        old = before[i] if i < len(before) else None
        new = after[i] if i < len(after) else None
        found += leaves(f"{path}[{i}]", old, new)
    return found


def _unordered(path: str, before: list[Any], after: list[Any]) -> list[Leaf]:
    def key(value: Any) -> str:
        return json.dumps(canon(value), sort_keys=True)

    kept = {key(v) for v in before} & {key(v) for v in after}
    gone = [v for v in before if key(v) not in kept]
    joined = [(i, v) for i, v in enumerate(after) if key(v) not in kept]
    edited = min(len(gone), len(joined))
    found = [
        leaf for old, (i, new) in zip(gone, joined, strict=False) for leaf in leaves(f"{path}[{i}]", old, new)
    ]
    found += [(f"{path}[]", v, None) for v in gone[edited:]]
    found += [(f"{path}[]", None, v) for _, v in joined[edited:]]
    return found
