"""The plan compiled into vendor-neutral checks: what is watched, at what threshold, who hears about it.

One list serves three readers: the MonitoringStack component (which turns each check into resources), the
`lint` command (cross-vendor invariants) and the alert catalog. Nothing here talks to Pulumi or an API.
"""

from __future__ import annotations

from typing import NamedTuple

from . import slo, system_health
from .check import Check, Severity, runbook
from .payloads import (
    Heartbeat,
    Keyword,
    MetricThreshold,
    NewIssues,
    Reachable,
    RenderDeploys,
    RenderHealth,
    SslExpiry,
)
from .plan import Plan, Service

METRIC_KINDS = ("metric", "slo-burn")  # checks that are Sentry metric monitors


class Metric(NamedTuple):
    """One of the plan's thresholds that Sentry can measure; `critical`/`warning` name Thresholds fields."""

    key: str
    title: str
    aggregate: str
    dataset: str
    query: str
    critical: str | None
    warning: str | None


# Sentry measures these on spans: organizations migrating off the transactions dataset refuse new
# transaction-based monitors, and point to spans with the is_transaction:true filter (issue #11).
SPANS, TX = "events_analytics_platform", "is_transaction:true"
# A refused password (401: the SDK's status `unauthenticated`) is a failing span too: the failed-login rate
# warns of those, and the auth endpoint's failures, which page, leave them out (found by the game day: a
# burst of wrong passwords paged the on-call as an outage).
NOT_REFUSED = "!span.status:unauthenticated"
METRICS = [
    Metric(
        "error-rate",
        "error rate",
        "failure_rate()",
        SPANS,
        TX,
        "error_rate_critical",
        "error_rate_warning",
    ),
    Metric(
        "api-p95",
        "API response time p95",
        "p95(span.duration)",
        SPANS,
        f"{TX} span.op:http.server",
        None,
        "api_p95_ms",
    ),
    Metric(
        "db-p95",
        "database query time p95",
        "p95(span.duration)",
        SPANS,
        "span.op:db",
        None,
        "db_p95_ms",
    ),
    Metric(
        "failed-logins",
        "failed login rate",
        "failure_rate()",
        SPANS,
        f"{TX} transaction:/api/auth/login",
        None,
        "failed_login_rate",
    ),
    Metric(
        "payment-failures",
        "payment endpoint failures",
        "failure_rate()",
        SPANS,
        f"{TX} transaction:/api/payments*",
        "error_rate_critical",
        None,
    ),
    Metric(
        "auth-failures",
        "auth endpoint failures",
        "failure_rate()",
        SPANS,
        f"{TX} transaction:/api/auth* {NOT_REFUSED}",
        "error_rate_critical",
        None,
    ),
]  # fmt: skip  (one row per threshold reads better than wrapped calls)

# What the plan asks for that no vendor here can do; listed, never silently dropped. (The database and
# the services' CPU and memory are measured by the vendors but alerted on by none: the system-health job,
# `lookout watch`, checks them: `_watch`.)
UNCOVERED = [
    (
        "Business metrics: DAU/MAU, signups, MRR, conversion, churn",
        "product analytics, not monitoring vendors",
    ),
    ("Log retention >= 7 days", "a Render plan setting; logs can be shipped with a log stream"),
]


def down_minutes(plan: Plan) -> int:
    """Minutes of failure before an outage notifies (UptimeRobot's contact threshold; 0 on the free plan)."""
    if plan.uptimerobot_plan == "free":
        return 0
    if plan.thresholds.down_after == "5-minutes":
        return 5
    return 2 * plan.thresholds.check_interval // 60  # the 3rd consecutive failed check


def reachable_at(svc: Service) -> tuple[str, str]:
    """Where a service is probed for being up, and how: an API at its health endpoint (it may well answer
    404 at its root, which UptimeRobot reads as down; the plan's Step 2 watches the backends'
    `/api/health`), with HEAD so that it is not the keyword monitor's GET on the same URL (UptimeRobot
    refuses a second GET or HEAD monitor on one URL: docs/vendors/uptimerobot.md, how a monitor is
    checked); a site at its root."""
    if svc.role == "backend" and svc.health_url:
        return svc.health_url, "HEAD"
    return svc.url, "GET"


def _uptime(plan: Plan, svc: Service) -> list[Check]:
    t = plan.thresholds
    delay = down_minutes(plan)
    down = (
        f"notified {delay} min after the first failed check"
        if delay
        else "notified at the first failed check"
    )
    url, method = reachable_at(svc)
    checks = [
        Check(
            f"uptime:{svc.name}",
            "uptimerobot",
            "http",
            f"{svc.name} is reachable",
            f"{method} {url} fails ({down}; checked every {t.check_interval // 60} min)",
            "critical",
            tuple(plan.routed("critical")),
            svc.name,
            runbook(plan, "service-down"),
            Reachable(url, t.check_interval, down_minutes(plan), method),
        )
    ]
    if svc.url.startswith("https://"):
        checks.append(
            Check(
                f"ssl:{svc.name}",
                "uptimerobot",
                "ssl-expiry",
                f"{svc.name} SSL certificate",
                f"certificate expires in < {t.ssl_expiry_days} days, or is invalid",
                "info",
                tuple(c for c in plan.routed("info") if c == "email"),  # reminders go to the e-mail contact
                svc.name,
                runbook(plan, "ssl-expiry"),
                SslExpiry(svc.url, t.ssl_expiry_days),
            )
        )
    if svc.health_url and svc.health_keyword:
        checks.append(
            Check(
                f"health:{svc.name}",
                "uptimerobot",
                "keyword",
                f"{svc.name} reports healthy",
                f"GET {svc.health_url} does not contain '{svc.health_keyword}'",
                "critical",
                tuple(plan.routed("critical")),
                svc.name,
                runbook(plan, "health-check"),
                Keyword(svc.health_url, svc.health_keyword, t.check_interval, delay),
            )
        )
    return checks


def _sentry(plan: Plan, svc: Service) -> list[Check]:
    if not svc.sentry_platform:
        return []
    project = plan.project_slug(svc)
    checks = [
        Check(
            f"sentry:{svc.name}:new-issues",
            "sentry",
            "new-issues",
            f"{svc.name}: new and regressed issues",
            "an issue is first seen or regresses",
            "warning",
            tuple(plan.routed("warning")),
            svc.name,
            runbook(plan, "new-issue"),
            NewIssues(project),
        )
    ]
    if svc.role != "backend":
        return checks
    t = plan.thresholds
    for m in METRICS:
        key, title, aggregate, dataset, query = m.key, m.title, m.aggregate, m.dataset, m.query
        critical = getattr(t, m.critical) if m.critical else None
        warning = getattr(t, m.warning) if m.warning else None
        levels = [f"> {_fmt(critical, aggregate)} critical" if critical is not None else ""]
        levels.append(f"> {_fmt(warning, aggregate)} warning" if warning is not None else "")
        severity: Severity = "critical" if critical is not None else "warning"
        checks.append(
            Check(
                f"sentry:{svc.name}:{key}",
                "sentry",
                "metric",
                f"{svc.name} {title}",
                f"{title} {', '.join(x for x in levels if x)} over {t.window_seconds // 60} min",
                severity,
                tuple(plan.routed(severity)),
                svc.name,
                runbook(plan, key),
                MetricThreshold(project, aggregate, dataset, query, critical, warning, t.window_seconds),
            )
        )
    return checks


def _burn_rate(plan: Plan) -> list[Check]:
    """Error-budget burn of each errors objective, as Sentry metric monitors of the failure rate (the
    same spans as the error-rate check): the fast burn pages, the slow one warns (stacks/slo.py)."""
    if plan.slos is None:
        return []
    services = {s.name: s for s in plan.services}
    checks = []
    for objective in plan.objectives():
        if objective.kind != "errors":
            continue  # availability: UptimeRobot alerts on down only; latency: see the catalog
        svc = services[objective.service]
        for burn in slo.burns(plan.slos, objective):
            checks.append(
                Check(
                    f"slo:{svc.name}:errors:{burn.speed}",
                    "sentry",
                    "slo-burn",
                    f"{svc.name} error budget: {burn.speed} burn",
                    f"{burn.burn_rate:g}x the even spend of a {objective.target * 100:g}% objective over "
                    f"{plan.slos.window_days} days: {burn.arithmetic}",
                    burn.severity,
                    tuple(plan.routed(burn.severity)),
                    svc.name,
                    runbook(plan, "error-budget"),
                    MetricThreshold(
                        plan.project_slug(svc),
                        "failure_rate()",
                        SPANS,
                        TX,
                        burn.threshold if burn.severity == "critical" else None,
                        burn.threshold if burn.severity == "warning" else None,
                        burn.window_minutes * 60,
                    ),
                )
            )
    return checks


def _render(plan: Plan, svc: Service) -> list[Check]:
    if not svc.render_service:
        return []
    checks = []
    if svc.health_path:
        checks.append(
            Check(
                f"render:{svc.name}:health-check",
                "render",
                "health-check",
                f"{svc.render_service} health check",
                f"Render routes traffic only while GET {svc.health_path} answers 2xx/3xx (fixed timing)",
                "info",
                (),  # Render acts on it (stops routing, restarts); people hear of it via deploy notices
                svc.name,
                runbook(plan, "health-check"),
                RenderHealth(svc.render_service, svc.health_path),
            )
        )
    checks.append(
        Check(
            f"render:{svc.name}:deploys",
            "render",
            "deploy-notifications",
            f"{svc.render_service} deploys and failures",
            "a deploy finishes or fails, or the service fails"
            + (
                "; each deploy also goes on the PagerDuty service's timeline (`lookout deploy-event`)"
                if plan.oncall and plan.oncall.deploy_events
                else ""
            ),
            "info",
            tuple(
                c for c in plan.routed("info") if c == "email"
            ),  # Render notifies by e-mail (and Slack app)
            svc.name,
            runbook(plan, "deploy"),
            RenderDeploys(svc.render_service),
        )
    )
    return checks


def _fmt(value: float | None, aggregate: str) -> str:
    if value is None:
        return ""
    if aggregate.startswith("failure_rate"):
        return f"{value * 100:g}%"
    return f"{value / 1000:g} s" if value >= 1000 else f"{value:g} ms"


def compile_plan(plan: Plan) -> list[Check]:
    checks: list[Check] = []
    for svc in plan.services:
        checks += _uptime(plan, svc) + _sentry(plan, svc) + _render(plan, svc)
    checks += _burn_rate(plan) + system_health.checks(plan)
    if plan.heartbeat:
        hb = plan.heartbeat
        checks.append(
            Check(
                f"heartbeat:{hb.name}",
                "uptimerobot",
                "heartbeat",
                f"{hb.name} job runs",
                f"no ping for {hb.interval // 60} min (+{hb.grace} s grace)",
                "warning",
                tuple(plan.routed("warning")),
                None,
                runbook(plan, "heartbeat"),
                Heartbeat(hb.interval, hb.grace),
            )
        )
    return checks
