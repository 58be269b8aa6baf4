"""`python -m lookout demo` ends with what is true of the sandbox it leaves, and with commands that work."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lookout import demo
from lookout.__main__ import build_parser


class FakeSandbox:
    url = "http://127.0.0.1:18765"

    def __init__(self, started: bool) -> None:
        self.process = object() if started else None  # None: it was already running, not ours to stop
        self.stopped = False

    def vendor_url(self, vendor: str) -> str:
        return f"{self.url}/{vendor}"

    def control(self, method: str, path: str, **_: Any) -> Any:
        class Answer:
            def json(self) -> dict[str, Any]:
                return {"total": 0, "items": []}

        return Answer()

    def stop(self) -> None:
        self.stopped = True


class FakeWorkspace:
    def __init__(self, state_dir: Path, stack: str) -> None:
        self.stack = stack

    def prepare(self, **_: Any) -> dict[str, Any]:
        return {}

    def pulumi(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(["pulumi", *args], 0, f"(pulumi {' '.join(args)})", "")


def run_demo(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    started: bool,
    stacks: tuple[str, ...] = ("dev",),
) -> str:
    sandbox = FakeSandbox(started)
    monkeypatch.setattr(demo.sandbox_process, "ensure", lambda *_: sandbox)
    monkeypatch.setattr(demo.sandbox_seed, "seed", lambda *_: None)
    monkeypatch.setattr(demo, "Workspace", FakeWorkspace)
    assert demo.run(stacks) == 0
    assert sandbox.stopped  # stop() is a no-op for a sandbox someone else started
    return capsys.readouterr().out


def test_the_ending_says_the_sandbox_was_stopped_and_where_the_state_is(monkeypatch, capsys):
    out = run_demo(monkeypatch, capsys, started=True)
    ending = out.split("=== done")[1]
    assert "is live" not in out
    assert "the sandbox process is stopped; the --sandbox commands restart it" in ending
    assert ".lookout/sandbox/" in ending
    assert out.index("pulumi preview --expect-no-changes") < out.index("=== done")


def test_a_sandbox_that_was_already_running_is_said_to_be_running(monkeypatch, capsys):
    ending = run_demo(monkeypatch, capsys, started=False).split("=== done")[1]
    assert "still running" in ending and "stopped" not in ending


def test_every_command_to_try_next_parses_as_printed(monkeypatch, capsys):
    ending = run_demo(monkeypatch, capsys, started=True).split("Try next:")[1]
    commands = [line.split("#")[0].strip() for line in ending.strip().splitlines()]
    assert len(commands) == len(demo.try_next(["dev"])) >= 5
    seen = set()
    for line in commands:
        words = shlex.split(line)
        assert words[1:3] == ["-m", "lookout"], line
        if words[3:] == ["--help"]:
            continue
        args = build_parser().parse_args(words[3:])  # a typo here would exit 64 (a usage error)
        seen.add(args.command)
        if args.command in ("plan", "drift"):
            assert args.sandbox and args.stacks == ["dev"]  # the demo's own state, not a real account
    assert {"plan", "drift", "lint", "catalog", "faults"} <= seen


def test_a_failed_run_does_not_claim_success(monkeypatch, capsys):
    class Failing(FakeWorkspace):
        def pulumi(self, *args: str) -> subprocess.CompletedProcess[str]:
            raise demo.PulumiFailed(["pulumi", *args], subprocess.CompletedProcess(args, 1, "", "boom"))

    sandbox = FakeSandbox(started=True)
    monkeypatch.setattr(demo.sandbox_process, "ensure", lambda *_: sandbox)
    monkeypatch.setattr(demo.sandbox_seed, "seed", lambda *_: None)
    monkeypatch.setattr(demo, "Workspace", Failing)
    assert demo.run("dev") == 1
    assert sandbox.stopped and "Try next" not in capsys.readouterr().out


def test_make_demo_deploys_dev_then_prod_and_suggests_both_drills(monkeypatch, capsys):
    out = run_demo(monkeypatch, capsys, started=True, stacks=demo.STACKS)
    assert (
        out.index("pulumi up --yes --stack dev")
        < out.index("pulumi up --yes --stack prod")
        < out.index("=== done")
    )
    ending = out.split("=== done")[1]
    assert "the dev and prod plans were deployed" in ending
    assert "drill dev --sandbox" in ending and "drill prod --sandbox --yes" in ending
