"""Every bad stack file of the corpus is refused by `lookout lint` naming what to fix, without a traceback;
the commands that read stack files give one clear line for the shapes the engine cannot load."""

from __future__ import annotations

from pathlib import Path

import pytest

from lookout import lint
from lookout.__main__ import main
from tests import preview_model
from tests.bad_stacks import CORPUS, Case, committed


def test_the_corpus_has_at_least_sixty_distinct_files():
    assert len(CORPUS) >= 60
    assert len({c.name for c in CORPUS}) == len(CORPUS)
    assert len({c.text() for c in CORPUS}) == len(CORPUS)  # no edit is a no-op


@pytest.mark.parametrize("bad", [c for c in CORPUS if c.lint], ids=lambda c: c.name)
def test_lint_refuses_each_bad_file_naming_what_to_fix(bad: Case, tmp_path: Path, capsys):
    path = bad.write(tmp_path)
    assert lint.run([str(path)], "text") == 1
    out = capsys.readouterr()
    text = out.out + out.err
    # lint prints `PATH [rule] message`, the engine `PATH: message`: each part must be there
    assert all(part in text for part in bad.expect.split(": ")), text
    assert "Traceback" not in text
    if bad.secret:
        assert bad.secret not in text


def test_the_committed_plan_passes_the_preview_model():
    assert preview_model.refusals(committed()) == []


@pytest.mark.parametrize("bad", [c for c in CORPUS if c.raw is None], ids=lambda c: c.name)
def test_the_preview_refuses_each_loadable_bad_file_naming_what_to_fix(bad: Case):
    """Through the project's program as `pulumi preview` runs it (tests/preview_model.py); the real CLI
    runs a handful in tests/e2e/test_bad_input.py."""
    refused = "\n".join(preview_model.refusals(bad.config()))
    assert bad.expect in refused
    assert not bad.secret or bad.secret not in refused


@pytest.mark.parametrize("bad", [c for c in CORPUS if c.raw is not None], ids=lambda c: c.name)
@pytest.mark.parametrize("command", ["plan", "drift", "adopt", "catalog"])
def test_commands_refuse_a_file_the_engine_could_not_load_in_one_line(
    bad: Case, command: str, tmp_path: Path, capsys
):
    path = bad.write(tmp_path)
    args = [command, str(path)] + (["--out", str(tmp_path / "out")] if command == "catalog" else [])
    assert main(args) == 1
    err = capsys.readouterr().err
    assert bad.expect in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 5  # the header and one line per problem


@pytest.mark.parametrize("bad", [c for c in CORPUS if c.raw is not None][:5], ids=lambda c: c.name)
def test_recover_refuses_an_unreadable_stack_file_before_touching_state(bad: Case, tmp_path: Path, capsys):
    assert main(["recover", str(bad.write(tmp_path))]) == 1
    err = capsys.readouterr().err
    assert bad.expect in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["plan", "drift", "adopt", "recover"])
def test_a_misspelt_stack_is_named_with_the_stacks_there_before_anything_runs(command: str, capsys):
    assert main([command, "prdo"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"lookout {command}: Pulumi.prdo.yaml: no stack file (stacks here: dev, prod)"
    )
