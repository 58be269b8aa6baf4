"""How the values of `pulumi preview --json` read in a review: Pulumi's placeholder for a value known only
after apply, however deep, as "(known after apply)"; a value in one cell; a resource in one line."""

from __future__ import annotations

import json
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from providers.normalize import canon

KNOWN_AFTER_APPLY = "(known after apply)"


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value == UNKNOWN


def contains_unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return is_unknown(value)


def readable(value: Any) -> Any:
    """The value with Pulumi's unknown-value placeholder, however deep, as "(known after apply)"."""
    if isinstance(value, dict):
        return {k: readable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [readable(v) for v in value]
    return KNOWN_AFTER_APPLY if is_unknown(value) else value


def show(value: Any, limit: int = 80) -> str:
    if value == KNOWN_AFTER_APPLY:
        return KNOWN_AFTER_APPLY
    text = json.dumps(canon(value), sort_keys=True) if value is not None else "—"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def summary(fields: list[tuple[str, Any, Any]], side: int) -> str:
    """`type: "HTTP", url: "https://..."` for a created (side 2) or deleted (side 1) resource."""
    return ", ".join(f"{f[0]}: {show(f[side], 60)}" for f in fields) or "—"
