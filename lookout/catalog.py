"""`python -m lookout catalog`: every alert of each environment, for people, as Markdown and HTML.

Built from the same `compile_plan` list the component deploys, so the catalog cannot drift from what exists.
Output is deterministic (plan order, no timestamps) and golden-tested. Secrets never appear: the plan holds
only the *names* of secret config keys, and the catalog prints those names, nothing else. Each environment
also lists what `lookout lint` finds (errors and warnings, at their full config keys); lint messages never
quote a value they take for a secret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from stacks import dashboards, names, slo
from stacks.checks import UNCOVERED, Check, Severity, compile_plan
from stacks.payloads import MetricThreshold
from stacks.plan import Channel, Plan

from .lint import lint_file
from .lint_rules import Finding
from .stackfile import load, path_of

SEVERITIES: tuple[Severity, ...] = ("critical", "warning", "info")
ENV_WIDE = "environment-wide"
MD_NAME = "alert-catalog.md"
HTML_NAME = "alert-catalog.html"
SECRET_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
LINT_SEVERITIES = ("error", "warning")  # info repeats the "not covered" section


@dataclass(frozen=True)
class Env:
    source: str  # the stack file's name, e.g. Pulumi.dev.yaml
    plan: Plan
    checks: list[Check]
    findings: tuple[Finding, ...] = ()  # what `lookout lint` warns about (and any error), in its order

    @property
    def name(self) -> str:
        return self.plan.environment


def load_env(stack: str) -> Env:
    path = path_of(stack)
    plan = load(stack)
    findings = tuple(f for f in lint_file(path) if f.severity in LINT_SEVERITIES)
    return Env(path.name, plan, compile_plan(plan), findings)


# --- what both renderers show (plain text; each renderer escapes) ---


def secret_ref(name: str) -> str:
    """A secret by its config key; anything that is not a key name might be the value itself."""
    return f"lookout:{name}" if SECRET_KEY.match(name) else "(not a config key name: withheld)"


def slack_channel(plan: Plan) -> str:
    channel = plan.channels.slack.channel if plan.channels.slack else ""
    return channel if channel.startswith("#") else f"#{channel}"


def rule_text(plan: Plan) -> str:
    """The one thing to know about paging in this environment."""
    if plan.environment != "dev":
        paging = [s for s in SEVERITIES if "pagerduty" in plan.routed(s)]
        if not paging:
            return f"This is {plan.environment}: no alert pages anyone (no severity is routed to PagerDuty)."
        if plan.oncall is not None:
            return (
                f"This is {plan.environment}: {' and '.join(paging)} alerts page PagerDuty service "
                f"“{names.pagerduty_service(plan)}”, as the routing below says. {oncall_text(plan)}"
            )
        pd = plan.channels.pagerduty
        service = f" service {pd.service}" if pd and pd.service else ""
        return (
            f"This is {plan.environment}: {' and '.join(paging)} alerts page PagerDuty{service}, "
            "as the routing below says."
        )
    asked = [s for s in SEVERITIES if "pagerduty" in getattr(plan.routing, s)]
    dropped = f" The routing config asks to page for {', '.join(asked)}; that is dropped." if asked else ""
    return "Dev never pages: no dev alert pages anyone, whatever the routing config says." + dropped


def routes(plan: Plan) -> list[tuple[str, list[Channel]]]:
    return [(severity, plan.routed(severity)) for severity in SEVERITIES]


def channel_rows(plan: Plan) -> list[tuple[str, str, str, str]]:
    """(channel, target, delivered by, secret config key) for each configured channel."""
    ch = plan.channels
    email_by = f"UptimeRobot alert contact; Sentry mails team {plan.team}; Render mails workspace members"
    rows = [("email", ch.email, email_by, "")]
    if ch.slack:
        by = f"UptimeRobot webhook; Sentry workspace “{ch.slack.sentry_integration}”"
        rows.append(("slack", slack_channel(plan), by, secret_ref(ch.slack.webhook_secret)))
    if ch.pagerduty and plan.environment != "dev":
        by = f"UptimeRobot integration key; Sentry integration “{ch.pagerduty.sentry_integration}”"
        if plan.oncall is not None:  # the service, key and Sentry row are made from the plan
            target = f"service “{names.pagerduty_service(plan)}” (lookout:oncall)"
            rows.append(("pagerduty", target, by + " (both from lookout:oncall)", ""))
        else:
            ref = secret_ref(ch.pagerduty.key_secret) if ch.pagerduty.key_secret else ""
            rows.append(("pagerduty", f"service {ch.pagerduty.service}", by, ref))
    return rows


def oncall_text(plan: Plan) -> str:
    """Who a page reaches, from lookout:oncall."""
    oc = plan.oncall
    if oc is None:
        return ""
    day = f"{oc.handoff_day.title()}s" if oc.rotation == "weekly" else "daily"
    when = f"{day} at {oc.handoff}"
    text = (
        f"On call, taking {oc.rotation} turns (hand-off {when}, {oc.time_zone}): {', '.join(oc.people)}; "
        f"unacknowledged after {oc.escalate_after} min, "
    )
    text += f"then {', '.join(oc.escalate_to)}" if oc.escalate_to else "the page stays with the rotation"
    repeats = "once more" if oc.loops == 1 else f"{oc.loops} more times"
    return text + (f"; the escalation repeats {repeats}." if oc.loops else ".")


def paging_unused(plan: Plan) -> bool:
    return plan.environment == "dev" and plan.channels.pagerduty is not None


def target(plan: Plan, check: Check, channel: Channel) -> str:
    """Who a check reaches through one channel; e-mail depends on the vendor that sends it."""
    if channel == "slack":
        return slack_channel(plan)
    if channel == "pagerduty":
        if plan.oncall is not None:
            return f"service “{names.pagerduty_service(plan)}”"
        return f"service {plan.channels.pagerduty.service}" if plan.channels.pagerduty else "not configured"
    if check.vendor in ("sentry", "lookout"):  # the system-health job's e-mail goes through Sentry's alerts
        return f"team {plan.team}"
    if check.vendor == "render":
        return "Render workspace members"
    return plan.channels.email


def notified(plan: Plan, check: Check) -> list[tuple[str, str]]:
    """(channel, target); a critical metric with a warning level also alerts as warning when only that
    level is crossed (the condition names both levels, `Check.channels` only the critical route)."""
    found: list[tuple[str, str]] = [(ch, target(plan, check, ch)) for ch in check.channels]
    if (
        isinstance(check.payload, MetricThreshold)
        and check.severity == "critical"
        and check.payload.warning is not None
    ):
        found += [(f"{c} (warning level)", target(plan, check, c)) for c in plan.routed("warning")]
    return found


def groups(env: Env) -> list[tuple[str, list[Check]]]:
    """Checks by service in the plan's order, then the environment-wide ones; each in compile order."""
    names = [s.name for s in env.plan.services]
    out = [(name, [c for c in env.checks if c.service == name]) for name in names]
    out.append((ENV_WIDE, [c for c in env.checks if c.service not in names]))
    return [(name, checks) for name, checks in out if checks]


def service_rows(plan: Plan) -> list[tuple[str, str, str, str, str, str]]:
    """(name, role, url, health, Render service, Sentry project)."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    for s in plan.services:
        health = f"GET {s.health_path}" if s.health_path else "—"
        if s.health_path and s.health_keyword:
            health += f" contains “{s.health_keyword}”"
        sentry = f"{plan.project_slug(s)} ({s.sentry_platform})" if s.sentry_platform else "—"
        rows.append((s.name, s.role, s.url, health, s.render_service or "—", sentry))
    return rows


def window_lines(plan: Plan) -> list[str]:
    return [
        f"{w.name}: {w.interval} from {w.date} {w.time}, {w.duration} min" for w in plan.maintenance_windows
    ]


def job_line(plan: Plan) -> str:
    """Where the system-health job (the `lookout` checks) runs."""
    job = plan.health_job
    if job is None:
        return "not deployed by Lookout (run `lookout watch <env> --once --from-env` on a schedule)"
    return f"Render cron job {plan.job_name()}, schedule {job.schedule} (UTC), region {job.region}"


SLO_HEAD = ["Service", "Objective", "Target", "Window", "Error budget", "Burn-rate alerts"]
_MEASURED = {
    "availability": "uptime (UptimeRobot checks)",
    "errors": "requests that do not fail (Sentry spans)",
    "latency": "requests faster than {ms:g} ms (Sentry spans)",
}
_NOT_COMPILED = {
    "availability": "none: UptimeRobot alerts on down and up only; the service-down check stands in",
    "latency": "none yet: a Sentry monitor thresholds a percentile, not the share of slow requests",
}


def slo_rows(plan: Plan) -> list[list[str]]:
    """One row per objective: target, window, budget, and the burn-rate alerts compiled from it."""
    if plan.slos is None:
        return []
    rows = []
    for objective in plan.objectives():
        if objective.kind == "errors":
            alerts = "; ".join(
                f"{b.speed} ({b.severity}): {b.arithmetic}" for b in slo.burns(plan.slos, objective)
            )
        else:
            alerts = _NOT_COMPILED[objective.kind]
        rows.append(
            [
                objective.service,
                _MEASURED[objective.kind].format(ms=objective.threshold_ms or 0),
                f"{objective.target * 100:g}%",
                f"{plan.slos.window_days} days",
                slo.budget_text(plan.slos, objective),
                alerts,
            ]
        )
    return rows


DASHBOARD_HEAD = ["Widget", "Shows", "Of"]


def dashboard_rows(plan: Plan) -> list[list[str]]:
    """One row per widget of the environment's Sentry dashboard (stacks/dashboards.py)."""
    if not plan.dashboards.sentry:
        return []
    return [
        [
            w["title"],
            ", ".join(q for query in w["queries"] for q in query["aggregates"])
            or "issues: " + ", ".join(w["queries"][0]["columns"]),
            w["queries"][0]["conditions"],
        ]
        for w in dashboards.widgets(plan)
    ]


def dashboard_lines(plan: Plan) -> list[str]:
    """The dashboard's title and what it leaves to others; empty without one."""
    rows = dashboard_rows(plan)
    page = (
        f'; the UptimeRobot status page "{names.status_page(plan)}" shows every monitor'
        if plan.dashboards.status_page
        else ""
    )
    if not rows:
        return []
    unmeasured = "; ".join(f"{item} ({why})" for item, why in dashboards.UNMEASURED)
    return [
        f'Sentry dashboard "{names.dashboard(plan)}", over the last {plan.dashboards.period}{page}.',
        f"Not on it: {unmeasured}.",
    ]


def lint_rows(env: Env) -> list[tuple[str, str, str, str]]:
    """(severity, config key, rule, message) of each lint finding, errors first."""
    return [
        (f.severity, f.path or "—", f.rule, f.message)
        for severity in LINT_SEVERITIES
        for f in env.findings
        if f.severity == severity
    ]


LINT_COMMAND = "python -m lookout lint"
LINT_HEAD = ["Severity", "Config key", "Rule", "Finding"]


def is_web_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def sources(envs: list[Env]) -> str:
    return ", ".join(e.source for e in envs)


# --- Markdown ---

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def md(text: str) -> str:
    """Text safe in a Markdown table cell: no emphasis, links, raw HTML, entities or cell breaks."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MD_TAG.sub("&lt;", _MD_ENTITY.sub("&amp;", text))


def md_code(text: str) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def md_link(url: str, label: str | None = None) -> str:
    """`[label](<url>)`, or the autolink `<url>` without a label; only http(s) URLs become links."""
    if not is_web_url(url):
        return md(url)
    dest = quote(url, safe="!#$%&()*+,/:;=?@[]~")  # no <, >, | or spaces left to break out
    return f"[{md(label)}](<{dest}>)" if label else f"<{dest}>"


def md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def runbook_label(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] or url


def render_markdown(envs: list[Env]) -> str:
    generated = f"Generated by `python -m lookout catalog` from {md(sources(envs))}. Regenerate; do not edit."
    out = ["# Alert catalog", "", generated, ""]
    for env in envs:
        plan = env.plan
        out += [f"## {md(env.name)} ({md(env.source)})", "", "### Summary", ""]
        out += [f"> **{md(rule_text(plan))}**", ""]
        out += ["Services:", ""]
        head = ["Service", "Role", "URL", "Health endpoint", "Render service", "Sentry project"]
        rows = [[md(n), r, md_link(u), md(h), md(rs), md(sp)] for n, r, u, h, rs, sp in service_rows(plan)]
        out += md_table(head, rows)
        out += ["Channels configured:", ""]
        rows = [[c, md(t), md(by), md_code(k) if k else "—"] for c, t, by, k in channel_rows(plan)]
        out += md_table(["Channel", "Target", "Delivered by", "Secret (config key)"], rows)
        if paging_unused(plan):
            out += ["A paging channel is configured but never used: dev never pages.", ""]
        out += ["Routing:", ""]
        out += md_table(["Severity", "Channels"], [[s, ", ".join(c) or "nobody"] for s, c in routes(plan)])
        windows = window_lines(plan)
        out += ["Maintenance windows: " + ("; ".join(md(w) for w in windows) if windows else "none"), ""]
        out += ["System-health job: " + md(job_line(plan)), ""]
        out += ["### Lint findings", ""]
        lint = [
            [sev, md_code(key) if key != "—" else key, rule, md(msg)]
            for sev, key, rule, msg in lint_rows(env)
        ]
        out += (
            md_table(LINT_HEAD, lint)
            if lint
            else [f"None: {md_code(LINT_COMMAND)} finds nothing to warn about.", ""]
        )
        slos = slo_rows(plan)
        if slos:
            out += ["### Service-level objectives", ""]
            out += md_table(SLO_HEAD, [[md(cell) for cell in row] for row in slos])
        boards = dashboard_rows(plan)
        if boards:
            out += ["### Dashboard", ""]
            out += [md(line) + "\n" for line in dashboard_lines(plan)]
            out += md_table(DASHBOARD_HEAD, [[md(cell) for cell in row] for row in boards])
        out += ["### Checks", ""]
        for group, checks in groups(env):
            out += [f"#### {md(group)}", ""]
            head = ["Check", "Vendor", "Triggers when", "Severity", "Notifies", "Runbook"]
            rows = []
            for c in checks:
                who = "; ".join(f"{ch}: {md(t)}" for ch, t in notified(plan, c)) or "nobody"
                book = md_link(c.runbook, runbook_label(c.runbook)) if c.runbook else "—"
                rows.append(
                    [f"{md(c.title)} {md_code(c.key)}", c.vendor, md(c.condition), c.severity, who, book]
                )
            out += md_table(head, rows)
    out += [
        "## Not covered by these vendors",
        "",
        f"The same for every environment ({md(sources(envs))}).",
        "",
    ]
    out += md_table(["Plan item", "Why not"], [[md(item), md(why)] for item, why in UNCOVERED])
    return "\n".join(out).rstrip("\n") + "\n"
