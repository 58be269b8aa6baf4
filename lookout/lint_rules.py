"""The lint rules: small functions over one stack's plan and compiled checks, each yielding findings.

Rules name paths under the `lookout:` namespace (`services[1].health_path`); every finding carries the full
config key as written in the stack file (`lookout:services[1].health_path`, `sentry:authToken`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from providers.sentry.metric_monitor import TIME_WINDOWS
from providers.uptimerobot import facts as uptimerobot
from stacks.checks import METRIC_KINDS, METRICS, Check, down_minutes
from stacks.plan import Plan

HEARTBEAT_MAX_INTERVAL = 2678400  # UptimeRobot: 31 days
SEVERITIES = ("critical", "warning", "info")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Literal["error", "warning", "info"]
    path: str
    message: str


@dataclass(frozen=True)
class Stack:
    plan: Plan
    checks: list[Check]
    values: dict[str, Any]  # the `lookout:*` values as written
    config: dict[str, Any]  # every namespace of the stack file


Rule = Callable[[Stack], Iterator[Finding]]


def uptime_coverage(s: Stack) -> Iterator[Finding]:
    silent: dict[str, list[str]] = {}
    for i, svc in enumerate(s.plan.services):
        at = f"services[{i}].url"
        mine = [c for c in s.checks if c.vendor == "uptimerobot" and c.service == svc.name]
        uptime = [c for c in mine if c.kind in ("http", "keyword")]
        ssl = [c for c in mine if c.kind == "ssl-expiry"]
        if not uptime:
            yield error("uptime-coverage", at, f"{svc.url} has no uptime check: nobody hears when it is down")
        if svc.url.startswith("https://") and not ssl:
            yield error("uptime-coverage", at, f"{svc.url} has no SSL-expiry check")
        if svc.url.startswith("http://"):
            yield warning(
                "uptime-coverage", at, f"{svc.url} is plain http, so no certificate is watched; use https"
            )
        watching = [c for c in s.checks if c.service == svc.name and c.kind in ("http", "keyword")]
        for c in watching:  # (SSL reminders go to the e-mail contact whatever the routing says)
            if not c.channels:
                silent.setdefault(c.severity, []).append(f"'{c.title}'")
    for severity, titles in silent.items():
        message = f"nobody hears about {', '.join(titles)}: routing.{severity} lists no channel"
        yield error("uptime-coverage", f"routing.{severity}", message + _dev_note(s, severity) + "; add one")


def health_path_match(s: Stack) -> Iterator[Finding]:
    for i, svc in enumerate(s.plan.services):
        if svc.health_keyword and not svc.health_path:
            yield warning(
                "health-path-match",
                f"services[{i}].health_keyword",
                f"health_keyword '{svc.health_keyword}' is ignored without a health_path; set health_path",
            )
        if not svc.render_service:
            continue
        if not svc.health_path:
            yield warning(
                "health-path-match",
                f"services[{i}].health_path",
                f"{svc.name} runs on Render ({svc.render_service}) without a health check path: Render keeps "
                "routing traffic to a broken instance; set health_path (and health_keyword)",
            )
            continue
        monitored_urls = [
            c.url
            for c in s.checks
            if c.vendor == "uptimerobot"
            and c.service == svc.name
            and c.kind in ("http", "keyword")
            and c.url is not None
            and c.url != svc.url
        ]
        if not monitored_urls:
            yield warning(
                "health-path-match",
                f"services[{i}].health_keyword",
                f"Render health-checks {svc.health_path} but UptimeRobot does not watch {svc.health_url}: "
                "set health_keyword to the text it returns when healthy",
            )
        for url in monitored_urls:
            monitored = urlsplit(url).path
            if monitored != svc.health_path:
                yield error(
                    "health-path-match",
                    f"services[{i}].health_path",
                    f"Render health-checks {svc.health_path} but UptimeRobot watches {monitored} "
                    f"({url}): the two disagree on what 'healthy' means; the service URL "
                    "should be the service's root",
                )


# What a health endpoint says when it fails: the plan's answers {"status": "unhealthy"} with a 503
# (docs/monitoring-plan.txt, Step 3); "not ok" is the other common wording.
FAILURE_WORDS = ("unhealthy", "not healthy", "not ok", "not_ok")


def health_keyword(s: Stack) -> Iterator[Finding]:
    """Lookout's keyword monitor alerts when the keyword is missing: a keyword that the failure answer also
    contains cannot show the failure in the body (UptimeRobot still sees the 503: a keyword monitor takes
    successHttpResponseCodes, default 2xx/3xx; specs/uptimerobot-openapi.yaml CreateKeywordMonitorDto)."""
    for i, svc in enumerate(s.plan.services):
        keyword = (svc.health_keyword or "").strip().lower()
        inside = next((word for word in FAILURE_WORDS if keyword and keyword in word), None)
        if inside is not None:
            yield warning(
                "health-keyword",
                f"services[{i}].health_keyword",
                f"'{svc.health_keyword}' is also in the answer of a failing health check ('{inside}'): the "
                "body never shows the failure and only its status code is left to alert on; use text that "
                'only a healthy answer has, e.g. \'"status":"healthy"\' (Flask\'s jsonify writes no spaces)',
            )


def sentry_alerting(s: Stack) -> Iterator[Finding]:
    for i, svc in enumerate(s.plan.services):
        if not svc.sentry_platform:
            continue
        alerts = [c for c in s.checks if c.vendor == "sentry" and c.service == svc.name]
        mute = [c for c in alerts if c.kind == "new-issues" and not c.channels]  # always an Alert
        if not mute and any(c.channels for c in alerts):
            continue
        routes = sorted({f"routing.{c.severity}" for c in mute or alerts}) or ["its routing"]
        yield error(
            "sentry-alerting",
            f"services[{i}].sentry_platform",
            f"Sentry project {s.plan.project_slug(svc)} would get an alert without actions, which Sentry "
            f"refuses: {' and '.join(routes)} {'lists' if len(routes) == 1 else 'list'} no channel"
            + "".join(_dev_note(s, r.removeprefix("routing.")) for r in routes)
            + "; add slack or email",
        )
    monitors = [c for c in s.checks if c.kind in METRIC_KINDS and not c.channels]
    for severity in sorted({c.severity for c in monitors}):
        keys = ", ".join(c.key for c in monitors if c.severity == severity)
        yield warning(
            "sentry-alerting",
            f"routing.{severity}",
            f"Sentry monitors {keys} alert nobody: routing.{severity} reaches no channel"
            + _dev_note(s, severity),
        )


def prod_pages(s: Stack) -> Iterator[Finding]:
    if s.plan.environment != "prod":
        return
    silent = [c.key for c in s.checks if c.severity == "critical" and "pagerduty" not in c.channels]
    if not silent:
        return
    shown = ", ".join(silent[:4]) + (f" and {len(silent) - 4} more" if len(silent) > 4 else "")
    if s.plan.channels.pagerduty is None:
        yield error("prod-pages", "channels.pagerduty", f"prod has no PagerDuty channel: {shown} page nobody")
    else:
        yield error(
            "prod-pages", "routing.critical", f"{shown} do not page: add pagerduty to routing.critical"
        )


def oncall_reaches_people(s: Stack) -> Iterator[Finding]:
    """Prod's critical route must end at people: a service whose policy reaches a rotation of at least two
    people and goes further when nobody acknowledges."""
    if s.plan.environment != "prod" or "pagerduty" not in s.plan.routed("critical"):
        return
    oc = s.plan.oncall
    if oc is None:
        yield warning(
            "oncall",
            "oncall",
            "prod pages a PagerDuty service set up by hand: nothing here shows who it reaches; "
            "lookout:oncall "
            "makes its rotation and escalation from the plan",
        )
        return
    if len(oc.people) < 2:
        yield error(
            "oncall",
            "oncall.people",
            f"one person on call ({oc.people[0]}) has no one to hand over to: at least two take turns",
        )
    if not oc.escalate_to and oc.loops == 0:
        yield warning(
            "oncall",
            "oncall.escalate_to",
            "a page nobody acknowledges is never escalated: name escalate_to, or let the policy loop",
        )


def dev_never_pages(s: Stack) -> Iterator[Finding]:
    if s.plan.environment != "dev":
        return
    routing = s.values.get("routing")
    for severity in SEVERITIES:
        explicit = isinstance(routing, dict) and severity in routing
        for j, channel in enumerate(getattr(s.plan.routing, severity)):
            if channel != "pagerduty":
                continue
            if explicit:
                where = f"routing.{severity}[{j}]"
                why = f"pagerduty is dropped from routing.{severity}, so this promises pages that never come"
            else:
                where = f"routing.{severity}"
                why = f"the default routing.{severity} lists pagerduty; list dev's channels explicitly"
            yield error("dev-never-pages", where, f"dev never pages: {why}")
    if s.plan.channels.pagerduty is not None:
        yield warning(
            "dev-never-pages", "channels.pagerduty", "dev never pages: this channel is never used; remove it"
        )


def threshold_order(s: Stack) -> Iterator[Finding]:
    t = s.plan.thresholds
    pairs = {(m.critical, m.warning) for m in METRICS if m.critical and m.warning}
    for critical, warning in sorted(pairs):
        high, low = getattr(t, critical), getattr(t, warning)
        if low >= high:
            yield error(
                "threshold-order",
                f"thresholds.{warning}",
                f"{warning} {low:g} must be below {critical} {high:g} (Sentry alerts above them and "
                "rejects a warning level at or above the critical one)",
            )
    rates = {
        name
        for m in METRICS
        if m.aggregate.startswith("failure_rate")
        for name in (m.critical, m.warning)
        if name
    }
    for name in sorted(rates):
        value = getattr(t, name)
        if not 0 < value < 1:
            yield error(
                "threshold-order",
                f"thresholds.{name}",
                f"{value:g} means {value * 100:g}%, so it {'always' if value <= 0 else 'never'} alerts: "
                "rates are fractions (0.05 = 5%)",
            )


def plan_limits(s: Stack) -> Iterator[Finding]:
    # thresholds.check_interval below the plan's minimum never reaches a rule: the plan model refuses it
    # (stacks/plan.py, with the same words as the monitor's own check: providers/uptimerobot/facts.py).
    plan, t = s.plan.uptimerobot_plan, s.plan.thresholds
    least = uptimerobot.PLANS[plan].min_interval
    hb = s.plan.heartbeat
    if hb and not least <= hb.interval <= HEARTBEAT_MAX_INTERVAL:
        yield error(
            "plan-limits",
            "heartbeat.interval",
            f"{hb.interval} s is outside UptimeRobot's {least}..{HEARTBEAT_MAX_INTERVAL} s ({plan} plan)",
        )
    if t.window_seconds not in TIME_WINDOWS:
        yield error(
            "plan-limits",
            "thresholds.window_seconds",
            f"{t.window_seconds} s is not a Sentry metric window: use one of {_seconds(TIME_WINDOWS)}",
        )
    windows = s.plan.maintenance_windows
    if windows and not uptimerobot.PLANS[plan].maintenance_windows:
        yield error(
            "plan-limits",
            "maintenance_windows",
            f"{len(windows)} maintenance window{'s' * (len(windows) != 1)} declared, but UptimeRobot's "
            f"{plan} plan has none (paid plans only): its create would be refused part-way through `up`; "
            "set uptimerobot:plan to the account's paid plan, or remove them",
        )
    if down_minutes(s.plan) == 0:
        yield warning(
            "plan-limits",
            "thresholds.down_after",
            f"UptimeRobot's {plan} plan cannot delay alerts (no contact threshold): '{t.down_after}' "
            "degrades to alerting on the first failed check",
        )


def slo_retention(s: Stack) -> Iterator[Finding]:
    """An error or latency objective counts Sentry's spans over the window: spans older than the plan keeps
    are gone (providers/sentry/facts.py), so a longer window would report on its last days only."""
    slos = s.plan.slos
    if slos is None or slos.window_days <= slos.span_retention_days:
        return
    counted = sorted({f"{o.service} {o.kind}" for o in s.plan.objectives() if o.kind != "availability"})
    if counted:
        yield warning(
            "slo-retention",
            "slos.window_days",
            f"{slos.window_days} days is longer than the {slos.span_retention_days} days Sentry keeps spans "
            f"(slos.span_retention_days): {', '.join(counted)} would count only the last "
            f"{slos.span_retention_days} days",
        )


RULES: list[Rule] = [
    uptime_coverage,
    health_path_match,
    health_keyword,
    sentry_alerting,
    prod_pages,
    oncall_reaches_people,
    dev_never_pages,
    threshold_order,
    plan_limits,
    slo_retention,
]


def _dev_note(s: Stack, severity: str) -> str:
    listed = getattr(s.plan.routing, severity, [])
    return (
        " (dev never pages: pagerduty is dropped)"
        if "pagerduty" in listed and s.plan.environment == "dev"
        else ""
    )


def _seconds(values: tuple[int, ...]) -> str:
    return ", ".join(map(str, values))


def full_key(path: str) -> str:
    """`services[1].url` -> `lookout:services[1].url`; a key already in a namespace (`sentry:authToken`),
    or no path at all, stays as it is."""
    if not path or ":" in re.split(r"[.\[]", path, maxsplit=1)[0]:
        return path
    return f"lookout:{path}"


def error(rule: str, path: str, message: str) -> Finding:
    return Finding(rule, "error", full_key(path), message)


def warning(rule: str, path: str, message: str) -> Finding:
    return Finding(rule, "warning", full_key(path), message)
