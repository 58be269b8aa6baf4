"""Exit codes and output of `plan` and `drift` on canned preview digests (no engine needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from lookout import review_cli, runners
from lookout.exits import Exit

MONITOR = "pulumi-python:dynamic/uptimerobot:Monitor"


def step(op: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    urn = f"urn:pulumi:dev::lookout::{MONITOR}::uptime-backend"
    state = lambda inputs: {"custom": True, "type": MONITOR, "inputs": inputs} if inputs is not None else None  # noqa: E731
    return {"op": op, "urn": urn, "oldState": state(old), "newState": state(new)}


@pytest.fixture
def digest(monkeypatch: pytest.MonkeyPatch):
    box: dict[str, Any] = {"stdout": "{}", "calls": []}

    def run(*args: str, stack: str, stream: bool = False) -> subprocess.CompletedProcess[str]:
        box["calls"].append((args, stream))
        if args[:2] == ("stack", "export") and "export" in box:
            return subprocess.CompletedProcess(args, 0, box["export"], "")
        box["args"] = args
        return subprocess.CompletedProcess(args, 0, box["stdout"], "")

    @contextmanager
    def fake(_sandbox: bool):
        yield run

    monkeypatch.setattr(review_cli, "runner", fake)
    monkeypatch.setattr(review_cli, "services", lambda stacks: {"dev": ["backend"]})
    box["wrong"] = []  # what review_reads finds missing in the accounts (tests/provider/test_review_reads.py)
    monkeypatch.setattr(review_cli.stack_values, "config", lambda run, stack: {"stack": stack})
    monkeypatch.setattr(review_cli.review_reads, "problems", lambda plan, config: box["wrong"])
    return box


def test_a_name_the_accounts_do_not_have_fails_the_plan_before_any_preview(digest, capsys):
    digest["wrong"] = ["lookout:services[0].render_service: no Render service named 'optio-dev-backnd'"]
    assert review_cli.plan(["dev"], "markdown", sandbox=True) == Exit.FAILED
    assert digest["calls"] == []  # no preview ran
    err = capsys.readouterr().err
    assert "lookout plan: dev names what its accounts do not have:" in err
    assert "lookout:services[0].render_service: no Render service named 'optio-dev-backnd'" in err


def test_plan_exit_codes(digest, capsys):
    digest["stdout"] = json.dumps({"steps": []})
    assert review_cli.plan(["dev"], "markdown", sandbox=False) == 0
    digest["stdout"] = json.dumps({"steps": [step("update", {"interval": 300.0}, {"interval": 600})]})
    assert review_cli.plan(["dev"], "markdown", sandbox=False) == Exit.CHANGES
    assert (
        "| **update** | `uptimerobot:Monitor` uptime-backend (`uptime:backend`) | interval | 300 | 600 |"
        in capsys.readouterr().out
    )
    digest["stdout"] = "error: no stack named dev"
    assert review_cli.plan(["dev"], "markdown", sandbox=False) == 1


def test_ordering_noise_is_not_a_change(digest):
    same = step("update", {"tags": ["b", "a"], "interval": 300.0}, {"tags": ["a", "b"], "interval": 300})
    digest["stdout"] = json.dumps({"steps": [same]})
    # the provider said "update" (it had a reason); with nothing visible, the row says a secret changed
    assert review_cli.plan(["dev"], "json", sandbox=False) == Exit.CHANGES


def test_drift_exit_code_and_json(digest, capsys):
    digest["stdout"] = json.dumps({"steps": [step("create", None, {"interval": 300})]})
    assert review_cli.drift(["dev"], "json", fix=False, sandbox=False) == 3
    assert digest["args"][:3] == ("preview", "--json", "--refresh")
    report = json.loads(capsys.readouterr().out)
    assert report["drift"][0]["verb"] == "deleted outside" and report["drift"][0]["service"] == "backend"


def test_a_stack_never_deployed_has_no_drift(digest, capsys):
    """Every resource would read "deleted outside"; the backend says there never were any."""
    digest["export"] = json.dumps({"version": 3, "deployment": {"manifest": {}, "resources": []}})
    digest["stdout"] = json.dumps({"steps": [step("create", None, {"interval": 300})]})
    assert review_cli.drift(["dev"], "markdown", fix=True, sandbox=False) == 0
    assert "## dev: never deployed" in capsys.readouterr().out
    assert [args[0] for args, _ in digest["calls"]] == ["stack"]  # no preview, no fix
    assert review_cli.drift(["dev"], "json", fix=False, sandbox=False) == 0
    assert json.loads(capsys.readouterr().out) == {"drift": [], "never_deployed": ["dev"]}


def test_a_deployed_stack_is_compared(digest, capsys):
    stack_only = [{"type": "pulumi:pulumi:Stack"}, {"type": "pulumi:providers:pulumi-python"}]
    resources = [*stack_only, {"type": "pulumi-python:dynamic/uptimerobot:Monitor"}]
    digest["stdout"] = json.dumps({"steps": [step("create", None, {"interval": 300})]})
    digest["export"] = json.dumps({"version": 3, "deployment": {"resources": stack_only}})
    assert review_cli.drift(["dev"], "json", fix=False, sandbox=False) == 0  # a stack with nothing in it
    capsys.readouterr()
    digest["export"] = json.dumps({"version": 3, "deployment": {"resources": resources}})
    assert review_cli.drift(["dev"], "json", fix=False, sandbox=False) == 3
    assert json.loads(capsys.readouterr().out)["never_deployed"] == []


def test_drift_fix_streams_the_up(digest, capsys):
    digest["stdout"] = json.dumps({"steps": [step("update", {"interval": 900}, {"interval": 300})]})
    assert review_cli.drift(["dev"], "markdown", fix=True, sandbox=False) == 0
    assert digest["calls"][-1] == (("up", "--refresh", "--yes"), True)


def test_a_misspelt_stack_is_one_line_naming_the_stacks(digest, capsys):
    assert review_cli.plan(["prdo"], "markdown", sandbox=False) == 1
    assert review_cli.drift(["prdo"], "markdown", fix=False, sandbox=False) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == err[1] and "no stack 'prdo'" in err[0] and "dev" in err[0] and "prod" in err[0]
    assert digest["calls"] == []


def test_streamed_output_arrives_while_the_command_runs(tmp_path: Path):
    """The child prints a line, then waits for the test to answer it through a FIFO: output captured until
    the end would never be answered, and the child gives up (alarm) and exits 1."""
    fifo = tmp_path / "answer"
    os.mkfifo(fifo)
    child = (
        "import signal, sys; signal.alarm(20); print('first', flush=True); "
        "print(open(sys.argv[1]).read().strip(), flush=True)"
    )
    seen: list[str] = []

    def sink(line: str) -> None:
        seen.append(line)
        if line == "first\n":
            threading.Thread(target=fifo.write_text, args=("answered\n",), daemon=True).start()

    result = runners.streamed([sys.executable, "-c", child, str(fifo)], dict(os.environ), sink)
    assert result.returncode == 0 and seen == ["first\n", "answered\n"]
    assert result.stdout == "first\nanswered\n"
