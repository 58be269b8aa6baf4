"""`python -m lookout --help` and each command's --help: a description and the exit codes of each command;
`faults --list` lists the fault suite's scenarios."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from harness.paths import REPO
from lookout import fault_scenarios, faults
from lookout.__main__ import COMMANDS, build_parser, main
from lookout.exits import MEANINGS, Exit


def help_of(*command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps: compare without line breaks


def test_every_command_has_a_description_and_exit_codes():
    sub = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub[0].choices) == set(COMMANDS) == set(MEANINGS)


@pytest.mark.parametrize(
    ("command", "codes"),
    [
        ("demo", ["0 deployed", "1 a pulumi step failed"]),
        ("lint", ["0 no errors", "1 an error"]),
        ("catalog", ["0 both files written", "1 a stack file"]),
        ("plan", ["0 nothing to change", "2 changes", "1 the preview failed"]),
        ("drift", ["0 live matches the code", "3 drift", "1 the preview"]),
        ("adopt", ["0 scanned", "1 the plan names a Render service"]),
        ("recover", ["0 the stack is usable again", "1 a lock"]),
        ("faults", ["0 every scenario survived", "1 a scenario failed"]),
    ],
)
def test_each_command_help_describes_it_and_its_exit_codes(command, codes, capsys):
    text = help_of(command, capsys=capsys)
    summary, description = COMMANDS[command]
    assert " ".join(description.split()[:8]) in text
    assert "exit codes:" in text and all(code in text for code in codes), text
    top = help_of(capsys=capsys)
    assert summary in top and f"{command} {codes[0]}" in top


def test_faults_lists_its_scenarios(capsys):
    assert main(["faults", "--list"]) == 0
    out = capsys.readouterr().out
    named = [line.split()[0] for line in out.splitlines() if not line.startswith("   ")]
    assert named == [s.name for s in fault_scenarios.SCENARIOS]  # a long name's summary: on the next line
    listed = " ".join(out.split())
    assert all(f"{s.name} {s.summary}" in listed for s in fault_scenarios.SCENARIOS)
    text = help_of("faults", capsys=capsys)
    assert "--list" in text and all(s.name in text for s in fault_scenarios.SCENARIOS)


def test_an_unknown_scenario_is_a_usage_error_before_anything_runs(capsys, monkeypatch):
    monkeypatch.setattr(faults, "main", lambda only: pytest.fail("the suite must not start"))
    with pytest.raises(SystemExit) as exited:
        main(["faults", "rate-limit-burst"])
    assert exited.value.code == Exit.USAGE and "unknown scenario rate-limit-burst" in capsys.readouterr().err


def test_the_command_line_help_exits_0():
    result = subprocess.run(
        [sys.executable, "-m", "lookout", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "exit codes:" in result.stdout and result.stderr == ""
