"""`lookout slo ENV`: the error-budget report. For each objective of the plan (stacks/slo.py), the share of
good events over the rolling window and the budget left, from the vendors' own statistics:

* availability: UptimeRobot's uptime statistics of the service's HTTP monitor
  (`GET /monitors/{id}/stats/uptime?from&to`: `total_downtime_seconds` over the window);
* errors and latency: Sentry's span statistics (`GET /organizations/{org}/events/?dataset=spans`):
  `count()` with `failure_count()` for errors, and `count_if(span.duration,greater,<ms>)` for latency, over
  the same spans the monitors watch.

Markdown for people, `--json` for machines. Exit 4 when a budget is exhausted, so CI can hold a risky
deploy; 1 when the statistics cannot be read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from providers import settings
from providers.sentry import client as sentry
from providers.transport import Expected, Transport
from providers.uptimerobot import client as uptimerobot
from stacks.plan import Plan, Service
from stacks.slo import Objective

from . import printer, stack_values, stackfile
from .runners import runner

EXHAUSTED_EXIT = 4
# The spans each objective counts: the error-rate monitor's for errors, server spans for API latency,
# page loads for a frontend's latency.
ERRORS_QUERY = "is_transaction:true"
LATENCY_QUERY = {"backend": "is_transaction:true span.op:http.server", "frontend": "span.op:pageload"}

Status = Literal["within budget", "exhausted", "no data"]


@dataclass(frozen=True)
class Attainment:
    service: str
    kind: str
    target: float
    window_days: int
    total: float  # seconds of the window, or spans
    bad: float  # seconds down, or failed / slow spans
    unit: str  # "seconds" or "spans"

    @property
    def attained(self) -> float | None:
        return None if self.total == 0 else 1 - self.bad / self.total

    @property
    def budget(self) -> float:
        return round(1 - self.target, 12) * self.total

    @property
    def budget_left(self) -> float | None:
        """Share of the budget not spent (negative once overspent); None without events."""
        return None if self.budget == 0 else 1 - self.bad / self.budget

    @property
    def status(self) -> Status:
        left = self.budget_left
        return "no data" if left is None else "exhausted" if left <= 0 else "within budget"


def attainment(plan: Plan, objective: Objective, total: float, bad: float, unit: str) -> Attainment:
    assert plan.slos is not None
    days = plan.slos.window_days
    return Attainment(objective.service, objective.kind, objective.target, days, total, bad, unit)


def measure(plan: Plan, now: datetime | None = None) -> list[Attainment]:
    """Every objective's attainment over the window that ends `now` (default: the transport's clock)."""
    if plan.slos is None:
        return []
    services = {s.name: s for s in plan.services}
    found = []
    ur: Transport | None = None
    for objective in plan.objectives():
        svc = services[objective.service]
        if objective.kind == "availability":
            ur = ur or uptimerobot.client()
            end = now or datetime.fromtimestamp(ur.clock.time(), UTC)
            found.append(_availability(plan, objective, svc, ur, end))
        else:
            found.append(_spans(plan, objective, svc))
    return found


def _availability(plan: Plan, objective: Objective, svc: Service, ur: Transport, end: datetime) -> Attainment:
    assert plan.slos is not None
    monitor = next(
        (
            m
            for m in uptimerobot.list_all(ur, "/monitors")
            if m.get("type") == "HTTP" and m.get("url") == svc.url
        ),
        None,
    )
    if monitor is None:
        raise Missing(f"{svc.name}: no UptimeRobot HTTP monitor of {svc.url}: deploy the stack first")
    start = end - timedelta(days=plan.slos.window_days)
    params = {"from": _iso(start), "to": _iso(end)}
    stats = ur.request("GET", f"/monitors/{monitor['id']}/stats/uptime", params=params) or {}
    seconds = plan.slos.window_days * 86400
    return attainment(plan, objective, seconds, float(stats.get("total_downtime_seconds") or 0), "seconds")


def _spans(plan: Plan, objective: Objective, svc: Service) -> Attainment:
    assert plan.slos is not None
    rest, org = sentry.client(), sentry.org()
    slug = plan.project_slug(svc)
    project = rest.request("GET", f"/projects/{org}/{slug}/") or {}
    if objective.kind == "errors":
        bad_field, query = "failure_count()", ERRORS_QUERY
    else:
        bad_field, query = (
            f"count_if(span.duration,greater,{objective.threshold_ms:g})",
            LATENCY_QUERY[svc.role],
        )
    params: dict[str, Any] = {
        "dataset": "spans",
        "field": ["count()", bad_field],
        "project": [project.get("id")],
        "statsPeriod": f"{plan.slos.window_days}d",
        "query": query,
    }
    answer = rest.request("GET", f"/organizations/{org}/events/", params=params) or {}
    row = (answer.get("data") or [{}])[0]
    return attainment(
        plan, objective, float(row.get("count()") or 0), float(row.get(bad_field) or 0), "spans"
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Missing(Expected, LookupError):
    pass


def _pct(share: float | None, digits: int = 3) -> str:
    return "—" if share is None else f"{share * 100:.{digits}f}%"


def _amount(a: Attainment, value: float) -> str:
    return f"{value / 60:.1f} min" if a.unit == "seconds" else f"{value:,.0f} spans"


def markdown(stack: str, rows: list[Attainment]) -> str:
    lines = [
        f"Error budgets of {stack} over the last {rows[0].window_days if rows else 0} days",
        "",
        "| service | objective | target | attained | budget | spent | left | status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for a in rows:
        lines.append(
            f"| {a.service} | {a.kind} | {a.target * 100:g}% | {_pct(a.attained)} | {_amount(a, a.budget)} | "
            f"{_amount(a, a.bad)} | {_pct(a.budget_left, 1)} | {a.status} |"
        )
    exhausted = [f"{a.service} {a.kind}" for a in rows if a.status == "exhausted"]
    lines += ["", f"exhausted: {', '.join(exhausted)}" if exhausted else "every budget has something left"]
    return "\n".join(lines)


def as_json(stack: str, rows: list[Attainment]) -> str:
    doc = [
        {
            **asdict(a),
            "attained": a.attained,
            "budget": a.budget,
            "budget_left": a.budget_left,
            "status": a.status,
        }
        for a in rows
    ]
    return json.dumps({"stack": stack, "objectives": doc}, indent=2)


def command(stack: str, as_json_output: bool, sandbox: bool) -> int:
    """Exit 0: every budget has something left; 4: one is exhausted; 1: the statistics could not be read."""
    plan = stackfile.load(stack)
    if plan.slos is None:
        printer.problem(f"lookout slo: the {stack} plan declares no lookout:slos")
        return 1
    try:
        with runner(sandbox) as run:
            settings.use_config(stack_values.config(run, stack))
            rows = measure(plan)
    except Expected as exc:
        printer.problem(f"lookout slo: {exc}")
        return 1
    printer.result(as_json(stack, rows) if as_json_output else markdown(stack, rows))
    return EXHAUSTED_EXIT if any(a.status == "exhausted" for a in rows) else 0
