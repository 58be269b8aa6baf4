"""`adopt`: bring a setup clicked together in the vendors' UIs under management, with zero duplicates.

It reads the accounts, matches what exists to the plan by natural keys (a monitor's type and URL, a
heartbeat's name, a contact's address, Sentry slugs and names, Render service names), and records the ids
as `lookout:adopt` in the stack's config, which the MonitoringStack passes on as `adopt_id`/`adopt`. Objects
in the accounts that the plan does not describe are listed as unmanaged and left alone.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from providers import registry, settings
from providers.render import client as render
from stacks import dashboards, names
from stacks.checks import METRIC_KINDS, Check, compile_plan
from stacks.fanout import uptimerobot as fanout
from stacks.payloads import MetricThreshold
from stacks.plan import Plan

from . import printer, stackfile
from .exits import Exit
from .review import Runner
from .runners import runner

LEVELS: tuple[names.Level, ...] = ("critical", "warning")


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


def _uptimerobot(plan: Plan, checks: list[Check]) -> list[Row]:
    mine = [c for c in checks if c.vendor == "uptimerobot"]
    monitors = [
        Wanted(c.key, c.title, fields) for c in mine if (fields := fanout.monitor_fields(plan, c, mine))
    ]
    contact = Wanted("uptimerobot:email", f"e-mail {plan.channels.email}", fanout.contact_fields(plan))

    def name(obj: dict[str, Any]) -> str:
        return html.unescape(str(obj.get("friendlyName") or obj.get("value") or ""))

    found = listed("uptimerobot:Monitor")
    contacts = listed("uptimerobot:AlertContact")
    rows = match("uptimerobot:Monitor", found, monitors, name)
    rows = heartbeat_hints(rows, monitors, found) + match("uptimerobot:AlertContact", contacts, [contact])
    if plan.dashboards.status_page and monitors:
        page = names.status_page(plan)
        wanted = Wanted("uptimerobot:status-page", f"status page {page}", {"name": page})
        rows += match("uptimerobot:StatusPage", listed("uptimerobot:StatusPage"), [wanted])
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


def _sentry(plan: Plan, checks: list[Check]) -> list[Row]:
    team = Wanted("sentry:team", f"team {plan.team}", {"slug": plan.team})
    projects = [
        Wanted(f"sentry:project:{s.name}", f"project {plan.project_slug(s)}", {"slug": plan.project_slug(s)})
        for s in plan.services
        if s.sentry_platform
    ]
    made = lookout_made(plan, checks)
    detectors = [Wanted(key, what, {"name": name}) for name, (key, what) in made["detectors"].items()]
    workflows = [Wanted(key, what, {"name": name}) for name, (key, what) in made["workflows"].items()]

    def name(obj: dict[str, Any]) -> str:
        return str(obj.get("name") or obj.get("slug"))

    def slug(obj: dict[str, Any]) -> str:
        return f"project {obj.get('slug')}"

    rows = (
        match("sentry:Team", listed("sentry:Team"), [team])
        + match("sentry:Project", listed("sentry:Project"), projects, slug)
        + match("sentry:MetricMonitor", listed("sentry:MetricMonitor"), detectors, name)
        + match("sentry:Alert", listed("sentry:Alert"), workflows, name)
    )
    if plan.dashboards.sentry and dashboards.widgets(plan):
        title = names.dashboard(plan)
        board = Wanted("sentry:dashboard", f"dashboard {title}", {"title": title})
        rows += match("sentry:Dashboard", listed("sentry:Dashboard"), [board])
    return rows


def lookout_made(plan: Plan, checks: list[Check]) -> dict[str, dict[str, tuple[str, str]]]:
    """The Sentry detectors and workflows the plan makes, by name (stacks/names.py): (key, what)."""
    detectors = {names.monitor(plan, c): (c.key, c.title) for c in checks if c.kind in METRIC_KINDS}
    issues = [c for c in checks if c.kind == "new-issues" and c.channels]  # no channel: no alert made
    workflows = {names.issue_alert(plan, c): (c.key, c.title) for c in issues}
    for level in LEVELS:
        if plan.routed(level) and any(
            isinstance(c.payload, MetricThreshold) and c.payload.level(level) is not None for c in checks
        ):
            title = f"{level} thresholds crossed"
            workflows[names.threshold_alert(plan, level)] = (names.threshold_alert_key(level), title)
    return {"detectors": detectors, "workflows": workflows}


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
                Row(f"render:{svc.name}", "render", f"service {svc.render_service}", status, _id(found))
            )
    return rows


def _id(obj: dict[str, Any] | None) -> str | None:
    return str(obj["id"]) if obj else None


def _pagerduty(plan: Plan) -> list[Row]:
    """The on-call objects lookout:oncall makes, matched by name (their natural key). People are looked up
    anyway, and the Events v2 integration is found on its service when the service is adopted."""
    if plan.oncall is None or "pagerduty" not in plan.routed("critical") + plan.routed("warning"):
        return []
    wanted = [
        ("pagerduty:EscalationPolicy", names.oncall_policy(plan)),
        ("pagerduty:Schedule", names.oncall_schedule(plan)),
        ("pagerduty:Service", names.pagerduty_service(plan)),
    ]
    rows: list[Row] = []
    for kind, name in wanted:
        key = f"pagerduty:{kind.partition(':')[2].lower()}"
        label = kind.partition(":")[2]
        rows += match(kind, listed(kind), [Wanted(key, f"{label} {name}", {"name": name})])
    return rows


def scan(plan: Plan) -> list[Row]:
    checks = compile_plan(plan)
    return _uptimerobot(plan, checks) + _sentry(plan, checks) + _render(plan) + _pagerduty(plan)


def fragment(rows: list[Row]) -> dict[str, str]:
    """The `lookout:adopt` map: what the MonitoringStack must adopt instead of creating."""
    # The team (adopted on its 409) and Render services (configured, never created) need no entry.
    automatic = ("sentry:team", "render:")
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


def adopt(runner: Runner, stack: str, plan: Plan, write: bool) -> tuple[str, list[Row]]:
    """Scan with the stack's own credentials (its config, secrets decrypted by the engine's CLI)."""
    shown = runner("config", "--show-secrets", "--json", stack=stack)
    config = {key: entry.get("value") for key, entry in json.loads(shown.stdout or "{}").items()}
    settings.use_config(config)
    rows = scan(plan)
    adopted = fragment(rows)
    if write:
        for key, value in adopted.items():
            runner("config", "set", "--path", f'lookout:adopt["{key}"]', value, stack=stack)
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
