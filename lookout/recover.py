"""`python -m lookout recover STACK`: make a stack usable again after a `pulumi up` was killed (issue #7).

A killed run can leave three things behind:
1. on a file backend, a zero-byte `.attrs` sidecar beside the checkpoint (the blob library writes it
   after the blob), after which every command fails with "failed to load checkpoint: EOF";
2. the stack's lock ("the stack is currently locked by 1 lock(s)");
3. pending operations in the checkpoint (creates the engine started but never saw finish).

Recover repairs 1, removes 2 only when every holder is a process of this host that no longer runs (or with
`--force`), and clears 3 with a refresh. The next `pulumi up` creates what is missing; an object that an
interrupted create did make is taken over, not duplicated (providers/claims.py).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from harness.paths import SANDBOX_DIR

from . import printer
from .exits import Exit
from .review import Runner
from .runners import pulumi_runner, runner

PROJECT = "lookout"


@dataclass
class Recovery:
    repaired: list[str] = field(default_factory=list)
    locks_removed: int = 0
    pending_cleared: int = 0
    refused: str | None = None

    def summary(self) -> str:
        if self.refused:
            return f"not recovered: {self.refused}"
        return (
            f"repaired {len(self.repaired)} metadata file(s), removed {self.locks_removed} stale lock(s), "
            f"cleared {self.pending_cleared} pending operation(s); now run `pulumi up`"
        )


def file_backend_root(url: str | None) -> Path | None:
    """The directory of a `file://` backend URL; None for other backends."""
    if not url or not url.startswith("file://"):
        return None
    return Path(unquote(urlsplit(url).path))


def repair_sidecars(root: Path) -> list[str]:
    """Remove zero-byte `.attrs` sidecars (blob metadata; an absent one is read as empty, a truncated one
    is an error)."""
    repaired = []
    for sidecar in sorted((root / ".pulumi").rglob("*.attrs")):
        if sidecar.stat().st_size == 0:
            sidecar.unlink()
            repaired.append(str(sidecar.relative_to(root)))
    return repaired


def lock_holders(root: Path, stack: str) -> list[dict[str, object]]:
    return [
        json.loads(path.read_text() or "{}")
        for path in sorted((root / ".pulumi" / "locks").glob(f"*/{PROJECT}/{stack}/*.json"))
    ]


def is_stale(holder: dict[str, object]) -> bool:
    """A lock is stale when its holder ran on this host and is gone."""
    if holder.get("hostname") != socket.gethostname():
        return False
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def pending_operations(run: Runner, stack: str) -> int:
    exported = run("stack", "export", stack=stack)
    if exported.returncode != 0:
        raise RuntimeError(
            f"`pulumi stack export` failed: {exported.stderr.strip() or exported.stdout.strip()}"
        )
    return len(json.loads(exported.stdout).get("deployment", {}).get("pending_operations") or [])


def recover(run: Runner, stack: str, backend_root: Path | None, force: bool = False) -> Recovery:
    result = Recovery()
    if backend_root is not None:
        result.repaired = repair_sidecars(backend_root)
        holders = lock_holders(backend_root, stack)
        live = [h for h in holders if not is_stale(h)]
        if live and not force:
            who = ", ".join(f"{h.get('username')}@{h.get('hostname')} (pid {h.get('pid')})" for h in live)
            result.refused = f"the stack is locked by a run that may still be going: {who}; use --force"
            return result
        if holders:
            run("cancel", "--yes", stack=stack)
            result.locks_removed = len(holders)
    elif force:
        run("cancel", "--yes", stack=stack)  # a remote backend: its locks are not ours to inspect
    pending = pending_operations(run, stack)
    if pending:
        refreshed = run("refresh", "--clear-pending-creates", "--yes", "--skip-preview", stack=stack)
        if refreshed.returncode != 0:
            result.refused = f"refresh failed: {refreshed.stderr.strip() or refreshed.stdout.strip()[-500:]}"
            return result
        result.pending_cleared = pending - pending_operations(run, stack)
    return result


def command(stack: str, force: bool, sandbox: bool) -> int:
    """Exit 0 when the stack is usable again, 1 when a lock may belong to a running update."""
    if sandbox:
        root: Path | None = SANDBOX_DIR / "pulumi" / "backend"
    else:
        whoami = pulumi_runner("whoami", "--json", stack=stack)
        url = os.environ.get("PULUMI_BACKEND_URL") or (
            json.loads(whoami.stdout).get("url") if whoami.stdout else None
        )
        root = file_backend_root(url)
    with runner(sandbox) as run:
        result = recover(run, stack, root, force)
    printer.result(result.summary())
    return Exit.FAILED if result.refused else Exit.OK
