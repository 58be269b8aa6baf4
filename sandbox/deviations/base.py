"""The shape of a row of the deviation table, and a walk over a spec document the patches share."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Spec = dict[str, Any]


@dataclass(frozen=True)
class Deviation:
    key: str  # short, stable name used by tests and the README
    vendor: str
    where: str
    what: str
    reason: str
    source: str
    patch: Callable[[Spec], None] | None = None
    rewrite: Callable[[Any], Any] | None = None
    skip: bool = False

    def applies(self, method: str, path: str) -> bool:
        return self.where == "*" or fnmatch.fnmatchcase(f"{method.upper()} {path}", self.where)


def walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, list):
        for item in node:
            walk(item, visit)
    elif isinstance(node, dict):
        children = list(node.values())  # what `visit` puts in is not visited again
        visit(node)
        for value in children:
            walk(value, visit)
