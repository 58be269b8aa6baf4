"""`plan` and `drift`: readable change and drift reports from `pulumi preview --json`.

Dynamic providers give the engine no detailed diff, so the reports compare each resource's old and new
*inputs* themselves, normalised the way the providers' own diffs are (numbers, unordered lists), so that
ordering and server-side normalisation never show up as changes. Secrets arrive masked as "[secret]".
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from providers.base import SpecProvider
from providers.normalize import canon, equivalent
from providers.render import resources as _render  # noqa: F401 (registers the Render specs)
from providers.sentry import resources as _sentry  # noqa: F401
from providers.spec import ResourceSpec
from providers.uptimerobot import resources as _uptimerobot  # noqa: F401

Runner = Callable[..., "subprocess.CompletedProcess[str]"]
FIRST = {"replace": 0, "delete": 1, "update": 2, "create": 3}  # replacements and deletions first
SKIPPED_OPS = {"same", "refresh", "read", "create-replacement", "delete-replaced", "discard"}
EXIT_CHANGES, EXIT_DRIFT, EXIT_ERROR = 2, 3, 1


@dataclass
class Change:
    stack: str
    op: str
    kind: str  # e.g. uptimerobot:Monitor
    name: str
    service: str | None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)


def specs() -> dict[str, ResourceSpec[Any]]:
    return {cls.spec.kind: cls.spec for cls in SpecProvider.__subclasses__()}


def kind_of(type_token: str) -> str:
    """`pulumi-python:dynamic/uptimerobot:Monitor` → `uptimerobot:Monitor`."""
    return type_token.rsplit("/", 1)[-1]


def field_changes(
    spec: ResourceSpec[Any] | None, old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    names = list(spec.compared_fields()) if spec else sorted((set(old) | set(new)) - {"__provider"})
    unordered = spec.unordered if spec else frozenset()
    return [
        (name, old.get(name), new.get(name))
        for name in names
        if not equivalent(old.get(name), new.get(name), name in unordered)
    ]


def service_of(name: str, services: list[str]) -> str | None:
    return next((s for s in sorted(services, key=len, reverse=True) if s in name), None)


def changes(digest: dict[str, Any], stack: str, services: list[str]) -> list[Change]:
    known = specs()
    found = []
    for step in digest.get("steps") or []:
        op = step.get("op", "")
        state = step.get("newState") or step.get("oldState") or {}
        if op in SKIPPED_OPS or not state.get("custom"):
            continue  # the stack and components hold nothing to review
        kind = kind_of(state.get("type", ""))
        name = step["urn"].rsplit("::", 1)[-1]
        old = (step.get("oldState") or {}).get("inputs") or {}
        new = (step.get("newState") or {}).get("inputs") or {}
        fields = [] if op == "delete" else field_changes(known.get(kind), old, new)
        if op == "update" and not fields:
            # The provider's diff (which sees plaintext) found a change that the masked JSON cannot show.
            fields = [("(secret value)", "[secret]", "[secret]")]
        found.append(Change(stack, op, kind, name, service_of(name, services), fields))
    return sorted(found, key=lambda c: (c.stack, FIRST.get(c.op, 9), c.service or "~", c.kind, c.name))


def show(value: Any) -> str:
    text = json.dumps(canon(value), sort_keys=True) if value is not None else "—"
    return text if len(text) <= 80 else text[:77] + "..."


PLAN_WORDS = {"replace": "replace", "delete": "delete", "update": "update", "create": "create"}
DRIFT_WORDS = {
    "replace": "drifted (replace)",
    "delete": "delete",
    "update": "drifted",
    "create": "deleted outside",
}


def markdown(title: str, found: list[Change], stacks: list[str], words: dict[str, str], columns: str) -> str:
    lines = [f"# {title}", ""]
    for stack in stacks:
        mine = [c for c in found if c.stack == stack]
        counts = [
            f"{sum(1 for c in mine if c.op == op)} {words[op]}"
            for op in FIRST
            if any(c.op == op for c in mine)
        ]
        lines += [f"## {stack}: {', '.join(counts) or 'no changes'}", ""]
        for service in dict.fromkeys(c.service for c in mine):
            lines += [
                f"### {service or 'environment-wide'}",
                "",
                f"| | resource | field | {columns} |",
                "|---|---|---|---|---|",
            ]
            for c in (c for c in mine if c.service == service):
                rows = c.fields or [("", None, None)]
                for i, (name, before, after) in enumerate(rows):
                    head = f"**{words.get(c.op, c.op)}** | `{c.kind}` {c.name}" if i == 0 else " | "
                    lines.append(f"| {head} | {name} | {show(before)} | {show(after)} |")
            lines.append("")
    return "\n".join(lines)


def preview(runner: Runner, stack: str, refresh: bool) -> dict[str, Any]:
    args = ["preview", "--json", *(["--refresh"] if refresh else [])]
    result = runner(*args, stack=stack)
    if not result.stdout.strip().startswith("{"):
        raise RuntimeError(f"pulumi preview failed for {stack}:\n{result.stdout}{result.stderr}".strip())
    digest: dict[str, Any] = json.loads(result.stdout)
    errors = [d["message"] for d in digest.get("diagnostics") or [] if d.get("severity") == "error"]
    if errors:
        raise RuntimeError(f"pulumi preview failed for {stack}: {' '.join(errors)}")
    return digest


def report(
    runner: Runner, stacks: list[str], services: dict[str, list[str]], *, drift: bool, fmt: str
) -> tuple[str, list[Change]]:
    """The change (or, with `drift`, the refresh) report of `stacks`, as Markdown or JSON."""
    found: list[Change] = []
    for stack in stacks:
        found += changes(preview(runner, stack, refresh=drift), stack, services.get(stack, []))
    words = DRIFT_WORDS if drift else PLAN_WORDS
    if fmt == "json":
        items = [{**asdict(c), "verb": words.get(c.op, c.op)} for c in found]
        return json.dumps({"drift" if drift else "changes": items}, indent=2, sort_keys=True), found
    if drift:
        return markdown(
            "Drift: live settings that differ from the code", found, stacks, words, "live | declared"
        ), found
    return markdown("Planned changes", found, stacks, words, "before | after"), found
