"""`lookout drill ENV`: the plan's "test alert workflow". For every route of the plan (severity → channel), a
clearly marked test goes through the path a real alert takes, and is confirmed where the vendor's API can
show it arrived:

* PagerDuty: an Events v2 trigger with the integration key UptimeRobot and Sentry page with, then the
  incident it opened is read back (who it reached) and resolved with the same dedup key;
* Slack: a message to the webhook the alerts use; Slack's `ok` is its receipt;
* Sentry: a marked test event to each watched project's DSN, confirmed through the API as an issue that
  made the project's new-issue alert fire (lookout/drill_sentry.py), and a marked critical finding of the
  system-health job (`lookout watch`) that made the alerts carrying its routes fire;
* e-mail: neither UptimeRobot nor Sentry can send a test mail through its API, so the table says what to
  check by hand.

Exit 0 only when every route that can be checked was confirmed. `--dry-run` lists what would be sent;
nothing is sent to prod without `--yes`. Dev never pages: its table shows the page that is not sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from providers import settings, slack
from providers.pagerduty import client as pagerduty
from providers.pagerduty import events
from stacks.checks import Severity
from stacks.plan import Plan
from transport import Expected, Transport

from . import drill_sentry, printer, stack_values, stackfile
from .exits import Exit
from .review import Runner
from .runners import runner

SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "info")
CHECKABLE = ("pagerduty", "slack", "sentry")


@dataclass
class Result:
    severity: str
    channel: str
    target: str
    status: str  # confirmed, failed, by hand, would send, not sent
    detail: str = ""


def routes(plan: Plan) -> list[tuple[str, str]]:
    return [(severity, channel) for severity in SEVERITIES for channel in plan.routed(severity)]


def drill(run: Runner, stack: str, plan: Plan, dry_run: bool) -> list[Result]:
    config = stack_values.config(run, stack)
    settings.use_config(config)
    outputs = {} if dry_run else stack_values.outputs(run, stack)
    marker = uuid.uuid4().hex[:8]
    results = []
    for severity, channel in routes(plan):
        if channel == "pagerduty":
            results.append(_page(plan, stack, severity, config, outputs, marker, dry_run))
        elif channel == "slack":
            results.append(_slack(plan, stack, severity, config, dry_run))
        else:
            results.append(
                Result(
                    severity,
                    "email",
                    plan.channels.email,
                    "by hand",
                    "no API sends a test mail: trigger an UptimeRobot monitor's test notification in its "
                    "web app, and check that the inbox gets it",
                )
            )
    dsns = outputs.get("sentry_dsns") or {}
    for check in drill_sentry.new_issue_checks(plan):
        outcome = drill_sentry.drill(check, stack, dsns, marker, dry_run)
        results.append(Result(check.severity, "sentry", outcome.target, outcome.status, outcome.detail))
    job = drill_sentry.system_health(plan, stack, dsns, marker, dry_run)
    if job is not None:  # the system-health job's e-mail and Slack go through Sentry (lookout/watch.py)
        results.append(Result("critical", "sentry", job.target, job.status, job.detail))
    for severity in SEVERITIES:
        if "pagerduty" in getattr(plan.routing, severity) and "pagerduty" not in plan.routed(severity):
            results.append(Result(severity, "pagerduty", "", "not sent", "dev never pages"))
    return sorted(results, key=lambda r: SEVERITIES.index(r.severity))  # stable: routes keep their order


def _page(
    plan: Plan,
    stack: str,
    severity: str,
    config: dict[str, Any],
    outputs: dict[str, Any],
    marker: str,
    dry_run: bool,
) -> Result:
    pd = plan.channels.pagerduty
    key = outputs.get("pagerduty_integration_key") or (
        config.get(f"lookout:{pd.key_secret}") if pd and pd.key_secret else None
    )
    target = f"service of {'lookout:oncall' if plan.oncall else 'the plan'}"
    dedup = f"lookout-drill-{stack}-{severity}-{marker}"
    if dry_run:
        return Result(severity, "pagerduty", target, "would send", f"trigger then resolve, dedup key {dedup}")
    if not key:
        return Result(severity, "pagerduty", target, "failed", "no integration key: deploy the stack first")
    summary = f"[Lookout drill] {stack} {severity}: a test of the alert route; it resolves itself"
    try:
        sender = events.client()
        events.send(
            sender, str(key), "trigger", dedup, summary=summary, severity=severity, source="lookout drill"
        )
        rest = pagerduty.client()
        found = _incident(rest, dedup)
        if not found:
            events.send(sender, str(key), "resolve", dedup)
            return Result(
                severity,
                "pagerduty",
                target,
                "failed",
                "the trigger opened no incident (service disabled or in maintenance?)",
            )
        incident = found[0]
        people = [a["assignee"] for a in incident.get("assignments") or []]
        reached = ", ".join(_email(rest, p["id"]) for p in people) or "nobody (no one on call)"
        events.send(sender, str(key), "resolve", dedup)
        after = _resolved(rest, str(incident["id"]))
    except Expected as exc:
        return Result(severity, "pagerduty", target, "failed", str(exc))
    service = (incident.get("service") or {}).get("summary", "")
    status = "confirmed" if people and after.get("status") == "resolved" else "failed"
    detail = f"incident {incident['id']} on “{service}” reached {reached}; {after.get('status')}"
    return Result(severity, "pagerduty", f"service “{service}”", status, detail)


def _incident(rest: Transport, dedup: str) -> list[dict[str, Any]]:
    """The incident a trigger opened. Events are processed after the 202, so it may take a few seconds
    to appear: asked again with growing pauses, up to about half a minute (on the transport's clock)."""
    found = drill_sentry.poll(
        rest, lambda: pagerduty.list_all(rest, "/incidents", "incidents", incident_key=dedup)
    )
    return found or []


def _resolved(rest: Transport, incident_id: str) -> dict[str, Any]:
    """The incident once the resolve event is processed, which is after its 202 too; as last read."""
    read = lambda: pagerduty.one(rest.request("GET", f"/incidents/{incident_id}"), "incident")  # noqa: E731
    last: dict[str, Any] = {}

    def resolved() -> dict[str, Any] | None:
        nonlocal last
        last = read()
        return last if last.get("status") == "resolved" else None

    return drill_sentry.poll(rest, resolved) or last


def _email(rest: Any, user_id: str) -> str:
    user = pagerduty.one(rest.request("GET", f"/users/{user_id}"), "user")
    return str(user.get("email") or user.get("name") or user_id)


def _slack(plan: Plan, stack: str, severity: str, config: dict[str, Any], dry_run: bool) -> Result:
    channel = plan.channels.slack
    target = channel.channel if channel else ""
    if dry_run:
        return Result(severity, "slack", target, "would send", "a marked message to the alerts' webhook")
    webhook = config.get(f"lookout:{channel.webhook_secret}") if channel else None
    if not webhook:
        return Result(severity, "slack", target, "failed", "the webhook secret is not set")
    text = f"[Lookout drill] {stack} {severity} alerts reach this channel. No action needed."
    try:
        answer = slack.post(str(webhook), text)
    except Expected as exc:
        return Result(severity, "slack", target, "failed", str(exc))
    return Result(
        severity, "slack", target, "confirmed" if answer == "ok" else "failed", f"Slack answered {answer!r}"
    )


def table(results: list[Result]) -> str:
    lines = ["| severity | channel | target | result | detail |", "|---|---|---|---|---|"]
    lines += [
        f"| {r.severity} | {r.channel} | {r.target or '—'} | {r.status} | {r.detail} |" for r in results
    ]
    planned = [r for r in results if r.status == "would send"]
    checked = [r for r in results if r.channel in CHECKABLE and r.status not in ("not sent", "would send")]
    confirmed = sum(r.status == "confirmed" for r in checked)
    summary = (
        f"dry run: {len(planned)} routes would be sent and confirmed; nothing was sent"
        if planned
        else f"{confirmed} of {len(checked)} checkable routes confirmed"
    )
    lines += ["", summary]
    return "\n".join(lines)


def passed(results: list[Result]) -> bool:
    return all(r.status in ("confirmed", "by hand", "not sent", "would send") for r in results)


def command(stack: str, dry_run: bool, yes: bool, sandbox: bool) -> int:
    """Exit 0: every checkable route confirmed (or --dry-run); 1: a route failed, or prod without --yes."""
    plan = stackfile.load(stack)
    if plan.environment == "prod" and not (yes or dry_run):
        printer.problem(
            f"lookout drill: the {stack} stack is prod: the drill pages the people on call and posts to the "
            "alert channels; add --yes to send it (or --dry-run to list what it would send)"
        )
        return Exit.FAILED
    with runner(sandbox) as run:
        results = drill(run, stack, plan, dry_run)
    printer.result(table(results))
    return Exit.OK if passed(results) else Exit.FAILED
