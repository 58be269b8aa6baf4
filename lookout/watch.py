"""`lookout watch ENV [--once] [--sandbox]`: the plan's system-health job (`backend/scripts/
check_system_health.py`, "run as cron job every 5 minutes", with its `send_alert` to e-mail, Slack or a
webhook). Each run:

1. measures every `watch` check of the plan (lookout/watch_measure.py): the database through Supabase,
   each Render service's CPU and memory;
2. reads which breaches are already being alerted on: each one is an unresolved issue of the backend's
   Sentry project, titled `lookout-watch <check>: ...` (the job keeps no state of its own: a cron job
   has no disk);
3. a new breach is told once through the plan's routing for its severity: PagerDuty (Events API v2,
   dedup key `lookout-watch-<env>-<check>`) where the severity pages; then the event goes to Sentry,
   whose new-issues alert on the backend's project sends what it sends for the app's own issues, e-mail
   and Slack: Sentry is the vendor here that e-mails on our behalf. A channel of the severity that
   alert does not carry is posted to directly (Slack). An ongoing breach is sent to Sentry again (it
   counts the event; its alert stays quiet: the issue is not new);
4. a recovery resolves the PagerDuty incident and the Sentry issue (so the next breach is a regression,
   and alerts again) and tells Slack;
5. pings the UptimeRobot heartbeat only when every check was measured and every alert delivered, so a
   broken job is itself an alert (the plan's heartbeat monitor).

Exit 0: every check ok; 5: breaches found and told; 1: the run was incomplete (a vendor could not be read,
or an alert not delivered): the heartbeat was not pinged.
"""

from __future__ import annotations

import functools
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from providers import settings, slack
from providers.pagerduty import events
from providers.render import client as render
from providers.sentry import client as sentry
from providers.sentry import ingest
from providers.supabase import client as supabase
from stacks.checks import Check, compile_plan
from stacks.plan import Plan
from stacks.system_health import JOB_ROUTES, told_by_sentry, watch_project
from transport import Expected

from . import printer, stack_values, stackfile
from .exits import Exit
from .review import Runner
from .runners import runner
from .watch_measure import Finding, Readings, measure

MARK = "lookout-watch"
Run = tuple[list["Outcome"], str]  # what a run found and told, and what became of the heartbeat


@dataclass
class Outcome:
    finding: Finding
    state: str  # ok, new breach, ongoing, recovered, unknown, not measured (blocked by another breach)
    told: list[str] = field(default_factory=list)  # "pagerduty (Events API)", "sentry → email, slack", ...
    failed: list[str] = field(default_factory=list)


@dataclass
class Routes:
    """Where alerts go for one stack, from its config and outputs."""

    env: str
    plan: Plan
    slack_webhook: str | None
    pagerduty_key: str | None
    sentry_dsn: str | None
    sentry_project: str | None
    heartbeat_url: str | None

    def via_sentry(self, check: Check) -> list[str]:
        """What the backend project's alerts send for a finding of the check's severity."""
        return list(told_by_sentry(self.plan, check.severity)) if self.sentry_dsn else []

    def direct(self, check: Check) -> list[str]:
        """What the job sends itself: PagerDuty, and Slack where no Sentry alert carries it."""
        return [c for c in check.channels if c != "email" and c not in self.via_sentry(check)]


def finding_key(title: str) -> str | None:
    """The check a finding's Sentry issue is about: its title is `lookout-watch <check key>: ...`."""
    if not title.startswith(f"{MARK} "):
        return None
    return title[len(MARK) + 1 :].split(" ", 1)[0].rstrip(":") or None


def watch_checks(plan: Plan) -> list[Check]:
    return [c for c in compile_plan(plan) if c.vendor == "lookout"]


def routes_of(plan: Plan, config: dict[str, Any], outputs: dict[str, Any]) -> Routes:
    backend = watch_project(plan)
    dsns = outputs.get("sentry_dsns") or {}
    slack_secret = plan.channels.slack.webhook_secret if plan.channels.slack else None
    pd = plan.channels.pagerduty
    key = outputs.get("pagerduty_integration_key") or (
        config.get(f"lookout:{pd.key_secret}") if pd and pd.key_secret else None
    )
    return Routes(
        plan.environment,
        plan,
        str(config.get(f"lookout:{slack_secret}") or "") or None if slack_secret else None,
        str(key) if key else None,
        str(dsns.get(backend.name)) if backend and dsns.get(backend.name) else None,
        plan.project_slug(backend) if backend else None,
        str(outputs.get("heartbeat_url") or "") or None,
    )


def routes_from_env(plan: Plan, environ: Mapping[str, str]) -> Routes:
    """The routes as the deployed job has them: its env vars (`JOB_ROUTES`, set by its cron job)."""
    backend = watch_project(plan)
    found = {route: environ.get(name) or None for route, name in JOB_ROUTES.items()}
    return Routes(
        plan.environment,
        plan,
        found["slack_webhook"],
        found["pagerduty_key"],
        found["sentry_dsn"],
        plan.project_slug(backend) if backend and found["sentry_dsn"] else None,
        found["heartbeat_url"],
    )


class Undeliverable(Expected, RuntimeError):
    """An alert that cannot be sent: what it needs is not deployed or set."""


class Ledger:
    """Ongoing breaches, as unresolved issues of the backend's Sentry project."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self.rest = sentry.client() if routes.sentry_project else None

    def open(self) -> dict[str, str]:
        """Check key -> issue id of every breach being alerted on."""
        if self.rest is None or not self.routes.sentry_project:
            return {}
        path = f"/projects/{sentry.org()}/{self.routes.sentry_project}/issues/"
        issues = self.rest.request("GET", path, params={"query": f"is:unresolved {MARK}"}) or []
        keyed = ((finding_key(str(issue.get("title") or "")), str(issue["id"])) for issue in issues)
        return {key: issue_id for key, issue_id in keyed if key}

    def record(self, finding: Finding) -> None:
        if not self.routes.sentry_dsn:
            raise Undeliverable("no Sentry DSN among the stack outputs: deploy the stack first")
        check = finding.check
        ingest.send(
            ingest.parse_dsn(self.routes.sentry_dsn),
            {
                "event_id": uuid.uuid4().hex,
                "message": f"{MARK} {check.key}: {check.title}: {finding.detail}",
                "level": "error" if check.severity == "critical" else "warning",
                "platform": "python",
                "environment": self.routes.env,
                "fingerprint": [MARK, self.routes.env, check.key],  # one issue per check, however it reads
                "culprit": check.key,
                "tags": {"lookout.check": check.key, "lookout.severity": check.severity},
            },
        )

    def close(self, issue_id: str) -> None:
        if self.rest is not None:
            path = f"/organizations/{sentry.org()}/issues/{issue_id}/"
            self.rest.request("PUT", path, json_body={"status": "resolved"})


def run_once(routes: Routes, readings: Readings) -> list[Outcome]:
    findings = measure(watch_checks(routes.plan), readings)
    try:
        ledger = Ledger(routes)
        ongoing = ledger.open()
    except Expected as exc:
        return [Outcome(f, "unknown", failed=[f"sentry: {exc}"]) for f in findings]
    outcomes = []
    for finding in findings:
        key = finding.check.key
        if finding.status in ("unknown", "blocked"):
            outcomes.append(Outcome(finding, "not measured" if finding.status == "blocked" else "unknown"))
        elif finding.status == "breach":
            outcomes.append(_breach(routes, ledger, finding, new=key not in ongoing))
        elif key in ongoing:
            outcomes.append(_recovered(routes, ledger, finding, ongoing[key]))
        else:
            outcomes.append(Outcome(finding, "ok"))
    return outcomes


def _breach(routes: Routes, ledger: Ledger, finding: Finding, new: bool) -> Outcome:
    outcome = Outcome(finding, "new breach" if new else "ongoing")
    if new:  # told before the ledger knows: a failed post is tried again next run
        for channel in routes.direct(finding.check):
            _tell(outcome, channel, functools.partial(_send, routes, channel, finding, "trigger"))
    carried = routes.via_sentry(finding.check)
    label = f"sentry → {', '.join(carried)}" if new and carried else "sentry"
    _tell(outcome, label, lambda: ledger.record(finding))
    return outcome


def _recovered(routes: Routes, ledger: Ledger, finding: Finding, issue_id: str) -> Outcome:
    outcome = Outcome(finding, "recovered")
    for channel in routes.direct(finding.check):
        _tell(outcome, channel, functools.partial(_send, routes, channel, finding, "resolve"))
    if "slack" in routes.via_sentry(finding.check):  # Sentry's alerts say nothing of a resolve
        _tell(outcome, "slack", lambda: _send(routes, "slack", finding, "resolve"))
    _tell(outcome, "sentry (resolved)", lambda: ledger.close(issue_id))
    return outcome


def _tell(outcome: Outcome, label: str, send: Callable[[], object]) -> None:
    try:
        send()
    except (Expected, ValueError) as exc:
        outcome.failed.append(f"{label}: {exc}")
    else:
        outcome.told.append(label)


def _send(routes: Routes, channel: str, finding: Finding, action: str) -> None:
    check = finding.check
    if channel == "pagerduty":
        if not routes.pagerduty_key:
            raise Undeliverable("no PagerDuty integration key: deploy the stack first")
        dedup = f"{MARK}-{routes.env}-{check.key}"
        summary = f"[{routes.env}] {check.title}: {finding.detail}"[:1024]
        fields = {"summary": summary, "severity": check.severity, "source": "lookout watch"}
        events.send(
            events.client(), routes.pagerduty_key, action, dedup, **(fields if action == "trigger" else {})
        )
    elif channel == "slack":
        if not routes.slack_webhook:
            raise Undeliverable("the Slack webhook secret is not set")
        word = f"{check.severity}" if action == "trigger" else "recovered"
        slack.post(routes.slack_webhook, f"[{routes.env}] {word}: {check.title}: {finding.detail}")


def ping(routes: Routes) -> str:
    """The heartbeat, after a complete run."""
    if not routes.heartbeat_url:
        return "no heartbeat monitor in the stack outputs"
    try:
        answer = requests.get(routes.heartbeat_url, timeout=10)
    except requests.RequestException as exc:
        return f"heartbeat NOT pinged: {type(exc).__name__}"  # UptimeRobot will say the job is down
    return (
        f"heartbeat pinged ({answer.status_code})"
        if answer.ok
        else f"heartbeat answered {answer.status_code}"
    )


def complete(outcomes: list[Outcome]) -> bool:
    return all(o.state != "unknown" and not o.failed for o in outcomes)


def exit_code(outcomes: list[Outcome]) -> Exit:
    if not complete(outcomes):
        return Exit.FAILED
    return Exit.BREACHED if any(o.finding.status == "breach" for o in outcomes) else Exit.OK


def table(stack: str, outcomes: list[Outcome], heartbeat: str) -> str:
    lines = [
        f"lookout watch {stack}",
        "",
        "| check | severity | result | measured | told |",
        "|---|---|---|---|---|",
    ]
    for o in outcomes:
        told = ", ".join(o.told + [f"FAILED {f}" for f in o.failed]) or "—"
        check = o.finding.check
        row = [f"{check.title} `{check.key}`", check.severity, o.state, o.finding.detail, told]
        lines.append(f"| {' | '.join(row)} |")
    counts = {
        s: sum(o.state == s for o in outcomes)
        for s in ("ok", "new breach", "ongoing", "recovered", "unknown", "not measured")
    }
    lines += ["", ", ".join(f"{n} {s}" for s, n in counts.items() if n) + f"; {heartbeat}"]
    return "\n".join(lines)


def sandbox_now() -> float:
    """The sandbox's clock (a game day moves it)."""
    from harness.sandbox_process import sandbox_port

    port = sandbox_port()
    return float(requests.get(f"http://127.0.0.1:{port}/_control/clock", timeout=10).json()["now"])


def job(run_pulumi: Runner, stack: str, plan: Plan, now: Callable[[], float]) -> Callable[[], Run]:
    """The job as a cron would run it, its routes read once from the deployed stack (config, outputs)."""
    config = stack_values.config(run_pulumi, stack)
    settings.use_config(config)
    return job_of(routes_of(plan, config, stack_values.outputs(run_pulumi, stack)), now)


def job_of(routes: Routes, now: Callable[[], float]) -> Callable[[], Run]:
    def run_job() -> Run:
        outcomes = run_once(routes, Readings(supabase.client, render.client, now))
        heartbeat = ping(routes) if complete(outcomes) else "heartbeat NOT pinged: the run was incomplete"
        return outcomes, heartbeat

    return run_job


def run(run_pulumi: Runner, stack: str, plan: Plan, now: Callable[[], float]) -> Run:
    return job(run_pulumi, stack, plan, now)()


def command(
    stack: str,
    once: bool,
    sandbox: bool,
    from_env: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """`from_env`: as the deployed cron job runs, its routes and settings from the environment (no
    Pulumi); else from the stack (`--sandbox`: the demo's)."""
    plan = stackfile.load(stack)
    if not watch_checks(plan):
        printer.problem(
            f"lookout watch: the {stack} plan declares nothing to watch (lookout:database, services)"
        )
        return Exit.FAILED
    if from_env:
        return _loop(stack, plan, job_of(routes_from_env(plan, os.environ), time.time), once, sleep)
    with runner(sandbox) as run_pulumi:
        run_job = job(run_pulumi, stack, plan, sandbox_now if sandbox else time.time)
        return _loop(stack, plan, run_job, once, sleep)


def _loop(
    stack: str, plan: Plan, run_job: Callable[[], Run], once: bool, sleep: Callable[[float], None]
) -> int:
    interval = plan.heartbeat.interval if plan.heartbeat else 300
    while True:
        outcomes, heartbeat = run_job()
        printer.result(table(stack, outcomes, heartbeat))
        if once:
            return exit_code(outcomes)
        sleep(interval)
