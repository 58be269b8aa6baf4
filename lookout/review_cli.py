"""`python -m lookout plan|drift`: the review reports, against the stacks' backend or the local sandbox."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import review, stackfile
from .harness import sandbox_process, sandbox_seed
from .harness.workspace import Workspace
from .paths import PULUMI_BIN, REPO, SANDBOX_DIR


def unknown_stack(stacks: list[str]) -> str | None:
    """One line on the first stack without a committed `Pulumi.<stack>.yaml`, naming those that have one
    (`python -m lookout` checks this first; this keeps direct callers from a FileNotFoundError)."""
    for stack in stacks:
        path = stackfile.path_of(stack)
        if not path.exists():
            existing = ", ".join(
                sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in REPO.glob("Pulumi.*.yaml"))
            )
            return f"no stack '{stack}': {path.name} does not exist (stacks: {existing or 'none'})"
    return None


def services(stacks: list[str]) -> dict[str, list[str]]:
    found = {}
    for stack in stacks:
        values = stackfile.lookout_values(stackfile.path_of(stack))
        found[stack] = [str(s.get("name")) for s in values.get("services") or [] if isinstance(s, dict)]
    return found


def render_services(stacks: list[str]) -> dict[str, list[str]]:
    found = {}
    for stack in stacks:
        values = stackfile.lookout_values(stackfile.path_of(stack))
        listed = [s for s in values.get("services") or [] if isinstance(s, dict)]
        found[stack] = [str(s["render_service"]) for s in listed if s.get("render_service")]
    return found


def to_stderr(line: str) -> None:
    print(line, end="", file=sys.stderr, flush=True)


def streamed(
    command: list[str], env: dict[str, str], sink: Callable[[str], None] = to_stderr
) -> subprocess.CompletedProcess[str]:
    """Run `command`, passing each line of its output (stdout and stderr) to `sink` as it comes."""
    lines = []
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            sink(line)
    return subprocess.CompletedProcess(command, process.returncode, "".join(lines), "")


def pulumi_runner(*args: str, stack: str, stream: bool = False) -> subprocess.CompletedProcess[str]:
    """`pulumi` as the user has it set up: their backend, their credentials, the pinned CLI first.
    With `stream`, its output goes to stderr while it runs (and is returned as stdout)."""
    env = {**os.environ, "PATH": f"{PULUMI_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = ["pulumi", *args, "--stack", stack, "--non-interactive"]
    if stream:
        return streamed(command, env)
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)


@contextmanager
def sandbox_runner() -> Iterator[review.Runner]:
    """`pulumi` on the demo's sandbox state (`make demo` first)."""
    from .demo import DEFAULT_PORT, sandbox_settings

    port = int(os.environ.get("LOOKOUT_SANDBOX_PORT", DEFAULT_PORT))
    sandbox = sandbox_process.ensure(SANDBOX_DIR / "sandbox.db", port, SANDBOX_DIR / "sandbox.log")
    prepared: dict[str, Workspace] = {}

    def run(*args: str, stack: str, stream: bool = False) -> subprocess.CompletedProcess[str]:
        if stack not in prepared:
            prepared[stack] = Workspace(SANDBOX_DIR / "pulumi", stack)
            sandbox_seed.seed(sandbox, prepared[stack].prepare(**sandbox_settings(sandbox, stack)))
        workspace = prepared[stack]
        if stream:
            return streamed(workspace.command(*args), workspace.environ())
        return workspace.pulumi(*args, check=False)

    try:
        yield run
    finally:
        sandbox.stop()


@contextmanager
def runner(sandbox: bool) -> Iterator[review.Runner]:
    if sandbox:
        with sandbox_runner() as run:
            yield run
    else:
        yield pulumi_runner


def plan(stacks: list[str], fmt: str, sandbox: bool) -> int:
    """Exit 0: nothing to change; 2: changes; 1: no such stack, or the preview failed."""
    if missing := unknown_stack(stacks):
        print(missing, file=sys.stderr)
        return review.EXIT_ERROR
    with runner(sandbox) as run:
        try:
            text, found = review.report(
                run, stacks, services(stacks), drift=False, fmt=fmt, render_services=render_services(stacks)
            )
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return review.EXIT_ERROR
    print(text)
    return review.EXIT_CHANGES if found else 0


def drift(stacks: list[str], fmt: str, fix: bool, sandbox: bool) -> int:
    """Exit 0: live matches the code, or the stack was never deployed (the report says so); 3: drift
    (after --fix: repaired, 0); 1: no such stack, or the preview or the fix failed. The fix's `pulumi up`
    shows its progress on stderr as it runs."""
    if missing := unknown_stack(stacks):
        print(missing, file=sys.stderr)
        return review.EXIT_ERROR
    with runner(sandbox) as run:
        try:
            text, found = review.report(run, stacks, services(stacks), drift=True, fmt=fmt)
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return review.EXIT_ERROR
        print(text)
        if not found or not fix:
            return review.EXIT_DRIFT if found else 0
        for stack in dict.fromkeys(c.stack for c in found):
            print(f"fixing {stack}: pulumi up --refresh --yes", file=sys.stderr)
            streams = "stream" in inspect.signature(run).parameters  # a runner of ours, not a stand-in
            result = run("up", "--refresh", "--yes", stack=stack, **({"stream": True} if streams else {}))
            if result.returncode != 0:
                if not streams:
                    print(result.stdout + result.stderr, file=sys.stderr)
                print(f"pulumi up failed for {stack} (exit {result.returncode})", file=sys.stderr)
                return review.EXIT_ERROR
    return 0


def adopt(stack: str, write: bool, sandbox: bool) -> int:
    """Dry run unless `write`. Exit 1 when the plan names a Render service that does not exist."""
    from .adopt import adopt as scan

    with runner(sandbox) as run:
        text, rows = scan(run, stack, stackfile.load(stack), write)
    print(text)
    if write:
        print(f"\nrecorded lookout:adopt in the {stack} config; `pulumi preview` shows what comes under code")
    return 1 if any(r.status == "missing" for r in rows) else 0


def recover(stack: str, force: bool, sandbox: bool) -> int:
    """Exit 0 when the stack is usable again, 1 when a lock may belong to a running update."""
    from .recover import file_backend_root
    from .recover import recover as repair

    if sandbox:
        root: Path | None = SANDBOX_DIR / "pulumi" / "backend"
    else:
        whoami = pulumi_runner("whoami", "--json", stack=stack)
        url = os.environ.get("PULUMI_BACKEND_URL") or (
            json.loads(whoami.stdout).get("url") if whoami.stdout else None
        )
        root = file_backend_root(url)
    with runner(sandbox) as run:
        result = repair(run, stack, root, force)
    print(result.summary())
    return 1 if result.refused else 0
