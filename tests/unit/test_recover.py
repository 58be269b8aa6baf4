"""`lookout recover`: what a killed `pulumi up` leaves in a file backend, and what recover does about it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

from lookout.recover import file_backend_root, recover

STACK = "dev"


def backend(tmp_path: Path, holder_pid: int, host: str | None = None) -> Path:
    stacks = tmp_path / ".pulumi" / "stacks" / "lookout"
    stacks.mkdir(parents=True)
    (stacks / "dev.json").write_text("{}")
    (stacks / "dev.json.attrs").write_text("")  # truncated by the kill
    (stacks / "dev.json.bak.attrs").write_text('{"md5": "x"}')
    locks = tmp_path / ".pulumi" / "locks" / "organization" / "lookout" / STACK
    locks.mkdir(parents=True)
    holder = {"pid": holder_pid, "username": "ci", "hostname": host or socket.gethostname()}
    (locks / "lock.json").write_text(json.dumps(holder))
    return tmp_path


class Runner:
    def __init__(self, pending: list[int]) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.pending = pending  # pending operations reported by successive exports

    def __call__(self, *args: str, stack: str) -> subprocess.CompletedProcess[str]:
        self.calls.append(args)
        out: dict[str, Any] = {}
        if args[:2] == ("stack", "export"):
            out = {"deployment": {"pending_operations": [{}] * self.pending.pop(0)}}
        return subprocess.CompletedProcess(list(args), 0, json.dumps(out), "")


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_killed_run_is_repaired_unlocked_and_its_pending_creates_cleared(tmp_path: Path):
    root = backend(tmp_path, dead_pid())
    run = Runner(pending=[3, 0])
    result = recover(run, STACK, root)
    assert result.refused is None
    assert result.repaired == [".pulumi/stacks/lookout/dev.json.attrs"]
    assert (root / ".pulumi/stacks/lookout/dev.json.bak.attrs").exists()  # intact sidecars stay
    assert (result.locks_removed, result.pending_cleared) == (1, 3)
    assert ("cancel", "--yes") in run.calls
    assert ("refresh", "--clear-pending-creates", "--yes", "--skip-preview") in run.calls


def test_a_lock_whose_holder_may_still_run_is_left_alone(tmp_path: Path):
    for holder in (os.getpid(), dead_pid()):
        root = backend(tmp_path / str(holder), holder, host=None if holder == os.getpid() else "ci-runner-7")
        run = Runner(pending=[0])
        result = recover(run, STACK, root)
        assert result.refused and "use --force" in result.refused
        assert ("cancel", "--yes") not in run.calls
        forced = recover(Runner(pending=[0]), STACK, root, force=True)
        assert forced.refused is None and forced.locks_removed == 1


def test_only_file_backends_are_inspected():
    assert file_backend_root("file:///tmp/state%20dir") == Path("/tmp/state dir")
    assert file_backend_root("s3://bucket/prefix") is None
    assert file_backend_root(None) is None
