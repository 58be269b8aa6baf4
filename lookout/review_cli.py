"""`python -m lookout plan|drift`: the review reports, against the stacks' backend or the local sandbox."""

from __future__ import annotations

import inspect

from harness.paths import REPO

from . import printer, review, review_reads, stack_values, stackfile
from .exits import Exit
from .runners import runner


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
    return service_field(stacks, "name")


def service_field(stacks: list[str], field: str) -> dict[str, list[str]]:
    """Per stack, `field` of each service its file declares (where set)."""
    found = {}
    for stack in stacks:
        values = stackfile.lookout_values(stackfile.path_of(stack))
        listed = [s for s in values.get("services") or [] if isinstance(s, dict)]
        found[stack] = [str(s[field]) for s in listed if s.get(field)]
    return found


def plan(stacks: list[str], fmt: str, sandbox: bool) -> int:
    """Exit 0: nothing to change; 2: changes; 1: no such stack, a name the accounts do not have, or the
    preview failed."""
    if missing := unknown_stack(stacks):
        printer.problem(missing)
        return Exit.FAILED
    with runner(sandbox) as run:
        try:
            for stack in stacks:  # read-only, before any preview (lookout/review_reads.py)
                wrong = review_reads.problems(stackfile.load(stack), stack_values.config(run, stack))
                if wrong:
                    lines = "\n  ".join(wrong)
                    printer.problem(f"lookout plan: {stack} names what its accounts do not have:\n  {lines}")
                    return Exit.FAILED
            text, found = review.report(run, stacks, services(stacks), drift=False, fmt=fmt)
        except RuntimeError as exc:
            printer.problem(exc)
            return Exit.FAILED
    printer.result(text)
    return Exit.CHANGES if found else 0


def drift(stacks: list[str], fmt: str, fix: bool, sandbox: bool) -> int:
    """Exit 0: live matches the code, or the stack was never deployed (the report says so); 3: drift
    (after --fix: repaired, 0); 1: no such stack, or the preview or the fix failed. The fix's `pulumi up`
    shows its progress on stderr as it runs."""
    if missing := unknown_stack(stacks):
        printer.problem(missing)
        return Exit.FAILED
    with runner(sandbox) as run:
        try:
            text, found = review.report(run, stacks, services(stacks), drift=True, fmt=fmt)
        except RuntimeError as exc:
            printer.problem(exc)
            return Exit.FAILED
        printer.result(text)
        if not found or not fix:
            return Exit.DRIFT if found else 0
        for stack in dict.fromkeys(c.stack for c in found):
            printer.progress(f"fixing {stack}: pulumi up --refresh --yes")
            streams = "stream" in inspect.signature(run).parameters  # a runner of ours, not a stand-in
            result = run("up", "--refresh", "--yes", stack=stack, **({"stream": True} if streams else {}))
            if result.returncode != 0:
                if not streams:
                    printer.progress(result.stdout + result.stderr)
                printer.problem(f"pulumi up failed for {stack} (exit {result.returncode})")
                return Exit.FAILED
    return Exit.OK
