"""`adopt`: bring a setup clicked together in the vendors' UIs under management, with zero duplicates.

It runs the plan's own fan-out offline (stacks/inventory.py) to learn what `pulumi up` would make, reads the
accounts, matches what exists to each adoptable object by its spec's natural key (a monitor's type and URL,
a heartbeat's name, a contact's address, Sentry slugs and names, Render service names), and records the ids
as `lookout:adopt` in the stack's config, which the fan-out passes on as `adopt_id`/`adopt`. Objects in the
accounts that the plan does not describe are listed as unmanaged and left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from providers import registry, settings
from providers.render import client as render
from stacks import inventory
from stacks.checks import compile_plan
from stacks.plan import Plan

from . import printer, stackfile
from .exits import Exit
from .review import Runner
from .runners import runner


@dataclass
class Row:
    key: str
    vendor: str
    what: str
    status: str  # matched, new, unmanaged, missing
    id: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Wanted:
    """An object the plan makes: its adopt key, a description, and the input fields the fan-out declares
    (of which the spec's natural key reads its own)."""

    key: str
    what: str
    fields: dict[str, Any]


def listed(kind: str) -> list[dict[str, Any]]:
    """Every object of `kind` in the account, as its spec walks it (`ResourceSpec.every`)."""
    spec = registry.spec_of(kind)
    found = spec.every(spec.client())
    assert found is not None, f"{kind} is not listed account-wide"
    return list(found)


def match(
    kind: str,
    found: list[dict[str, Any]],
    wanted: list[Wanted],
    label: Callable[[dict[str, Any]], str] | None = None,
) -> list[Row]:
    """Matched for each wanted object the spec of `kind` recognises by its natural key (each found object
    at most once), new for the others, and, given a `label`, unmanaged for every found object left over."""
    spec = registry.spec_of(kind)
    vendor = kind.partition(":")[0]
    rows, used = [], set()
    for want in wanted:
        obj = next(
            (o for o in found if spec.id_of(o) not in used and spec.matches(o, want.fields)),
            None,
        )
        if obj is not None:
            used.add(spec.id_of(obj))
        status, id_ = ("matched", spec.id_of(obj)) if obj is not None else ("new", None)
        rows.append(Row(want.key, vendor, want.what, status, id_))
    short = kind.partition(":")[2].lower()
    rows += [
        Row(f"{short}:{spec.id_of(o)}", vendor, label(o), "unmanaged", spec.id_of(o))
        for o in found
        if label is not None and spec.id_of(o) not in used
    ]
    return rows


def heartbeat_hints(rows: list[Row], wanted: list[Wanted], found: list[dict[str, Any]]) -> list[Row]:
    """A heartbeat's only natural key is its name, which people choose freely; a new heartbeat gets a new
    ping URL that the job does not call yet. So where the plan's heartbeat is new while heartbeats by
    other names exist, say how to adopt one of them instead of guessing."""
    heartbeats = {w.key: w.fields["name"] for w in wanted if w.fields["type"] == "HEARTBEAT"}
    others = {str(m["id"]) for m in found if m.get("type") == "HEARTBEAT"}
    candidates = [r for r in rows if r.status == "unmanaged" and r.id in others]
    for row in rows:
        if row.status == "new" and row.key in heartbeats and candidates:
            listed = ", ".join(f"'{c.what}' (id {c.id})" for c in candidates)
            row.note = (
                f"no heartbeat is named '{heartbeats[row.key]}', but {listed} exist: if one is this job, "
                f'set lookout:adopt["{row.key}"] to its id (its ping URL stays), else `up` makes a new one'
            )
    return rows


# Kinds whose objects the plan does not describe are listed as unmanaged: where a hand-made object could be
# mistaken for one of the plan's. Account-level defaults (the owner's own e-mail contact, teams, the
# PagerDuty account's services of other teams) are not listed.
UNMANAGED_LISTED = frozenset(
    {"uptimerobot:Monitor", "sentry:Project", "sentry:MetricMonitor", "sentry:Alert"}
)


def wanted(plan: Plan, config: dict[str, Any], secrets: Collection[str]) -> dict[str, list[Wanted]]:
    """What the plan makes that can be adopted, by kind: every resource the fan-out declares with an adopt
    key (stacks/inventory.py), described by its check's title or by its natural key."""
    titles = {c.key: c.title for c in compile_plan(plan)}
    found: dict[str, list[Wanted]] = {}
    for declared in inventory.planned(plan, config, secrets):
        if declared.adopt_key is None:
            continue
        spec = registry.spec_of(declared.kind)
        fields = spec.completed(declared.inputs)
        what = titles.get(declared.adopt_key) or " ".join(
            [words(declared.kind), *(str(fields.get(name)) for name in spec.natural_key)]
        )
        found.setdefault(declared.kind, []).append(Wanted(declared.adopt_key, what, fields))
    return found


def words(kind: str) -> str:
    """`uptimerobot:StatusPage` -> `status page`."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind.partition(":")[2]).lower()


def label(kind: str) -> Callable[[dict[str, Any]], str]:
    """How an unmanaged object is shown: its kind and what its natural key reads."""
    spec = registry.spec_of(kind)

    def show(obj: dict[str, Any]) -> str:
        return " ".join([words(kind), *(str(value) for value in spec.live_key(obj) if value)])

    return show


def _render(plan: Plan) -> list[Row]:
    client = render.client()
    rows = []
    for svc in plan.services:
        if svc.render_service:
            try:
                found: dict[str, Any] | None = render.service(client, svc.render_service)
            except render.ServiceNotFound:
                found = None
            status = "matched" if found else "missing"  # Lookout configures services, never creates them
            rows.append(
                Row(
                    f"render:service:{svc.name}",
                    "render",
                    f"service {svc.render_service}",
                    status,
                    _id(found),
                )
            )
    return rows


def _id(obj: dict[str, Any] | None) -> str | None:
    return str(obj["id"]) if obj else None


def scan(plan: Plan, config: dict[str, Any], secrets: Collection[str]) -> list[Row]:
    rows: list[Row] = []
    for kind, objects in wanted(plan, config, secrets).items():
        found = listed(kind)
        rows += match(kind, found, objects, label(kind) if kind in UNMANAGED_LISTED else None)
        if kind == "uptimerobot:Monitor":
            rows = heartbeat_hints(rows, objects, found)
    return rows + _render(plan)


def fragment(rows: list[Row]) -> dict[str, str]:
    """The `lookout:adopt` map: what the MonitoringStack must adopt instead of creating."""
    # The team (adopted on its 409) and Render services (configured, never created) need no entry.
    automatic = ("sentry:team", "render:service:")
    return {
        r.key: str(r.id) for r in rows if r.status == "matched" and r.id and not r.key.startswith(automatic)
    }


def table(rows: list[Row]) -> str:
    lines = ["| status | vendor | object | id | key |", "|---|---|---|---|---|"]
    order = {"missing": 0, "matched": 1, "new": 2, "unmanaged": 3}
    for r in sorted(rows, key=lambda r: (order[r.status], r.vendor, r.key)):
        lines.append(f"| {r.status} | {r.vendor} | {r.what} | {r.id or '—'} | {r.key} |")
    counts = {s: sum(1 for r in rows if r.status == s) for s in order}
    lines.append("")
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    lines += [f"note: {r.key}: {r.note}" for r in rows if r.note]
    return "\n".join(lines)


def record(runner: Runner, stack: str, adopted: dict[str, str]) -> None:
    """Write `adopted` into the stack's `lookout:adopt` map: one CLI run for all of it (a run costs about
    0.4 s); `set-all` splits a pair at its first "=", so a key that holds one is set alone."""
    pairs = [("--plaintext", f'lookout:adopt["{k}"]={v}') for k, v in adopted.items() if "=" not in k]
    if pairs:
        runner("config", "set-all", "--path", *(arg for pair in pairs for arg in pair), stack=stack)
    for key, value in adopted.items():
        if "=" in key:
            runner("config", "set", "--path", f'lookout:adopt["{key}"]', value, stack=stack)


def adopt(runner: Runner, stack: str, plan: Plan, write: bool) -> tuple[str, list[Row]]:
    """Scan with the stack's own credentials (its config, secrets decrypted by the engine's CLI)."""
    shown = json.loads(runner("config", "--show-secrets", "--json", stack=stack).stdout or "{}")
    config = {key: entry.get("value") for key, entry in shown.items()}
    settings.use_config(config)
    rows = scan(plan, config, [key for key, entry in shown.items() if entry.get("secret")])
    adopted = fragment(rows)
    if write:
        record(runner, stack, adopted)
    text = (
        table(rows)
        + "\n\nlookout:adopt:\n"
        + "\n".join(f'  "{k}": "{v}"' for k, v in sorted(adopted.items()))
    )
    return text, rows


def command(stack: str, write: bool, sandbox: bool) -> int:
    """Dry run unless `write`. Exit 1 when the plan names a Render service that does not exist."""
    with runner(sandbox) as run:
        text, rows = adopt(run, stack, stackfile.load(stack), write)
    printer.result(text)
    if write:
        printer.result(
            f"\nrecorded lookout:adopt in the {stack} config; `pulumi preview` shows what comes under code"
        )
    return Exit.FAILED if any(r.status == "missing" for r in rows) else Exit.OK
