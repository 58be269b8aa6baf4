"""`python -m lookout lint [stacks...] [--format text|json]`: the plan's cross-vendor invariants, checked
from the stack files before any preview.

Every finding names its rule, a severity and the full config key to fix, as the stack file spells it
(`lookout:services[1].health_path`, `sentry:authToken`). A file that does not
validate reports its `config` errors and skips the plan rules; `no-plain-secrets` reads the raw file and
always runs (a leaked key matters more than a typo). The plan items no vendor covers are listed as `info`.
Exit 1 when any file has an error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stacks import inventory, source
from stacks.checks import UNCOVERED, compile_plan
from stacks.plan import Plan
from stacks.validation import ConfigError

from . import lint_limits, lint_owners, printer
from .exits import Exit
from .lint_job import JOB_RULES
from .lint_mutes import MUTE_RULES
from .lint_rules import RULES, Finding, Stack
from .lint_secrets import no_plain_secrets
from .stackfile import path_of

GROUPS = {"error": "errors", "warning": "warnings", "info": "info"}


def lint_file(path: Path) -> list[Finding]:
    try:
        config = source.read_file(path)
    except ConfigError as exc:
        return [Finding("config", "error", "", str(exc).removeprefix(f"{path.name}: "))]
    findings = list(no_plain_secrets(config))
    try:
        plan = source.plan_of(config)
    except ConfigError as exc:
        return config_findings(exc) + findings
    stack = Stack(plan, compile_plan(plan), source.lookout_values(config), config)
    for rule in [*RULES, *JOB_RULES, *MUTE_RULES]:
        findings += rule(stack)
    return findings + [Finding("uncovered", "info", "", f"{item}: {why}") for item, why in UNCOVERED]


def config_findings(exc: ConfigError) -> list[Finding]:
    """`lookout:services[1].url: reason` lines (stacks/validation.py), each reported at that full key."""
    lines = str(exc).splitlines()[1:] or [str(exc)]
    findings = []
    for line in lines:
        where, _, reason = line.strip().partition(": ")
        findings.append(Finding("config", "error", "" if where == "lookout" else where, reason))
    return findings


def report(results: dict[str, list[Finding]], fmt: str) -> str:
    errors = sum(f.severity == "error" for found in results.values() for f in found)
    warnings = sum(f.severity == "warning" for found in results.values() for f in found)
    if fmt == "json":
        files = {
            name: {
                group: [
                    {"rule": f.rule, "path": f.path, "message": f.message} for f in found if f.severity == s
                ]
                for s, group in GROUPS.items()
            }
            for name, found in results.items()
        }
        return json.dumps({"files": files, "errors": errors, "warnings": warnings}, indent=2)
    lines = [
        f"{name}: {f.severity} {f.path + ' ' if f.path else ''}[{f.rule}] {f.message}"
        for name, found in results.items()
        for severity in GROUPS
        for f in found
        if f.severity == severity
    ]
    lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(lines)


def run(stacks: list[str], fmt: str) -> int:
    results: dict[str, list[Finding]] = {}
    valid: dict[str, tuple[Plan, dict[str, Any]]] = {}
    for stack in stacks:
        path = path_of(stack)
        name = stack if path.name != f"Pulumi.{stack}.yaml" else path.name
        results[name] = lint_file(path)
        if not any(f.rule == "config" for f in results[name]):
            config = source.read_file(path)
            plan = source.plan_of(config)
            # One file per environment shares the accounts: another of the same is a variant of that stack.
            if all(other.environment != plan.environment for other, _ in valid.values()):
                valid[name] = (plan, config)
    # The files together, as they share the accounts: what each makes, from the fan-out, once.
    made = {name: inventory.planned_from_file(config) for name, (_, config) in valid.items()}
    together = [
        lint_limits.monitors_fit({name: (plan, made[name]) for name, (plan, _) in valid.items()}),
        lint_owners.one_owner({name: (config, made[name]) for name, (_, config) in valid.items()}),
    ]
    for across in together:
        for name, found in across.items():
            results[name] = found + results[name]
    printer.result(report(results, fmt))
    return Exit.FAILED if any(f.severity == "error" for found in results.values() for f in found) else Exit.OK
