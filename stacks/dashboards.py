"""The plan's "Monitoring Dashboard Requirements" compiled into one Sentry dashboard per environment (issue
#15): every key metric Sentry can measure on the services' spans, on a 6-column grid. Uptime is shown by the
environment's UptimeRobot status page; what neither vendor measures is listed in `UNMEASURED`.

Widgets are the Dashboard resource's input form (providers/sentry/dashboard.py); queries use Sentry's span
search, as the metric monitors do (stacks/checks.py).
"""

from __future__ import annotations

from typing import Any

from . import slo
from .checks import TX
from .plan import Plan, Service
from .system_health import checks, watch_project

API = f"{TX} span.op:http.server"
PERCENTILES = ["p50(span.duration)", "p95(span.duration)", "p99(span.duration)"]

# Dashboard items of the plan no widget shows, and why (the catalog lists them).
UNMEASURED = [
    ("Uptime percentage", "measured by UptimeRobot, shown on the status page"),
    ("Time to interactive", "not among the web vitals Sentry's browser SDK reports, page load stands in"),
    (
        "CPU, memory and database storage as charts",
        "read from Render and Supabase by the system-health job, which alerts on them; its open findings "
        "are the dashboard's System-health findings table",
    ),
    ("DAU/MAU, registrations, quest completions, subscriptions, MRR", "product analytics, not monitoring"),
]


def _widget(
    title: str,
    display: str,
    aggregates: list[str],
    conditions: str,
    at: tuple[int, int, int, int],
    **query: Any,
) -> dict[str, Any]:
    x, y, w, h = at
    limit = query.pop("limit", None)
    return {
        "title": title,
        "display_type": display,
        "widget_type": "spans",
        "interval": "5m",
        "limit": limit,
        "queries": [{"aggregates": aggregates, "conditions": conditions, **query}],
        "layout": {"x": x, "y": y, "w": w, "h": h, "min_h": 1 if display == "big_number" else 2},
    }


def _scoped(plan: Plan, services: list[Service], query: str) -> str:
    """`query` on the spans of these services' projects only (Sentry's `project:` search key)."""
    slugs = [plan.project_slug(s) for s in services]
    if not slugs:
        return query
    scope = f"project:{slugs[0]}" if len(slugs) == 1 else f"project:[{','.join(slugs)}]"
    return f"{query} {scope}".strip()


def _error_target(plan: Plan) -> str:
    errors = [o for o in plan.objectives() if o.kind == "errors"]
    share = errors[0].budget if errors else 1 - slo.PLAN_ERRORS
    return f"{share * 100:g}%"


def _page_load_ms(plan: Plan, frontends: list[Service]) -> float:
    names = {s.name for s in frontends}
    found = [o.threshold_ms for o in plan.objectives() if o.kind == "latency" and o.service in names]
    return next((ms for ms in found if ms), slo.PLAN_PAGE_LOAD_MS)


def widgets(plan: Plan) -> list[dict[str, Any]]:
    """The dashboard's widgets; empty when no service has a Sentry project."""
    measured = [s for s in plan.services if s.sentry_platform]
    backends = [s for s in measured if s.role == "backend"]
    frontends = [s for s in measured if s.role == "frontend"]
    if not measured:
        return []
    api, target = _scoped(plan, backends, API), _error_target(plan)
    found = [
        _widget(f"Error rate (target < {target})", "big_number", ["failure_rate()"], TX, (0, 0, 2, 1)),
        _widget("Request rate (requests/minute)", "big_number", ["epm()"], api, (2, 0, 2, 1)),
        _widget(
            "Failed payment rate",
            "big_number",
            ["failure_rate()"],
            f"{TX} transaction:/api/payments*",
            (4, 0, 2, 1),
        ),
        _widget("Error rate over time", "line", ["failure_rate()"], TX, (0, 1, 3, 2)),
        _widget("API response time p50 / p95 / p99", "line", PERCENTILES, api, (3, 1, 3, 2)),
        _widget(
            "Database query time p50 / p95 / p99",
            "line",
            PERCENTILES,
            _scoped(plan, backends, "span.op:db"),
            (0, 3, 3, 2),
        ),
    ]
    if frontends:
        limit_s = _page_load_ms(plan, frontends) / 1000
        found.append(
            _widget(
                f"Page load time p75 (target < {limit_s:g} s)",
                "line",
                ["p75(span.duration)"],
                _scoped(plan, frontends, "span.op:pageload"),
                (3, 3, 3, 2),
            )
        )
    found.append(
        _widget(
            "API error rate by endpoint",
            "table",
            ["failure_rate()", "count()"],
            api,
            (0, 5, 6, 3),
            columns=["transaction"],
            orderby="-failure_rate()",
            limit=10,
        )
    )
    if watch_project(plan) and checks(plan):
        found.append(_findings((0, 8, 6, 3)))
    return found


def _findings(at: tuple[int, int, int, int]) -> dict[str, Any]:
    """The system-health job's open findings: unresolved issues titled `lookout-watch <check>: ...`
    (lookout/watch.py), in an issue widget with the columns Sentry's widget builder starts from
    (static/app/views/dashboards/datasetConfig/issues.tsx, DEFAULT_WIDGET_QUERY), newest first."""
    x, y, w, h = at
    query = {"aggregates": [], "columns": ["issue", "assignee", "title"], "orderby": "date"}
    return {
        "title": "System-health findings (lookout watch)",
        "display_type": "table",
        "widget_type": "issue",
        "interval": "5m",
        "limit": None,
        "queries": [{**query, "conditions": "is:unresolved lookout-watch"}],
        "layout": {"x": x, "y": y, "w": w, "h": h, "min_h": 2},
    }
