"""What a game day does for each check of the catalog: the failure it exists for, how to cause and heal it
in the world (lookout/gameday_world.py), how soon the plan wants it known, and which other checks that same
failure may set off; and which check each notification the sandbox recorded belongs to.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from stacks import names
from stacks.checks import Check
from stacks.payloads import (
    Heartbeat,
    Keyword,
    MetricThreshold,
    NewIssues,
    Reachable,
    RenderDeploys,
    RenderHealth,
    SslExpiry,
    Watched,
)
from stacks.plan import Plan

from . import gameday_watch
from .gameday_world import HEALTHY_CERTIFICATE, World

Act = Callable[[World], object]
Observe = Callable[[World, float], float | None]
DAY = 86400.0
RESTART_AFTER = 60.0  # Render restarts a service whose health check fails this long (fixed)
DEPLOY_LIMIT = 15 * 60.0  # Render gives up on a deploy whose new instance fails this long

# Checks whose vendor's checks the sandbox does not run yet: named in the report, never passed.
NOT_RUN: dict[str, str] = {}
SLOWER = 0.5  # seconds beyond a latency threshold that a slow fault adds
SHARE = 0.5  # share of requests a failing fault fails


@dataclass(frozen=True)
class Case:
    check: Check
    fault: str  # for people: what fails
    inject: Act
    heal: Act
    limit: float  # seconds of plan time within which every route must have been told
    step: float  # seconds of plan time per step of the clock
    may_fire: frozenset[str]  # other checks this failure may set off (same service, same symptom)
    # For a check that tells nobody (the vendor acts itself): when, after the fault, the vendor acted.
    observe: Observe | None = None

    @property
    def horizon(self) -> float:
        """How long to watch before calling it missed: twice the limit."""
        return 2 * self.limit


def cases(plan: Plan, checks: list[Check]) -> list[Case]:
    """A case for each check the sandbox can run, in catalog order."""
    found = []
    for check in checks:
        made = _case(plan, check, checks)
        if made is not None:
            found.append(made)
    return found


def _case(plan: Plan, check: Check, checks: list[Check]) -> Case | None:
    payload, svc = check.payload, check.service or ""
    # A failure of the app shows wherever the app is watched: its answers in Sentry (a database that fails
    # fails requests), its health path in UptimeRobot's monitors and in Render's health check (a restart is
    # a failure Render e-mails about). So the service's checks of those kinds may fire with any of them.
    same = frozenset(
        c.key
        for c in checks
        if c.service == svc
        and (c.vendor == "sentry" or c.kind in ("http", "keyword", "deploy-notifications"))
    )
    if isinstance(payload, Watched):
        made = gameday_watch.fault(plan, check)
        return None if made is None else Case(check, *made, frozenset())
    if isinstance(payload, NewIssues | MetricThreshold):
        return _sentry_case(plan, check, same)
    if isinstance(payload, RenderHealth | RenderDeploys):
        return _render_case(plan, check, same)
    if isinstance(payload, Reachable):
        return Case(
            check,
            f"the {svc} process stops (its port closes)",
            lambda w: w.apps[svc].server.stop(),
            lambda w: w.apps[svc].restart(),
            payload.interval + 60 * payload.threshold,
            60,
            same,
        )
    if isinstance(payload, Keyword):
        return Case(
            check,
            f"the {svc} database fails (/api/health answers 503 unhealthy)",
            lambda w: w.apps[svc].fault(database_down=True),
            lambda w: w.apps[svc].fault(database_down=False),
            payload.interval + 60 * payload.threshold,
            60,
            same,
        )
    if isinstance(payload, SslExpiry):
        days = payload.days - 1
        return Case(
            check,
            f"the {svc} certificate has {days} days left (the plan warns under {payload.days})",
            lambda w: w.apps[svc].certificate(w.authority, timedelta(days=days, hours=12)),
            lambda w: w.apps[svc].certificate(w.authority, HEALTHY_CERTIFICATE),
            DAY + _interval(check, checks),  # the expiry check runs once a day
            1800,
            frozenset(),
        )
    if isinstance(payload, Heartbeat):
        return Case(
            check,
            f"the {plan.heartbeat.name if plan.heartbeat else 'heartbeat'} job stops pinging",
            lambda w: setattr(w, "job_running", False),
            lambda w: setattr(w, "job_running", True),
            payload.interval + payload.grace + 60,  # from its last ping, which may be just before it stopped
            60,
            frozenset(),
        )
    return None


def _sentry_case(plan: Plan, check: Check, sentry: frozenset[str]) -> Case | None:
    """The fault each Sentry check exists for, caused in the app (or, for a frontend, in its users'
    browsers); detected within the monitor's window, or within a step for an issue alert."""
    svc, payload, t = check.service or "", check.payload, plan.thresholds
    if isinstance(payload, NewIssues):
        if next(s.role for s in plan.services if s.name == svc) != "backend":
            return Case(
                check,
                f"the {svc} page throws in users' browsers",
                lambda w: w.browser_errors.add(svc),
                lambda w: w.browser_errors.discard(svc),
                300,
                60,
                sentry,
            )
        fault = "one request in eight fails with an unhandled error"
        return _fault(check, fault, {"error_share": 0.125}, 300, sentry)
    assert isinstance(payload, MetricThreshold)
    suffix = check.key.rsplit(":", 1)[1] if check.kind == "metric" else "errors"
    faults: dict[str, tuple[str, dict[str, Any]]] = {
        "error-rate": (f"{SHARE:.0%} of API requests fail with an unhandled error", {"error_share": SHARE}),
        "errors": (f"{SHARE:.0%} of API requests fail with an unhandled error", {"error_share": SHARE}),
        "api-p95": (
            f"every API answer takes {t.api_p95_ms / 1000 + SLOWER:g} s",
            {"delay": t.api_p95_ms / 1000 + SLOWER},
        ),
        "db-p95": (
            f"every database query takes {t.db_p95_ms / 1000 + SLOWER:g} s",
            {"database_delay": t.db_p95_ms / 1000 + SLOWER},
        ),
        "failed-logins": (f"{SHARE:.0%} of logins are refused (401)", {"failed_logins": SHARE}),
        "payment-failures": ("payment processing fails (checkouts answer 502)", {"payments_failing": True}),
        "auth-failures": ("the authentication service is down (logins answer 503)", {"auth_down": True}),
    }
    if suffix not in faults:
        return None
    fault, changes = faults[suffix]
    # A monitor of a window updates every minute; a step of two minutes still sees each update (dated
    # when it was due), and halves the steps of a case that waits out its window.
    return _fault(check, fault, changes, float(payload.time_window), sentry, step=120)


def _render_case(plan: Plan, check: Check, may_fire: frozenset[str]) -> Case:
    """A health check that fails (Render restarts the service: seen in its events), or a deploy that fails
    (Render e-mails the workspace as its notification settings say)."""
    svc, payload = check.service or "", check.payload
    backend = next(s.role for s in plan.services if s.name == svc) == "backend"
    if isinstance(payload, RenderHealth):
        if backend:
            fault, inject, heal = (
                f"the {svc} database fails ({payload.path} answers 503)",
                lambda w: w.apps[svc].fault(database_down=True),
                lambda w: w.apps[svc].fault(database_down=False),
            )
        else:
            fault, inject, heal = (
                f"the {svc} process stops ({payload.path} does not answer)",
                lambda w: w.apps[svc].server.stop(),
                lambda w: w.apps[svc].restart(),
            )
        service = payload.render_service
        return Case(
            check,
            fault,
            inject,
            heal,
            RESTART_AFTER + 60,
            60,
            may_fire,
            lambda w, since: w.render_event(service, "server_failed", since),
        )
    assert isinstance(payload, RenderDeploys)
    service = payload.render_service
    return Case(
        check,
        f"a deploy of {service} fails (its build breaks)",
        lambda w: w.failed_deploy(service),
        lambda w: w.builds_fail(service, False),
        DEPLOY_LIMIT,
        60,
        may_fire,
    )


def _fault(
    check: Check,
    fault: str,
    changes: dict[str, Any],
    limit: float,
    may_fire: frozenset[str] = frozenset(),
    step: float = 60,
) -> Case:
    svc = check.service or ""
    healed = {name: False if isinstance(value, bool) else 0.0 for name, value in changes.items()}
    return Case(
        check,
        f"{svc}: {fault}",
        lambda w: w.apps[svc].fault(**changes),
        lambda w: w.apps[svc].fault(**healed),
        limit,
        step,
        may_fire,
    )


def _interval(check: Check, checks: list[Check]) -> float:
    """The interval of the HTTP monitor an SSL check is a setting of."""
    for other in checks:
        if other.service == check.service and isinstance(other.payload, Reachable):
            return float(other.payload.interval)
    return 300.0


def attribute(
    delivery: dict[str, Any], plan: Plan, checks: list[Check], monitors: dict[int, str]
) -> str | None:
    """The check a notification came from, or None when no check of the plan sent it."""
    watched = gameday_watch.attribute(delivery, plan.environment)  # before the alert that carried it
    if watched is not None:
        return watched
    if delivery.get("via") == "sentry":
        return _sentry_check(delivery, plan, checks)
    if delivery.get("via") == "render":
        by_service = {c.payload.render_service: c.key for c in checks if isinstance(c.payload, RenderDeploys)}
        return by_service.get(str(delivery.get("service")))
    by_name = {names.monitor(plan, c): c for c in checks if c.vendor == "uptimerobot"}
    name = None
    if delivery.get("via") == "uptimerobot":
        name = delivery.get("monitor")
    elif delivery.get("via") == "UptimeRobot":  # a page, through PagerDuty's Events API
        monitor_id = str(delivery.get("dedup_key", "")).rpartition("-")[2]
        name = html.unescape(monitors.get(int(monitor_id), "")) if monitor_id.isdigit() else None
    check = by_name.get(str(name)) if name else None
    if check is None:
        return None
    if delivery.get("event") == "ssl-expiry":
        return f"ssl:{check.service}"
    return check.key


def _sentry_check(delivery: dict[str, Any], plan: Plan, checks: list[Check]) -> str | None:
    """A Sentry notification's check: a metric issue is titled by its monitor's name; an issue alert is
    named after its check (stacks/names.py)."""
    by_title = {names.monitor(plan, c): c.key for c in checks if isinstance(c.payload, MetricThreshold)}
    by_alert = {names.issue_alert(plan, c): c.key for c in checks if isinstance(c.payload, NewIssues)}
    if delivery.get("title") in by_title:
        return by_title[str(delivery["title"])]
    summary = str(delivery.get("summary") or "")  # a page: "<level>: <monitor>"
    paged = [key for title, key in by_title.items() if summary.endswith(f": {title}")]
    return paged[0] if paged else by_alert.get(str(delivery.get("alert")))


def is_alert(delivery: dict[str, Any]) -> bool:
    """A notification that something is wrong (not a recovery)."""
    if delivery.get("channel") == "pagerduty":
        return delivery.get("status") in ("paged", "nobody on call")
    alerts = ("down", "ssl-expiry", "critical", "warning", "server_failed", "deploy failed")
    return delivery.get("event") in alerts or (
        delivery.get("via") == "sentry" and "event" not in delivery  # an issue alert
    )


def is_recovery(delivery: dict[str, Any]) -> bool:
    return delivery.get("event") in ("up", "resolved")
