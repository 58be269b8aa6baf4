"""`--sandbox` commands refuse, in one line and at once, a sandbox other than the one the demo's state was
deployed to: the engine refreshes with the endpoints of the last deployment (issue #30)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.workspace import Workspace
from lookout import runners


def deployed(state_dir: Path, endpoint: str) -> Workspace:
    stacks = state_dir / "backend" / ".pulumi" / "stacks" / "lookout"
    stacks.mkdir(parents=True)
    provider = {
        "urn": "urn:pulumi:dev::lookout::pulumi:providers:pulumi-python::default",
        "inputs": {"uptimerobot:endpoint": endpoint, "lookout:environment": "dev"},
    }
    state = {"checkpoint": {"latest": {"resources": [{"urn": "urn:pulumi:dev::lookout::x"}, provider]}}}
    (stacks / "dev.json").write_text(json.dumps(state))
    return Workspace(state_dir, "dev")


def test_the_sandbox_the_state_was_deployed_to_is_used(tmp_path: Path):
    workspace = deployed(tmp_path, "http://127.0.0.1:18765/uptimerobot/v3")
    assert workspace.deployed_config("uptimerobot:endpoint") == "http://127.0.0.1:18765/uptimerobot/v3"
    runners._same_sandbox(workspace, "http://127.0.0.1:18765")  # no complaint


def test_another_port_is_one_clear_refusal(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("LOOKOUT_SANDBOX_PORT", "18865")
    workspace = deployed(tmp_path, "http://127.0.0.1:18765/uptimerobot/v3")
    with pytest.raises(runners.WrongSandbox) as refused:
        runners._same_sandbox(workspace, "http://127.0.0.1:18865")
    assert str(refused.value) == (
        "the demo's dev stack was deployed against the sandbox at http://127.0.0.1:18765, not "
        "http://127.0.0.1:18865 (LOOKOUT_SANDBOX_PORT=18865): use that port, or run `make demo` again with "
        "this one"
    )


def test_a_stack_never_deployed_has_nothing_to_refuse(tmp_path: Path):
    runners._same_sandbox(Workspace(tmp_path, "dev"), "http://127.0.0.1:18865")
