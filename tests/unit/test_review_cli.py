"""Exit codes and output of `plan` and `drift` on canned preview digests (no engine needed)."""

from __future__ import annotations

import json
import subprocess
from contextlib import contextmanager
from typing import Any

import pytest

from lookout import review_cli

MONITOR = "pulumi-python:dynamic/uptimerobot:Monitor"


def step(op: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    urn = f"urn:pulumi:dev::lookout::{MONITOR}::uptime-backend"
    state = lambda inputs: {"custom": True, "type": MONITOR, "inputs": inputs} if inputs is not None else None  # noqa: E731
    return {"op": op, "urn": urn, "oldState": state(old), "newState": state(new)}


@pytest.fixture
def digest(monkeypatch: pytest.MonkeyPatch):
    box: dict[str, Any] = {"stdout": "{}"}

    def run(*args: str, stack: str) -> subprocess.CompletedProcess[str]:
        box["args"] = args
        return subprocess.CompletedProcess(args, 0, box["stdout"], "")

    @contextmanager
    def fake(_sandbox: bool):
        yield run

    monkeypatch.setattr(review_cli, "runner", fake)
    monkeypatch.setattr(review_cli, "services", lambda stacks: {"dev": ["backend"]})
    return box


def test_plan_exit_codes(digest, capsys):
    digest["stdout"] = json.dumps({"steps": []})
    assert review_cli.plan(["dev"], "markdown", sandbox=False) == 0
    digest["stdout"] = json.dumps({"steps": [step("update", {"interval": 300.0}, {"interval": 600})]})
    assert review_cli.plan(["dev"], "markdown", sandbox=False) == 2
    assert (
        "| **update** | `uptimerobot:Monitor` uptime-backend | interval | 300 | 600 |"
        in capsys.readouterr().out
    )
    digest["stdout"] = "error: no stack named dev"
    assert review_cli.plan(["dev"], "markdown", sandbox=False) == 1


def test_ordering_noise_is_not_a_change(digest):
    same = step("update", {"tags": ["b", "a"], "interval": 300.0}, {"tags": ["a", "b"], "interval": 300})
    digest["stdout"] = json.dumps({"steps": [same]})
    # the provider said "update" (it had a reason); with nothing visible, the row says a secret changed
    assert review_cli.plan(["dev"], "json", sandbox=False) == 2


def test_drift_exit_code_and_json(digest, capsys):
    digest["stdout"] = json.dumps({"steps": [step("create", None, {"interval": 300})]})
    assert review_cli.drift(["dev"], "json", fix=False, sandbox=False) == 3
    assert digest["args"][:3] == ("preview", "--json", "--refresh")
    report = json.loads(capsys.readouterr().out)
    assert report["drift"][0]["verb"] == "deleted outside" and report["drift"][0]["service"] == "backend"
