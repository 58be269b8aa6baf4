"""What a deployed stack holds for the commands that act after `pulumi up` (drill, deploy-event): its config
and its outputs, secrets decrypted in memory only (never printed)."""

from __future__ import annotations

import json
from typing import Any

from .review import Runner


def config(run: Runner, stack: str) -> dict[str, Any]:
    shown = run("config", "--show-secrets", "--json", stack=stack)
    return {key: entry.get("value") for key, entry in json.loads(shown.stdout or "{}").items()}


def outputs(run: Runner, stack: str) -> dict[str, Any]:
    shown = run("stack", "output", "--json", "--show-secrets", stack=stack)
    return dict(json.loads(shown.stdout or "{}")) if shown.returncode == 0 else {}
