"""`lookout gameday ENV --sandbox`: prove that the deployed alerts detect what they exist for.

The stack file is deployed as it stands into a private sandbox (a plain `pulumi up`: the game day tests what
is live), the reference app stands in for each service (lookout/gameday_world.py), and the sandbox runs the
vendors' checks on its clock. First a quiet hour with everything healthy: any notification then is a false
alarm. Then, check by check (lookout/gameday_cases.py), the failure the check exists for is caused, the clock
moves, and what arrived is compared with the catalog: which routes (e-mail, Slack, PagerDuty) within the
plan's time; then the failure is healed and the recovery noted. Verdicts: detected, late, missed, misrouted
(a route missing or one too many: dev pages nobody), not run (a vendor whose checks the sandbox does not run
yet). Exit 0 only when every check was detected in time through its routes and nothing else fired.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from harness import sandbox_process, sandbox_seed
from harness.sandbox_process import SandboxProcess, sandbox_settings
from harness.workspace import PulumiFailed, Workspace
from stacks import source
from stacks.checks import Check, compile_plan
from stacks.payloads import MetricThreshold
from stacks.plan import Plan

from . import gameday_chart, printer, stackfile, watch_deployed
from .exits import Exit
from .gameday_cases import NOT_RUN, Case, attribute, cases, is_alert, is_recovery
from .gameday_world import World
from .review import Runner

QUIET = 3600.0  # seconds of plan time with everything healthy, first
QUIET_STEP = 60.0  # the clock runs every check due within a step, in order; users come once a step
HEAL_STEP = 600.0  # after a heal: until the monitors and Sentry metric issues it set off are up and resolved


@dataclass
class Row:
    key: str
    title: str
    severity: str
    fault: str
    expected: list[str]  # the routes the catalog names
    limit: float | None  # seconds of plan time
    told: list[str] = field(default_factory=list)  # "slack #alerts after 4 min", ...
    detected_after: float | None = None  # seconds from the fault to the first alert
    recovered_after: float | None = None  # seconds from the heal to the recovery notice
    verdict: str = "missed"
    detail: str = ""


@dataclass
class Report:
    stack: str
    rows: list[Row]
    false_alarms: list[str]
    notes: list[str]

    @property
    def ok(self) -> bool:
        return not self.false_alarms and all(r.verdict == "detected" for r in self.rows)


def command(stack: str, as_json: bool, sandbox: bool, chart: str | None = None) -> int:
    if not sandbox:
        printer.problem(
            "lookout gameday: runs only against the sandbox (--sandbox): it breaks the app on purpose"
        )
        return Exit.FAILED
    plan = stackfile.load(stack)
    try:
        with deployed(stack) as (process, run_pulumi):
            world = World(process, plan).start()
            world.job = watch_deployed.job(run_pulumi, name_of(stack), plan, world.now)
            try:
                report = run(world, name_of(stack), plan)
            finally:
                world.stop()
    except PulumiFailed as failed:
        printer.problem(f"lookout gameday: the deployment failed: {failed}")
        return Exit.FAILED
    printer.result(json.dumps(_json(report), indent=2) if as_json else markdown(report))
    if chart:
        gameday_chart.render(report, Path(chart))
        printer.progress(f"timeline: {chart}")
    return Exit.OK if report.ok else Exit.FAILED


def name_of(stack_or_file: str) -> str:
    """`dev`, or the stack a file is for (`path/Pulumi.dev.yaml`: dev)."""
    path = stackfile.path_of(stack_or_file)
    if path.name.startswith("Pulumi.") and path.suffix in (".yaml", ".yml"):
        return path.name[len("Pulumi.") : -len(path.suffix)]
    return stack_or_file


@contextlib.contextmanager
def deployed(stack_or_file: str) -> Iterator[tuple[SandboxProcess, Runner]]:
    """A private sandbox with the stack file deployed as it stands (a plain `pulumi up`), and `pulumi` on
    that stack (what the system-health job reads its routes from). The deploy runs without the free
    plans' API rate limits (they made it a minute longer and play no part in what the checks detect);
    the game day itself runs with them."""
    with tempfile.TemporaryDirectory(prefix="lookout-gameday-") as scratch:
        process = sandbox_process.start(Path(scratch) / "sandbox.db", log=Path(scratch) / "sandbox.log")
        try:
            printer.progress(f"deploying {stack_or_file} into a private sandbox ({process.url})")
            workspace = Workspace(Path(scratch) / "pulumi", name_of(stack_or_file))
            config = stackfile.config_of(stack_or_file)
            plain = {key: value for key, value in config.items() if not source.is_secure(value)}
            settings = sandbox_settings(process, workspace.stack)
            sandbox_seed.seed(process, workspace.prepare(**settings, overrides=plain, inherit=False))
            with process.rate_limits_relaxed():
                workspace.pulumi("up", "--yes", "--skip-preview")

            def run_pulumi(*args: str, stack: str) -> subprocess.CompletedProcess[str]:
                return workspace.pulumi(*args, check=False)

            yield process, run_pulumi
        finally:
            process.stop()


def run(world: World, stack: str, plan: Plan, only: set[str] | None = None, quiet: float = QUIET) -> Report:
    """The quiet period (`quiet` seconds of plan time), then each check's case (those keyed in `only`, when
    given; the others are reported as not run)."""
    checks = compile_plan(plan)
    monitors = world.monitors()
    world.sandbox.control("DELETE", "/deliveries")
    printer.progress(f"quiet period: {quiet / 60:g} min of plan time with everything healthy")
    start = world.now()
    while world.now() < start + quiet:
        world.step(QUIET_STEP)
    false_alarms = [_describe(d, attribute(d, plan, checks, monitors)) for d in world.deliveries()]
    rows = []
    for case in cases(plan, checks):
        if only is not None and case.check.key not in only:
            continue
        printer.progress(f"{case.check.key}: {case.fault}")
        row, stray = _exercise(world, case, plan, checks, monitors, _settle(checks))
        rows.append(row)
        false_alarms += stray
    ran = {r.key for r in rows}
    for check in checks:
        if check.key not in ran:
            skipped = only is not None and check.vendor != "render"
            rows.append(_not_run(check, "not exercised in this run" if skipped else None))
    order = {c.key: i for i, c in enumerate(checks)}
    rows.sort(key=lambda r: order[r.key])
    return Report(stack, rows, false_alarms, world.notes)


def _exercise(
    world: World, case: Case, plan: Plan, checks: list[Check], monitors: dict[int, str], settle: float
) -> tuple[Row, list[str]]:
    """Cause the case's failure, watch for its alerts, heal it, and wait (up to `settle` seconds) until
    what it set off is up and resolved again, so that the next case starts from a world as healthy as this
    one's (what was down before it, e.g. a monitor broken out of band, is not waited for)."""
    check = case.check
    row = Row(check.key, check.title, check.severity, case.fault, list(check.channels), case.limit)
    world.sandbox.control("DELETE", "/deliveries")
    before = world.unsettled()  # what was down or open already (a live world may have been broken)
    began = world.now()
    case.inject(world)
    arrivals: dict[tuple[str, str], float] = {}  # (channel, to) -> seconds after the fault, first alert
    acted: float | None = None  # when the vendor acted itself (a check that tells nobody)
    while world.now() < began + case.horizon and (
        {c for c, _ in arrivals} != set(check.channels) if case.observe is None else acted is None
    ):
        world.step(case.step)
        for d in caused(world.deliveries()):
            if is_alert(d) and attribute(d, plan, checks, monitors) == check.key:
                arrivals.setdefault((d["channel"], str(d.get("to") or "nobody")), _at(d) - began)
        if case.observe is not None:
            observed = case.observe(world, began)
            acted = None if observed is None else observed - began
    row.told = [f"{channel} {to} after {_minutes(after)}" for (channel, to), after in arrivals.items()]
    first: dict[str, float] = {}
    for (channel, _), after in sorted(arrivals.items(), key=lambda item: item[1]):
        first.setdefault(channel, after)
    healed = world.now()
    case.heal(world)
    while world.now() < healed + max(case.horizon, settle) and world.unsettled() - before:
        world.step(max(case.step, HEAL_STEP))
    for d in world.deliveries():
        if is_recovery(d) and attribute(d, plan, checks, monitors) == check.key and d.get("at"):
            row.recovered_after = max(0.0, _at(d) - healed)
            break
    allowed = case.may_fire | {check.key}
    seen = caused(world.deliveries())  # from the fault to the recovery
    stray = [
        _describe(d, key)
        for d in seen
        if is_alert(d) and (key := attribute(d, plan, checks, monitors)) not in allowed
    ]
    row.detected_after = min(first.values()) if first else None
    row.verdict, row.detail = _verdict(check, first, case.limit)
    if case.observe is not None:  # nobody is told: the vendor acting is the detection
        row.detected_after = acted
        row.verdict, row.detail = _observed(check, first, acted, case.limit)
    return row, [f"during {check.key}: {s}" for s in stray]


def caused(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deliveries since a case began but escalations of pages opened before it: PagerDuty goes on
    paging the next level of an incident nobody acknowledged (sandbox/pagerduty/escalation.py), whatever
    the case did."""
    opened = {
        d.get("incident") for d in deliveries if d.get("channel") == "pagerduty" and "escalated" not in d
    }
    return [d for d in deliveries if "escalated" not in d or d.get("incident") in opened]


def _settle(checks: list[Check]) -> float:
    """How long a healed failure may keep an alert open: the longest Sentry window (its failed spans must
    leave it), and ten minutes more."""
    windows = [float(c.payload.time_window) for c in checks if isinstance(c.payload, MetricThreshold)]
    return max(windows, default=0.0) + 600


def _verdict(check: Check, first: dict[str, float], limit: float) -> tuple[str, str]:
    expected, told = set(check.channels), set(first)
    if not told:
        return "missed", "nothing arrived"
    if told != expected:
        missing, extra = sorted(expected - told), sorted(told - expected)
        parts = [f"not told: {', '.join(missing)}" if missing else ""]
        parts.append(f"also: {', '.join(extra)}" if extra else "")
        return "misrouted", "; ".join(p for p in parts if p)
    slowest = max(first.values())
    if slowest > limit:
        return "late", f"the last route after {_minutes(slowest)}, the plan allows {_minutes(limit)}"
    return "detected", ""


def _observed(check: Check, first: dict[str, float], acted: float | None, limit: float) -> tuple[str, str]:
    if first:
        return "misrouted", f"told {', '.join(sorted(first))}; the plan routes it to nobody"
    if acted is None:
        return "missed", "the vendor did not act"
    if acted > limit:
        return "late", f"acted after {_minutes(acted)}, the plan allows {_minutes(limit)}"
    return "detected", ""


def _not_run(check: Check, why: str | None = None) -> Row:
    reason = why or NOT_RUN.get(check.vendor, "no failure to cause for this kind of check yet")
    channels: list[str] = list(check.channels)
    return Row(check.key, check.title, check.severity, "", channels, None, verdict="not run", detail=reason)


def _at(delivery: dict[str, Any]) -> float:
    return datetime.fromisoformat(str(delivery["at"]).replace("Z", "+00:00")).timestamp()


def _describe(delivery: dict[str, Any], key: str | None) -> str:
    what = delivery.get("event") or delivery.get("status") or "notification"
    source = key or delivery.get("via") or "unknown"
    return f"{delivery['channel']} {delivery.get('to') or ''} ({what}) from {source}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds < 2 * 3600 else f"{seconds / 3600:.1f} h"


def markdown(report: Report) -> str:
    lines = [
        f"## Game day: {report.stack}",
        "",
        "| check | severity | failure caused | expected | told | detected | recovered | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        expected = ", ".join(r.expected) or "nobody"
        if r.limit is not None:
            expected += f" within {_minutes(r.limit)}"
        detected = _minutes(r.detected_after) if r.detected_after is not None else "-"
        recovered = _minutes(r.recovered_after) if r.recovered_after is not None else "-"
        verdict = f"**{r.verdict}**" + (f": {r.detail}" if r.detail else "")
        told = "; ".join(r.told) or "-"
        lines.append(
            f"| `{r.key}` | {r.severity} | {r.fault or '-'} | {expected} | {told} | {detected} | {recovered} "
            f"| {verdict} |"
        )
    lines += ["", f"False alarms: {len(report.false_alarms)}"]
    lines += [f"- {alarm}" for alarm in report.false_alarms]
    if report.notes:
        lines += ["", "Done as a person would:"] + [f"- {note}" for note in report.notes]
    failing = [r.key for r in report.rows if r.verdict != "detected"]
    verdict = "Every check detected in time, nothing else fired."
    if not report.ok:
        verdict = f"Not proven: {', '.join(failing) or 'false alarms'}."
    lines += ["", verdict]
    return "\n".join(lines)


def _json(report: Report) -> dict[str, Any]:
    return {
        "stack": report.stack,
        "ok": report.ok,
        "quiet_seconds": QUIET,
        "checks": [asdict(r) for r in report.rows],
        "false_alarms": report.false_alarms,
        "notes": report.notes,
    }
