"""Key style of Sentry's detector and workflow bodies.

The official spec names these fields in snake_case (`data_sources`, `condition_group`, `action_filters`)
because it is generated from a CamelSnakeSerializer; the wire format is camelCase (`dataSources`,
`conditionGroup`, `actionFilters`). Specs build bodies with the spec's names; this module is the one place
that converts (docs/vendors/sentry.md, monitors).
"""

from __future__ import annotations

import re
from typing import Any


def _camel_key(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _snake_key(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def camel(value: Any) -> Any:
    """Spec (snake_case) keys → wire (camelCase) keys, recursively; values are untouched."""
    if isinstance(value, dict):
        return {_camel_key(k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def snake(value: Any) -> Any:
    """Wire (camelCase) keys → spec (snake_case) keys, recursively."""
    if isinstance(value, dict):
        return {_snake_key(k): snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake(v) for v in value]
    return value
