"""The GitHub workflows are valid YAML and call only commands and targets that exist."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
import yaml

from harness.paths import REPO
from lookout.__main__ import build_parser, main
from lookout.exits import MEANINGS, Exit

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))


def run_lines(workflow: dict) -> list[str]:
    lines = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            lines += [line.strip() for line in step.get("run", "").splitlines() if line.strip()]
    return lines


def test_the_three_workflows_exist():
    assert {w.stem for w in WORKFLOWS} == {"preview", "drift", "deploy"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.stem)
def test_workflow_is_valid_and_calls_real_commands(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow["jobs"] and (True in workflow or "on" in workflow)  # YAML reads `on:` as True
    makefile = (REPO / "Makefile").read_text()
    parser = build_parser()
    for line in run_lines(workflow):
        line = re.sub(r"\$\{\{[^}]*\}\}", "dev", line.split("#")[0]).split(">")[0].strip()
        if line.startswith("make "):
            for target in line.split()[1:]:
                assert re.search(rf"^{target}:", makefile, re.M), f"{path.name}: no make target {target}"
        if ".venv/bin/python -m lookout" in line:
            args = shlex.split(line.split("-m lookout", 1)[1])
            parser.parse_args(args)  # exits (fails the test) on an unknown command or flag


def step(workflow: str, step_id: str) -> dict:
    steps = yaml.safe_load((REPO / f".github/workflows/{workflow}.yml").read_text())["jobs"]
    return next(s for job in steps.values() for s in job["steps"] if s.get("id") == step_id)


@pytest.mark.parametrize("code", list(Exit))
def test_the_preview_workflow_posts_a_plan_only_for_lookouts_plan_results(code: Exit, tmp_path):
    """The plan step passes for 0 (nothing to change) and 2 (changes) alone: a failed preview or a usage
    error (a mistyped command) fails it instead of posting a plan."""
    script = step("preview", "plan")["run"]
    assert script.count(".venv/bin/python -m lookout plan") == 1
    stubbed = re.sub(r"\.venv/bin/python -m lookout plan[^>\n]*", f"(exit {int(code)}) ", script)
    ran = subprocess.run(["bash", "-c", stubbed], cwd=tmp_path, capture_output=True, check=False)
    assert (ran.returncode == 0) == (code in (Exit.OK, Exit.CHANGES))


def test_the_drift_workflow_opens_an_issue_on_drift_and_fails_on_anything_but_no_drift():
    workflow = (REPO / ".github/workflows/drift.yml").read_text()
    compared = re.findall(r"steps\.drift\.outputs\.code (==|!=) '(\d+)'", workflow)
    assert ("==", str(int(Exit.DRIFT))) in compared  # the tracking issue
    assert ("!=", str(int(Exit.OK))) in compared  # the failure
    assert {code for _, code in compared} <= {str(int(c)) for c in Exit}


def test_a_mistyped_command_exits_with_the_usage_code_that_no_result_uses(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["plann", "dev"])
    assert exited.value.code == Exit.USAGE
    assert "invalid choice: 'plann'" in capsys.readouterr().err
    results = {code for meanings in MEANINGS.values() for code in meanings}
    assert Exit.USAGE not in results
    with pytest.raises(SystemExit) as exited:
        main(["plan", "dev", "--formt", "json"])
    assert exited.value.code == Exit.USAGE


def test_prod_deploys_need_approval():
    deploy = yaml.safe_load((REPO / ".github/workflows/deploy.yml").read_text())
    assert "production" in deploy["jobs"]["deploy"]["environment"]
