"""Read the plan of a stack straight from its committed file (no Pulumi engine needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from stacks.plan import Plan, load_plan

from .paths import REPO


def path_of(stack_or_file: str) -> Path:
    """`dev` → Pulumi.dev.yaml in the project; anything with a slash or .yaml suffix is a file path."""
    if "/" in stack_or_file or stack_or_file.endswith((".yaml", ".yml")):
        return Path(stack_or_file)
    return REPO / f"Pulumi.{stack_or_file}.yaml"


def lookout_values(path: Path) -> dict[str, Any]:
    """The `lookout:*` config of a stack file, keys without the namespace."""
    config = (yaml.safe_load(path.read_text()) or {}).get("config") or {}
    return {
        key.removeprefix("lookout:"): value for key, value in config.items() if key.startswith("lookout:")
    }


def load(stack_or_file: str) -> Plan:
    return load_plan(lookout_values(path_of(stack_or_file)))
