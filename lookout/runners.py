"""How commands run `pulumi`: as the user has it set up, or on the demo's sandbox state (`--sandbox`)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from harness import sandbox_process, sandbox_seed
from harness.paths import PULUMI_BIN, REPO, SANDBOX_DIR
from harness.workspace import Workspace
from transport import Expected

from . import printer, review


def to_stderr(line: str) -> None:
    printer.progress(line)


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
    from harness.sandbox_process import sandbox_port, sandbox_settings

    port = sandbox_port()
    sandbox = sandbox_process.ensure(SANDBOX_DIR / "sandbox.db", port, SANDBOX_DIR / "sandbox.log")
    prepared: dict[str, Workspace] = {}

    def run(*args: str, stack: str, stream: bool = False) -> subprocess.CompletedProcess[str]:
        if stack not in prepared:
            workspace = Workspace(SANDBOX_DIR / "pulumi", stack)
            _same_sandbox(workspace, sandbox.url)
            prepared[stack] = workspace
            sandbox_seed.seed(sandbox, prepared[stack].prepare(**sandbox_settings(sandbox, stack)))
        workspace = prepared[stack]
        if stream:
            return streamed(workspace.command(*args), workspace.environ())
        return workspace.pulumi(*args, check=False)

    try:
        yield run
    finally:
        sandbox.stop()


def _same_sandbox(workspace: Workspace, url: str) -> None:
    """The demo's state must be refreshed against the sandbox it was deployed to: the engine refreshes with
    the endpoints of the last deployment, so another port would only meet closed ones (minutes of retries)."""
    deployed = workspace.deployed_config("uptimerobot:endpoint")
    if deployed and not deployed.startswith(url + "/"):
        recorded = deployed.split("/uptimerobot", 1)[0]
        raise WrongSandbox(
            f"the demo's {workspace.stack} stack was deployed against the sandbox at {recorded}, not {url} "
            f"(LOOKOUT_SANDBOX_PORT={os.environ.get('LOOKOUT_SANDBOX_PORT', '')}): use that port, or run "
            "`make demo` again with this one"
        )


class WrongSandbox(Expected, RuntimeError):
    pass


@contextmanager
def runner(sandbox: bool) -> Iterator[review.Runner]:
    if sandbox:
        with sandbox_runner() as run:
            yield run
    else:
        yield pulumi_runner
