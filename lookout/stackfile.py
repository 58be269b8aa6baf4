"""Read the plan of a stack straight from its committed file (no Pulumi engine needed): stacks/source.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.paths import REPO
from stacks import source
from stacks.plan import Plan


def path_of(stack_or_file: str) -> Path:
    """`dev` → Pulumi.dev.yaml in the project; anything with a slash or .yaml suffix is a file path."""
    if "/" in stack_or_file or stack_or_file.endswith((".yaml", ".yml")):
        return Path(stack_or_file)
    return REPO / f"Pulumi.{stack_or_file}.yaml"


def config_of(stack_or_file: str) -> dict[str, Any]:
    """The stack file's whole `config:` mapping; a missing or malformed file is a ConfigError."""
    return source.read_file(path_of(stack_or_file))


def lookout_values(path: Path) -> dict[str, Any]:
    """The `lookout:*` config of a stack file, keys without the namespace."""
    return source.lookout_values(source.read_file(path))


def load(stack_or_file: str) -> Plan:
    return source.plan_of(config_of(stack_or_file))
