"""The GitHub workflows are valid YAML and call only commands and targets that exist."""

from __future__ import annotations

import re
import shlex

import pytest
import yaml

from lookout.__main__ import build_parser
from lookout.paths import REPO

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


def test_prod_deploys_need_approval():
    deploy = yaml.safe_load((REPO / ".github/workflows/deploy.yml").read_text())
    assert "production" in deploy["jobs"]["deploy"]["environment"]
