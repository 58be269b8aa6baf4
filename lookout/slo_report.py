"""`lookout slo ENV`: the error-budget report. For each objective of the plan (stacks/slo.py), the share of
good events over the rolling window and the budget left, from the vendors' own statistics:

* availability: UptimeRobot's uptime statistics of the service's HTTP monitor
  (`GET /monitors/{id}/stats/uptime?from&to`: `total_downtime_seconds` over the window);
* errors and latency: Sentry's span statistics (`GET /organizations/{org}/events/?dataset=spans`):
  `count()` with `failure_count()` for errors, and `count_if(span.duration,greater,<ms>)` for latency, over
  the same spans the monitors watch.

Markdown for people, `--json` for machines, `--chart PATH` for a PNG of the budget left over the window
(lookout/slo_chart.py): availability from the monitor's incidents read once (`GET /incidents?monitor_id`,
their pages), so exactly where the budget was spent; span objectives at `--points` instants, a request
each. Exit 4 when a budget is exhausted, so CI can hold a risky deploy; 1 when the statistics cannot be
read or the chart not written.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from providers import settings
from providers.sentry import client as sentry
from providers.uptimerobot import client as uptimerobot
from stacks.plan import Plan, Service
from stacks.slo import Objective
from transport import Expected, Transport

from . import printer, slo_chart, stack_values, stackfile
from .exits import Exit
from .runners import runner
from .slo_chart import Point

CHART_POINTS, MAX_POINTS = 10, 60  # --chart: points over the window (a request each, per span objective)
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


class Reader(Protocol):
    """Where the report and the series read the vendors' statistics: `Statistics`, or a fake in tests."""

    def now(self) -> datetime: ...

    def counts(self, objective: Objective, start: datetime, end: datetime) -> tuple[float, float, str]: ...

    def outages(self, objective: Objective, start: datetime, end: datetime) -> list[Outage]: ...


Outage = tuple[datetime, datetime]  # a period the service's monitor was down, within the asked window


class Statistics:
    """The vendors' statistics of one plan between two instants. The UptimeRobot monitor and the Sentry
    project of each service are looked up once, however many windows are asked."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.services = {s.name: s for s in plan.services}
        self._ur: Transport | None = None
        self._monitors: dict[str, str] = {}
        self._projects: dict[str, str] = {}
        self._counts: dict[tuple[str, str, datetime, datetime], tuple[float, float, str]] = {}

    @property
    def ur(self) -> Transport:
        self._ur = self._ur or uptimerobot.client()
        return self._ur

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.ur.clock.time(), UTC)

    def counts(self, objective: Objective, start: datetime, end: datetime) -> tuple[float, float, str]:
        """(total, bad, unit) of `objective` in [start, end): seconds and seconds down, or spans and
        failed / slow spans. One request per objective and window: the report's window, asked again as
        the series' last point, is not asked twice."""
        key = (objective.service, objective.kind, start, end)
        if key not in self._counts:
            self._counts[key] = self._fetch(objective, start, end)
        return self._counts[key]

    def _fetch(self, objective: Objective, start: datetime, end: datetime) -> tuple[float, float, str]:
        svc = self.services[objective.service]
        if objective.kind == "availability":
            path = f"/monitors/{self._monitor(svc)}/stats/uptime"
            stats = self.ur.request("GET", path, params={"from": _iso(start), "to": _iso(end)}) or {}
            return (end - start).total_seconds(), float(stats.get("total_downtime_seconds") or 0), "seconds"
        if objective.kind == "errors":
            bad_field, query = "failure_count()", ERRORS_QUERY
        else:
            bad_field = f"count_if(span.duration,greater,{objective.threshold_ms:g})"
            query = LATENCY_QUERY[svc.role]
        params: dict[str, Any] = {
            "dataset": "spans",
            "field": ["count()", bad_field],
            "project": [self._project(svc)],
            "start": _iso(start),
            "end": _iso(end),
            "query": query,
        }
        answer = sentry.client().request("GET", f"/organizations/{sentry.org()}/events/", params=params) or {}
        row = (answer.get("data") or [{}])[0]
        return float(row.get("count()") or 0), float(row.get(bad_field) or 0), "spans"

    def outages(self, objective: Objective, start: datetime, end: datetime) -> list[Outage]:
        """The monitor's incidents that overlap [start, end), clipped to it, oldest first: one listing
        (its pages) whatever the window. An incident still open lasts until `end`."""
        monitor = self._monitor(self.services[objective.service])
        found = []
        for incident in uptimerobot.list_all(self.ur, "/incidents", monitor_id=monitor):
            began = _instant(incident["startedAt"])
            ended = _instant(incident["resolvedAt"]) if incident.get("resolvedAt") else end
            if ended > start and began < end:
                found.append((max(began, start), min(ended, end)))
        return sorted(found)

    def _monitor(self, svc: Service) -> str:
        if svc.name not in self._monitors:
            found = next(
                (
                    m
                    for m in uptimerobot.list_all(self.ur, "/monitors")
                    if m.get("type") == "HTTP" and m.get("url") == svc.url
                ),
                None,
            )
            if found is None:
                raise Missing(f"{svc.name}: no UptimeRobot HTTP monitor of {svc.url}: deploy the stack first")
            self._monitors[svc.name] = str(found["id"])
        return self._monitors[svc.name]

    def _project(self, svc: Service) -> str:
        if svc.name not in self._projects:
            slug = self.plan.project_slug(svc)
            project = sentry.client().request("GET", f"/projects/{sentry.org()}/{slug}/") or {}
            self._projects[svc.name] = str(project.get("id"))
        return self._projects[svc.name]


def measure(plan: Plan, now: datetime | None = None, stats: Reader | None = None) -> list[Attainment]:
    """Every objective's attainment over the window that ends `now` (default: the transport's clock)."""
    if plan.slos is None:
        return []
    stats = stats or Statistics(plan)
    end = now or stats.now()
    start = end - timedelta(days=plan.slos.window_days)
    return [attainment(plan, o, *stats.counts(o, start, end)) for o in plan.objectives()]


def series(
    plan: Plan, points: int, now: datetime | None = None, stats: Reader | None = None
) -> dict[tuple[str, str], list[Point]]:
    """Budget left over the window, per objective, counting from the window's start; the last point is
    the report's window.

    Availability spends the whole window's budget, (1 - target) * window seconds: its line starts at 1.0
    and falls while the monitor is down, so its points are where that changed, the start and end of each
    outage (the monitor's incidents, read once). A span objective's budget is (1 - target) of the spans in
    [start, t_i), known only where asked: at `points` instants t_i = start + i * window / points, a
    request each (none for the start, an empty interval: None, no spans)."""
    if plan.slos is None:
        return {}
    stats = stats or Statistics(plan)
    end = now or stats.now()
    window = timedelta(days=plan.slos.window_days)
    start = end - window
    found: dict[tuple[str, str], list[Point]] = {}
    for objective in plan.objectives():
        if objective.kind == "availability":
            line = _spent_while_down(plan, objective, stats.outages(objective, start, end), start, end)
        else:
            line = [(start, None)]
            for i in range(1, points + 1):
                at = start + window * i / points  # exact at i == points: the report's window
                line.append(
                    (at, attainment(plan, objective, *stats.counts(objective, start, at)).budget_left)
                )
        found[(objective.service, objective.kind)] = line
    return found


def _spent_while_down(
    plan: Plan, objective: Objective, outages: list[Outage], start: datetime, end: datetime
) -> list[Point]:
    window = (end - start).total_seconds()
    down = 0.0
    line: list[Point] = [(start, 1.0)]
    for began, ended in outages:
        line.append((began, attainment(plan, objective, window, down, "seconds").budget_left))
        down += (ended - began).total_seconds()
        line.append((ended, attainment(plan, objective, window, down, "seconds").budget_left))
    line.append((end, attainment(plan, objective, window, down, "seconds").budget_left))
    return line


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


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


def command(
    stack: str, as_json_output: bool, sandbox: bool, chart: str | None = None, points: int = CHART_POINTS
) -> int:
    """Exit 0: every budget has something left; 4: one is exhausted; 1: the statistics could not be read,
    or the chart could not be written."""
    plan = stackfile.load(stack)
    if plan.slos is None:
        printer.problem(f"lookout slo: the {stack} plan declares no lookout:slos")
        return Exit.FAILED
    if not 1 <= points <= MAX_POINTS:
        printer.problem(f"lookout slo: --points {points}: between 1 and {MAX_POINTS}")
        return Exit.FAILED
    try:
        with runner(sandbox) as run:
            settings.use_config(stack_values.config(run, stack))
            stats = Statistics(plan)  # one lookup of each monitor and project, one clock reading
            end = stats.now()
            rows = measure(plan, end, stats)
            lines = series(plan, points, end, stats) if chart is not None else {}
    except Expected as exc:
        printer.problem(f"lookout slo: {exc}")
        return Exit.FAILED
    printer.result(as_json(stack, rows) if as_json_output else markdown(stack, rows))
    if chart is not None:
        try:
            slo_chart.render(stack, lines, Path(chart))
        except OSError as exc:
            printer.problem(f"lookout slo: cannot write the chart to {chart}: {exc.strerror or exc}")
            return Exit.FAILED
    return Exit.EXHAUSTED if any(a.status == "exhausted" for a in rows) else 0
