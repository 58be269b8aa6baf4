"""`lookout adopt --write` records what it matched in the stack's config with the real CLI's `config
set-all --path` (one run for every id), and a key that `set-all` would split keeps its own `config set`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from harness.paths import PULUMI_BIN, REPO
from lookout.adopt import record


def test_every_id_lands_in_the_adopt_map_in_one_run_where_it_can(tmp_path: Path):
    shutil.copy(REPO / "Pulumi.yaml", tmp_path)
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": f"file://{tmp_path}",
        "PULUMI_CONFIG_PASSPHRASE": "test",
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
    }
    runs: list[list[str]] = []

    def runner(*args: str, stack: str) -> subprocess.CompletedProcess[str]:
        runs.append(list(args[:2]))
        command = [str(PULUMI_BIN / "pulumi"), *args, "--stack", stack, "--non-interactive"]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=True)

    init = [str(PULUMI_BIN / "pulumi"), "stack", "init", "dev", "--non-interactive"]
    subprocess.run(init, cwd=tmp_path, env=env, capture_output=True, check=True)
    adopted = {"uptime:backend": "801", "contact:ops@x.test": "12", "contact:a=b@x.test": "13"}
    record(runner, "dev", adopted)

    assert runs == [["config", "set-all"], ["config", "set"]]
    shown = json.loads(runner("config", "get", "lookout:adopt", "--json", stack="dev").stdout)
    assert {key: str(value) for key, value in shown["objectValue"].items()} == adopted
