"""`plan` and `drift`: readable change and drift reports from `pulumi preview --json`.

Dynamic providers give the engine no detailed diff, so the reports compare each resource's old and new
*inputs* themselves, normalised the way the providers' own diffs are (numbers, unordered lists), so that
ordering and server-side normalisation never show up as changes. Secrets arrive masked as "[secret]".

Values the preview cannot know yet show as "(known after apply)". The engine predicts a change wherever an
input takes an output of a resource that is itself being updated: dynamic providers cannot preview an update,
so all of that resource's outputs are unknown, and a dependent whose replace-on field takes one (a DSN key's
`project`) is predicted as a replacement that `pulumi up` never does. The report settles such a value to the
old one when every resource it depends on keeps it: unchanged, or updated in place and the output is an id
or an input the update leaves alone (`settle`). Outputs of created or replaced resources stay unknown.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from providers import registry
from providers.normalize import equivalent
from providers.spec import ResourceSpec
from stacks import inventory
from stacks.validation import ConfigError

from . import stackfile
from .review_leaves import leaves
from .review_values import KNOWN_AFTER_APPLY as KNOWN_AFTER_APPLY  # the report says it in its rows
from .review_values import contains_unknown, is_unknown, readable, show, summary

Runner = Callable[..., "subprocess.CompletedProcess[str]"]
FIRST = {"replace": 0, "delete": 1, "update": 2, "create": 3}  # replacements and deletions first
SKIPPED_OPS = {"same", "refresh", "read", "create-replacement", "delete-replaced", "discard"}
SECRET = "[secret]"
# Created and deleted resources are summarised in one line: by their spec's natural key, then the fields
# that describe them (`ResourceSpec.natural_key`, `described_by`), never secret ones; a kind Lookout does
# not manage by the first of these generic fields it has.
GENERIC_KEY_FIELDS = ("name", "url", "slug", "key", "type", "service")
SUMMARY_FIELDS = 2  # at most this many key fields in a summary line


@dataclass
class Change:
    stack: str
    op: str
    kind: str  # e.g. uptimerobot:Monitor
    name: str
    service: str | None
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)
    verb: str = ""  # instead of the op's word, e.g. a spec's `muted` phrase
    check: str = ""  # the catalog check the resource serves (`uptime:backend`), if one


@dataclass
class Settled:
    """What one step of the preview does, once the report has settled the values it could."""

    op: str
    changed: set[str]
    inputs: frozenset[str]
    outputs: dict[str, Any]  # the old outputs, and the id


specs = registry.specs
kind_of = registry.kind_of


def field_changes(
    spec: ResourceSpec[Any] | None, old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    names = list(spec.compared_fields()) if spec else sorted((set(old) | set(new)) - {"__provider"})
    unordered = spec.unordered if spec else frozenset()
    if spec:  # state and `check` leave out what is at its default
        old, new = spec.completed(old), spec.completed(new)
    return [
        (name, old.get(name), new.get(name))
        for name in names
        if not equivalent(old.get(name), new.get(name), name in unordered)
        and not (spec and spec.left_to_api(name, new.get(name)))  # as the provider's diff has it
    ]


def key_fields(spec: ResourceSpec[Any] | None, kind: str, inputs: dict[str, Any]) -> list[tuple[str, Any]]:
    secret = spec.secret_fields if spec else frozenset()
    inputs = spec.completed(inputs) if spec else inputs
    names = (spec.natural_key + spec.described_by) if spec else GENERIC_KEY_FIELDS
    shown = [(n, inputs[n]) for n in names if n not in secret and inputs.get(n) not in (None, "", SECRET)]
    return [(n, readable(v)) for n, v in shown[:SUMMARY_FIELDS]]


def service_of(name: str, services: list[str]) -> str | None:
    return next((s for s in sorted(services, key=len, reverse=True) if s in name), None)


def keeps(settled: Settled, name: str) -> bool:
    """Whether output `name` of a resource keeps its old value through what the resource does."""
    if settled.op == "same":
        return True
    if settled.op != "update":
        return False  # created, replaced, deleted: new values
    if name in settled.inputs:
        return name not in settled.changed
    return name == "id" or name.endswith("_id")  # identities survive an in-place update


def _kept(value: Any, upstream: list[Settled]) -> bool:
    return any(v == value and keeps(u, n) for u in upstream for n, v in u.outputs.items())


def settle(new: Any, old: Any, upstream: list[Settled]) -> tuple[Any, bool]:
    """`new` with each unknown part replaced by the old value there, and whether every replaced part is
    sure to keep that value: every resource it depends on keeps an output equal to it."""
    if is_unknown(new):
        # A list built from several outputs (a dashboard's project ids) is unknown as a whole while any of
        # them is: it keeps its value when each of its items is an output that keeps its own.
        items = old if isinstance(old, list) and old else [old]
        sure = (
            old is not None
            and bool(upstream)
            and all(u.op in ("same", "update") for u in upstream)
            and (_kept(old, upstream) or all(_kept(item, upstream) for item in items))
        )
        return old, sure
    if isinstance(new, dict):
        fields = old if isinstance(old, dict) else {}
        parts = {k: settle(v, fields.get(k), upstream) for k, v in new.items()}
        return {k: v for k, (v, _) in parts.items()}, all(sure for _, sure in parts.values())
    if isinstance(new, list):
        listed = old if isinstance(old, list) else []
        items = [settle(v, listed[i] if i < len(listed) else None, upstream) for i, v in enumerate(new)]
        return [v for v, _ in items], all(sure for _, sure in items)
    return new, True


def normalised(spec: ResourceSpec[Any] | None, inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs as the provider's `check` would return them (it returns them unchecked while any is unknown)."""
    if spec is None:
        return inputs
    model, failures = spec.validate({k: v for k, v in inputs.items() if not k.startswith("__")})
    return spec.dump(model) if model is not None and not failures else inputs


def predicted(
    step: dict[str, Any], spec: ResourceSpec[Any] | None, settled: dict[str, Settled]
) -> tuple[str, list[tuple[str, Any, Any]]]:
    """The op `up` will do and the fields it changes, for an update or replacement with unknown inputs."""
    op = step["op"]
    old = (step.get("oldState") or {}).get("inputs") or {}
    new = (step.get("newState") or {}).get("inputs") or {}
    depends = (step.get("newState") or {}).get("propertyDependencies") or {}
    probe, unsure = dict(new), set()
    unknown = [name for name, value in new.items() if contains_unknown(value)]
    for name in unknown:
        urns = depends.get(name) or []
        # Steps come in dependency order and the preview lists no unchanged resource: a dependency not
        # settled yet is unchanged, its outputs known, so the unknown parts come from the settled ones.
        upstream = [settled[urn] for urn in urns if urn in settled]
        probe[name], sure = settle(new[name], old.get(name), upstream)
        if not sure:
            unsure.add(name)
    fields = [
        (name, before, new.get(name) if name in unsure else after)
        for name, before, after in field_changes(spec, old, normalised(spec, probe) if unknown else new)
    ]
    fields += [(name, old.get(name), new[name]) for name in sorted(unsure - {f[0] for f in fields})]
    reasons = set(step.get("replaceReasons") or [])
    if op == "replace" and reasons and not reasons & {f[0] for f in fields}:
        op = "update"  # what made the engine predict a replacement keeps its value
    if op == "update" and unknown and not fields and not any(v == SECRET for v in new.values()):
        op = "same"  # only values that stay as they are; a masked secret may still have changed
    return op, fields


def changes(
    digest: dict[str, Any],
    stack: str,
    services: list[str],
    *,
    drift: bool = False,
    checks: Mapping[str, str] | None = None,
) -> list[Change]:
    """What the preview's steps change, per resource; `checks`: resource name -> the catalog check it
    serves (`checks_of`)."""
    known = specs()
    found: list[Change] = []
    settled: dict[str, Settled] = {}
    for step in digest.get("steps") or []:
        op = step.get("op", "")
        state = step.get("newState") or step.get("oldState") or {}
        kind = kind_of(state.get("type", ""))
        spec = known.get(kind)
        old_state = step.get("oldState") or {}
        old = old_state.get("inputs") or {}
        new = (step.get("newState") or {}).get("inputs") or {}
        fields: list[tuple[str, Any, Any]] = []
        if op in ("update", "replace") and state.get("custom"):
            op, fields = predicted(step, spec, settled)
        settled[step["urn"]] = Settled(
            op,
            {f[0] for f in fields},
            frozenset(spec.input_fields()) if spec else frozenset(old),
            {**(old_state.get("outputs") or {}), "id": old_state.get("id")},
        )
        if op in SKIPPED_OPS or not state.get("custom"):
            continue  # the stack and components hold nothing to review
        name = step["urn"].rsplit("::", 1)[-1]
        service = service_of(name, services)
        if op == "create":
            fields = [(n, None, v) for n, v in key_fields(spec, kind, new)]
        elif op == "delete":
            fields = [(n, v, None) for n, v in key_fields(spec, kind, old)]
        elif not fields:
            # The provider's diff (which sees plaintext) found a change that the masked JSON cannot show.
            fields = [("(secret value)", SECRET, SECRET)]
        fields = [(n, readable(before), readable(after)) for n, before, after in fields]
        if op in ("update", "replace"):  # down to the leaves that changed (lookout/review_leaves.py)
            unordered = spec.unordered if spec else frozenset()
            fields = [leaf for f in fields for leaf in (leaves(*f, unordered=f[0] in unordered) or [f])]
        muted: dict[str, str] = (getattr(spec, "muted", None) or {}) if drift and op == "update" else {}
        quiet = [f for f in fields if f[0] in muted and bool(f[2]) and not bool(f[1])]
        check = (checks or {}).get(name, "")
        for f in quiet:  # declared on, found off: said as the spec words it ("paused outside Lookout")
            found.append(Change(stack, op, kind, name, service, [f], muted[f[0]], check))
        if not quiet or len(quiet) < len(fields):
            rest = [f for f in fields if f not in quiet]
            found.append(Change(stack, op, kind, name, service, rest, check=check))
    return sorted(found, key=lambda c: (c.stack, FIRST.get(c.op, 9), c.service or "~", c.kind, c.name))


PLAN_WORDS = {"replace": "replace", "delete": "delete", "update": "update", "create": "create"}
DRIFT_WORDS = {
    "replace": "drifted (replace)",
    "delete": "delete",
    "update": "drifted",
    "create": "deleted outside",
}


def verb(change: Change, words: dict[str, str]) -> str:
    return change.verb or words.get(change.op, change.op)


def markdown(
    title: str,
    found: list[Change],
    stacks: list[str],
    words: dict[str, str],
    columns: str,
    never_deployed: list[str] | None = None,
    notes: dict[str, list[str]] | None = None,
) -> str:
    lines = [f"# {title}", ""]
    for stack in stacks:
        if stack in (never_deployed or []):
            lines += [f"## {stack}: never deployed (no resources in its backend), nothing to compare", ""]
            continue
        mine = [c for c in found if c.stack == stack]
        verbs = dict.fromkeys(verb(c, words) for c in sorted(mine, key=lambda c: FIRST.get(c.op, 9)))
        counts = [f"{sum(1 for c in mine if verb(c, words) == v)} {v}" for v in verbs]
        lines += [f"## {stack}: {', '.join(counts) or 'no changes'}", ""]
        stack_notes = (notes or {}).get(stack, [])
        lines += [*(f"> {note}" for note in stack_notes), *([""] if stack_notes else [])]
        for service in dict.fromkeys(c.service for c in mine):
            lines += [
                f"### {service or 'environment-wide'}",
                "",
                f"| | resource | field | {columns} |",
                "|---|---|---|---|---|",
            ]
            group = [c for c in mine if c.service == service]
            shown = _shown(group, words)
            for c in shown:
                head = f"**{verb(c, words)}** | `{c.kind}` {c.name}" + (f" (`{c.check}`)" if c.check else "")
                if c.op == "create":
                    lines.append(f"| {head} |  | — | {summary(c.fields, 2)} |")
                elif c.op == "delete":
                    lines.append(f"| {head} |  | {summary(c.fields, 1)} | — |")
                else:
                    for i, (name, before, after) in enumerate(c.fields or [("", None, None)]):
                        row = head if i == 0 else " | "
                        lines.append(f"| {row} | {name} | {show(before)} | {show(after)} |")
            listed = {id(c) for c in shown}
            hidden = Counter((verb(c, words), c.kind) for c in group if id(c) not in listed)
            for (said, kind), more in hidden.items():
                lines.append(f"| **{said}** | … and {more} more `{kind}` |  |  |  |")
            lines.append("")
    return "\n".join(lines)


ROWS_OF_A_KIND = 5  # per service, verb and kind: a large plan's comment stays short (issue #30)


def _shown(group: list[Change], words: dict[str, str]) -> list[Change]:
    """The first ROWS_OF_A_KIND changes of each verb and kind; the rest are counted in one row."""
    seen: Counter[tuple[str, str]] = Counter()
    shown = []
    for c in group:
        seen[(verb(c, words), c.kind)] += 1
        if seen[(verb(c, words), c.kind)] <= ROWS_OF_A_KIND:
            shown.append(c)
    return shown


def checks_of(stack: str) -> dict[str, str]:
    """The catalog checks the stack's resources serve (stacks/inventory.py); {} for a file that does not
    validate (its preview says why)."""
    try:
        return inventory.checks_served(stackfile.config_of(stack))
    except ConfigError:
        return {}


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


def never_deployed(runner: Runner, stack: str) -> bool:
    """Whether the backend holds no resources for `stack` (`pulumi stack export`): nothing can drift.
    Anything else (an error, another shape) is left to the preview to report."""
    result = runner("stack", "export", stack=stack)
    try:
        state = json.loads(result.stdout) if result.returncode == 0 else None
    except ValueError:
        return False
    deployment = state.get("deployment") if isinstance(state, dict) else None
    if not isinstance(deployment, dict):
        return False
    resources = deployment.get("resources") or []
    return not any(
        r.get("type") != "pulumi:pulumi:Stack" and not str(r.get("type", "")).startswith("pulumi:providers:")
        for r in resources
    )


def report(
    runner: Runner,
    stacks: list[str],
    services: dict[str, list[str]],
    *,
    drift: bool,
    fmt: str,
) -> tuple[str, list[Change]]:
    """The change (or, with `drift`, the refresh) report of `stacks`, as Markdown or JSON."""
    found: list[Change] = []
    empty: list[str] = []
    for stack in stacks:
        if drift and never_deployed(runner, stack):
            empty.append(stack)
            continue
        digest = preview(runner, stack, refresh=drift)
        found += changes(digest, stack, services.get(stack, []), drift=drift, checks=checks_of(stack))
    words = DRIFT_WORDS if drift else PLAN_WORDS
    if fmt == "json":
        items = [{**asdict(c), "verb": verb(c, words)} for c in found]
        document: dict[str, Any] = {"drift" if drift else "changes": items}
        if drift:
            document["never_deployed"] = empty
        return json.dumps(document, indent=2, sort_keys=True), found
    if drift:
        title = "Drift: live settings that differ from the code"
        return markdown(title, found, stacks, words, "live | declared", empty), found
    return markdown("Planned changes", found, stacks, words, "before | after"), found
