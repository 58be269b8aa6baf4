"""`make demo`: the dev plan deployed with the real engine into the local sandbox, then a no-change check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness import sandbox_process, sandbox_seed
from harness.paths import REPO, SANDBOX_DIR
from harness.sandbox_process import sandbox_port, sandbox_settings
from harness.workspace import PulumiFailed, Workspace

from . import printer
from .exits import Exit

STACKS = ("dev", "prod")  # what `make demo` deploys
PYTHON = ".venv/bin/python" if (REPO / ".venv" / "bin" / "python").exists() else "python"


def step(title: str) -> None:
    printer.result(f"\n=== {title}")


def run(stacks: Sequence[str] = STACKS) -> int:
    port = sandbox_port()
    step(f"sandbox on 127.0.0.1:{port} (state in {SANDBOX_DIR})")
    sandbox = sandbox_process.ensure(SANDBOX_DIR / "sandbox.db", port, SANDBOX_DIR / "sandbox.log")
    printer.result(sandbox.url)
    try:
        for stack in stacks:
            if not deploy(sandbox, stack):
                return Exit.FAILED
    except PulumiFailed as exc:
        printer.problem(exc)
        return Exit.FAILED
    finally:
        stopped = sandbox.process is not None  # a sandbox that was already running is left running
        sandbox.stop()
    printer.result(ending(stacks, stopped))
    return Exit.OK


def deploy(sandbox: sandbox_process.SandboxProcess, stack: str) -> bool:
    """Up, outputs, a no-change preview; False when a request of it broke a vendor's official spec."""
    workspace = Workspace(SANDBOX_DIR / "pulumi", stack)
    sandbox_seed.seed(sandbox, workspace.prepare(**sandbox_settings(sandbox, stack)))
    sandbox.control("DELETE", "/violations")  # this run's requests are judged, not an earlier one's
    step(f"pulumi up --yes --stack {stack}")
    printer.result(workspace.pulumi("up", "--yes").stdout)
    step(f"pulumi stack output --stack {stack}")
    printer.result(workspace.pulumi("stack", "output", "--json").stdout)
    step(f"pulumi preview --expect-no-changes --stack {stack} (a second run must change nothing)")
    printer.result(workspace.pulumi("preview", "--expect-no-changes").stdout)
    step(f"requests of the {stack} run that broke a vendor's official spec (sandbox/contract.py)")
    violations = sandbox.control("GET", "/violations").json()
    printer.result(f"{violations['total']} contract violation(s)")
    for item in violations["items"]:
        problems = "; ".join(item["problems"])
        printer.result(f"  {item['vendor']} {item['method']} {item['path']}: {problems}")
    return not violations["total"]


def try_next(stacks: Sequence[str]) -> list[tuple[str, str]]:
    """(command, what it shows) to run after a successful demo; each works on the state it leaves."""
    first = stacks[0]
    drills = [
        (
            f"drill {stack} --sandbox" + (" --yes" if stack == "prod" else ""),
            "a marked test through every alert route, confirmed"
            + (" (dev never pages)" if stack == "dev" else ": the person on call is paged"),
        )
        for stack in stacks
    ]
    return [
        (f"plan {first} --sandbox", "what `pulumi up` would change: nothing yet (exit 0; 2 after an edit)"),
        (f"drift {first} --sandbox", "live settings vs the code, after a refresh (exit 0: no drift)"),
        *drills,
        (
            f"watch {first} --sandbox --once",
            "the system-health job once (its cron job is deployed): database, CPU, memory; exit 0 healthy",
        ),
        (
            f"gameday {first} --sandbox",
            "each alert's failure caused on a stand-in app: who is told, how soon (minutes)",
        ),
        ("lint", "the cross-vendor invariants of the dev and prod plans"),
        ("catalog --out catalog", "every alert, threshold and who hears it: catalog/alert-catalog.html"),
        ("faults --list", "the fault-injection scenarios (`make faults` runs them; minutes each)"),
        ("--help", "every command, with its exit codes"),
    ]


def _shown(path: Path) -> Path:
    return path.relative_to(REPO) if path.is_relative_to(REPO) else path


def ending(stacks: Sequence[str], stopped: bool) -> str:
    where = "stopped; the --sandbox commands restart it" if stopped else "still running (it was before)"
    plans = f"the {' and '.join(stacks)} plan{'s were' if len(stacks) > 1 else ' was'}"
    lines = [
        f"\n=== done: {plans} deployed into the sandbox, and a second preview of each reports no changes",
        f"Its state is kept in {_shown(SANDBOX_DIR)}/; the sandbox process is {where}.",
        "",
        "Try next:",
    ]
    width = max(len(command) for command, _ in try_next(stacks))
    lines += [f"  {PYTHON} -m lookout {command:<{width}}  # {what}" for command, what in try_next(stacks)]
    return "\n".join(lines)
