"""`adopt`: bring a setup clicked together in the vendors' UIs under management, with zero duplicates.

It reads the accounts, matches what exists to the plan by natural keys (a monitor's type and URL, a
heartbeat's name, a contact's address, Sentry slugs and names, Render service names), and records the ids
as `lookout:adopt` in the stack's config, which the MonitoringStack passes on as `adopt_id`/`adopt`. Objects
in the accounts that the plan does not describe are listed as unmanaged and left alone.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from providers import settings
from providers.render import client as render
from providers.sentry import client as sentry
from providers.uptimerobot import client as uptimerobot
from stacks import names
from stacks.checks import Check, compile_plan
from stacks.payloads import MetricThreshold
from stacks.plan import Plan

from . import stackfile
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


def _uptimerobot(plan: Plan, checks: list[Check]) -> list[Row]:
    client = uptimerobot.client()
    monitors = uptimerobot.list_all(client, "/monitors", limit=200)
    rows, used = [], set()
    for check in (
        c for c in checks if c.vendor == "uptimerobot" and c.kind in ("http", "keyword", "heartbeat")
    ):
        want = {"http": "HTTP", "keyword": "KEYWORD", "heartbeat": "HEARTBEAT"}[check.kind]
        found = next(
            (
                m
                for m in monitors
                if m["type"] == want
                and m["id"] not in used
                and (
                    plan.heartbeat is not None and plan.heartbeat.name in html.unescape(m["friendlyName"])
                    if want == "HEARTBEAT"
                    else html.unescape(m.get("url") or "").rstrip("/") == (check.url or "").rstrip("/")
                )
            ),
            None,
        )
        if found:
            used.add(found["id"])
        rows.append(Row(check.key, "uptimerobot", check.title, "matched" if found else "new", _id(found)))
    contacts = uptimerobot.list_all(client, "/alert-contacts")
    email = next(
        (c for c in contacts if str(c.get("value", "")).lower() == plan.channels.email.lower()), None
    )
    rows.append(
        Row("uptimerobot:email", "uptimerobot", f"e-mail {plan.channels.email}", _status(email), _id(email))
    )
    for m in monitors:
        if m["id"] not in used:
            rows.append(
                Row(
                    f"monitor:{m['id']}",
                    "uptimerobot",
                    html.unescape(m["friendlyName"]),
                    "unmanaged",
                    str(m["id"]),
                )
            )
    return rows


def _sentry(plan: Plan, checks: list[Check]) -> list[Row]:
    client, org = sentry.client(), sentry.org()
    teams = {t["slug"] for t in sentry.list_all(client, f"/organizations/{org}/teams/")}
    rows = [
        Row(
            "sentry:team",
            "sentry",
            f"team {plan.team}",
            "matched" if plan.team in teams else "new",
            plan.team,
        )
    ]
    projects = {p["slug"]: p for p in sentry.list_all(client, f"/organizations/{org}/projects/")}
    wanted = {plan.project_slug(s): s for s in plan.services if s.sentry_platform}
    for slug, svc in wanted.items():
        rows.append(
            Row(f"sentry:project:{svc.name}", "sentry", f"project {slug}", _status(projects.get(slug)), slug)
        )
    detectors = sentry.list_all(client, f"/organizations/{org}/detectors/", query="type:metric_issue")
    workflows = sentry.list_all(client, f"/organizations/{org}/workflows/")
    made = lookout_made(plan, checks)
    rows += _by_name(detectors, made["detectors"]) + _by_name(workflows, made["workflows"])
    rows += [
        Row(f"project:{slug}", "sentry", f"project {slug}", "unmanaged", slug)
        for slug in projects
        if slug not in wanted
    ]
    return rows


def lookout_made(plan: Plan, checks: list[Check]) -> dict[str, dict[str, tuple[str, str]]]:
    """The Sentry detectors and workflows the plan makes, by name (stacks/names.py): (key, what)."""
    detectors = {names.monitor(plan, c): (c.key, c.title) for c in checks if c.kind == "metric"}
    issues = [c for c in checks if c.kind == "new-issues" and c.channels]  # no channel: no alert made
    workflows = {names.issue_alert(plan, c): (c.key, c.title) for c in issues}
    for level in LEVELS:
        if plan.routed(level) and any(
            isinstance(c.payload, MetricThreshold) and c.payload.level(level) is not None for c in checks
        ):
            title = f"{level} thresholds crossed"
            workflows[names.threshold_alert(plan, level)] = (names.threshold_alert_key(level), title)
    return {"detectors": detectors, "workflows": workflows}


def _by_name(found: list[dict[str, Any]], wanted: dict[str, tuple[str, str]]) -> list[Row]:
    """Matched for each wanted name found, new for each missing, unmanaged for every other object."""
    rows, seen = [], set()
    for obj in found:
        name = str(obj.get("name"))
        if name in wanted and name not in seen:
            seen.add(name)
            rows.append(Row(wanted[name][0], "sentry", wanted[name][1], "matched", str(obj["id"])))
        else:
            rows.append(Row(f"sentry:{obj['id']}", "sentry", name, "unmanaged", str(obj["id"])))
    rows += [Row(key, "sentry", what, "new") for name, (key, what) in wanted.items() if name not in seen]
    return rows


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


def _status(obj: Any) -> str:
    return "matched" if obj else "new"


def scan(plan: Plan) -> list[Row]:
    checks = compile_plan(plan)
    return _uptimerobot(plan, checks) + _sentry(plan, checks) + _render(plan)


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
    print(text)
    if write:
        print(f"\nrecorded lookout:adopt in the {stack} config; `pulumi preview` shows what comes under code")
    return 1 if any(r.status == "missing" for r in rows) else 0
