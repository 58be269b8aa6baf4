"""Sandbox workspaces made from a kept stack (harness/workspace.py, StackTemplates): the same stack
and secrets as `stack init` and `config set --secret` give, without running them again."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import workspace as ws

SECRETS = {"uptimerobot:apiKey": "key-one", "sentry:authToken": "token-one"}


@pytest.fixture
def templates(monkeypatch: pytest.MonkeyPatch) -> ws.StackTemplates:
    fresh = ws.StackTemplates()
    monkeypatch.setattr(ws, "TEMPLATES", fresh)
    return fresh


def secret(workspace: ws.Workspace, key: str) -> str:
    return workspace.pulumi("config", "get", key).stdout.strip()


def test_a_copied_workspace_has_the_stack_and_every_secret(templates: ws.StackTemplates, tmp_path: Path):
    first = ws.Workspace(tmp_path / "first", "dev")
    first.prepare({"lookout:environment": "dev"}, SECRETS, inherit=False)
    calls: list[tuple[str, ...]] = []
    second = ws.Workspace(tmp_path / "second", "dev")
    original = second.pulumi

    def counted(*args: str, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    second.pulumi = counted  # type: ignore[method-assign]
    config = second.prepare({"lookout:environment": "prod"}, SECRETS, inherit=False)
    assert calls == []  # no stack init, no config set: the kept stack was copied
    assert config == {"lookout:environment": "prod"}  # the first workspace's plain config is not carried
    assert {key: secret(second, key) for key in SECRETS} == SECRETS
    assert '"name": "dev"' in second.pulumi("stack", "ls", "--json").stdout


def test_a_secret_that_differs_from_the_kept_one_is_encrypted_anew(
    templates: ws.StackTemplates, tmp_path: Path
):
    ws.Workspace(tmp_path / "first", "dev").prepare({}, SECRETS, inherit=False)
    changed = {**SECRETS, "sentry:authToken": "token-two"}
    other = ws.Workspace(tmp_path / "other", "dev")
    other.prepare({}, changed, inherit=False)
    assert {key: secret(other, key) for key in changed} == changed


def test_a_workspace_on_another_backend_is_never_copied(templates: ws.StackTemplates, tmp_path: Path):
    ws.Workspace(tmp_path / "first", "dev").prepare({}, SECRETS, inherit=False)
    remote = ws.Workspace(tmp_path / "remote", "dev", backend=f"file://{tmp_path / 'elsewhere'}")
    (tmp_path / "elsewhere").mkdir()
    remote.prepare({}, SECRETS, inherit=False)
    assert not (tmp_path / "remote" / "backend" / ".pulumi").exists()
    assert (tmp_path / "elsewhere" / ".pulumi" / "stacks" / "lookout" / "dev.json").exists()
