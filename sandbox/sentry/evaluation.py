"""Sentry's metric monitors at work: each enabled ``metric_issue`` detector on the spans dataset is evaluated
every minute of the sandbox clock over its window, opens a metric issue when a condition is breached,
changes its priority when another level is, and resolves it when the resolve condition holds; each change
runs the alerts (workflows) linked to the detector (sandbox/sentry/metric_alerts.py).

From getsentry/sentry ``src/sentry/`` (sources in docs/vendors/sentry.md, "How a metric monitor fires"):

* a detector made through the API owns a query subscription of resolution 1 minute
  (snuba/subscriptions: ``create_source``); each update covers ``[t - timeWindow, t)``
  (docs: "3:01 → 2:01-3:01"). An update without a value (a rate or percentile of no spans: None/NaN) is
  skipped (incidents/subscription_processor.py), so an issue stays as it is while nothing arrives;
* the conditions (``gt``/``gte``/``lt``/``lte`` against ``comparison``; results 75 high, 50 medium, 0 OK):
  the highest breached level wins; with none breached and the OK condition holding, the state is OK; with
  neither, nothing changes (workflow_engine/handlers/detector/stateful.py ``evaluate``). Only a change of
  priority emits anything: an occurrence (open, escalate, de-escalate) or a resolve; the detector's
  ``config`` has no threshold period, so one update is enough (stateful.py; **uncertain** in
  detection-semantics: ``thresholdPeriod`` is not read by detectors);
* datasets other than the spans one (``events_analytics_platform``) are not evaluated by the sandbox.
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Callable
from typing import Any

from sandbox.clock import iso, parse_instant
from sandbox.sentry import metric_alerts, repo, spans
from sandbox.state import sandbox

STATES = "detector_states"
RESOLUTION = 60  # seconds between a subscription's updates
SPANS_DATASET = "events_analytics_platform"
OK = 0
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
# Functions whose value over no spans is none (a ratio, an average, a percentile): the update is skipped.
COUNTS = ("count()", "failure_count()")

Doc = dict[str, Any]


class Window:
    """Span batches sorted by time, so each update takes its window by bisection."""

    def __init__(self, batches: list[Doc], times: list[float]) -> None:
        self.batches, self.times = batches, times

    @classmethod
    def since(cls, since: float) -> Window:
        """The spans of one run from `since` on."""
        batches = sorted(
            repo.find(spans.SPANS, since=("timestamp", iso(since))), key=lambda b: b["timestamp"]
        )
        return cls(batches, [parse_instant(b["timestamp"]) for b in batches])

    def between(self, start: float, end: float) -> list[Doc]:
        return self.batches[bisect.bisect_left(self.times, start) : bisect.bisect_left(self.times, end)]


def run(until: float) -> None:
    """Every update due by `until`, detector by detector, in time order."""
    detectors = [d for d in repo.find(repo.DETECTORS) if _evaluated(d)]
    states = {d["id"]: _state(d) for d in detectors}
    due = [d for d in detectors if _next_update(states[d["id"]]) <= until]
    if not due:
        return  # nothing due (the clock moved by less than a minute since): no span is read
    window = Window.since(min(_next_update(states[d["id"]]) - float(_query(d)["timeWindow"]) for d in due))
    for detector in due:
        state = states[detector["id"]]
        at = _next_update(state)
        watched = watched_by(detector, window)  # filtered once for all of this run's updates
        while at <= until:
            with sandbox().clock.at(at):
                _update(detector, state, watched, at)
            state["lastUpdate"] = at
            at += RESOLUTION
        repo.save(STATES, state)


def _evaluated(detector: Doc) -> bool:
    if detector["type"] != "metric_issue" or not detector["enabled"] or not detector["dataSources"]:
        return False
    return bool(_query(detector)["dataset"] == SPANS_DATASET)


def _query(detector: Doc) -> Doc:
    query: Doc = detector["dataSources"][0]["queryObj"]["snubaQuery"]
    return query


def _state(detector: Doc) -> Doc:
    found = repo.get(STATES, detector["id"])
    if found is not None:
        return found
    created = parse_instant(detector["dateCreated"])
    return {"id": detector["id"], "lastUpdate": created, "priority": OK, "group": None}


def _next_update(state: Doc) -> float:
    """The first whole minute after the last update (or after the detector was made)."""
    return (math.floor(float(state["lastUpdate"]) / RESOLUTION) + 1) * RESOLUTION


def _update(detector: Doc, state: Doc, watched: Window | None, at: float) -> None:
    value = value_at(detector, watched, at)
    if value is None:
        return
    priority = _priority(detector, value, state["priority"])
    if priority == state["priority"]:
        return
    state["priority"] = priority
    state["group"] = metric_alerts.changed(detector, state.get("group"), priority, value)


def watched_by(detector: Doc, window: Window) -> Window | None:
    """The batches of `window` the monitor's query keeps (its project, environment and filter); None when
    the sandbox cannot compute the query: it never fires (the events API says why)."""
    query = _query(detector)
    try:
        keep = spans.query_filter(str(query.get("query") or ""))
    except spans.Unsupported:
        return None
    environment = query.get("environment")
    project = int(detector["projectId"])
    kept = [
        (b, t)
        for b, t in zip(window.batches, window.times, strict=True)
        if b["project"] == project and (environment is None or b["environment"] == environment) and keep(b)
    ]
    return Window([b for b, _ in kept], [t for _, t in kept])


def value_at(detector: Doc, watched: Window | None, at: float) -> float | None:
    """The monitor's aggregate over ``[at - timeWindow, at)`` of what it watches; None when there is no
    value (and when the sandbox cannot compute it: such a monitor never fires)."""
    query = _query(detector)
    try:
        aggregate = spans.aggregate(str(query["aggregate"]))
    except spans.Unsupported:
        return None
    if watched is None:  # its filter is not computable
        return None
    batches = watched.between(at - float(query["timeWindow"]), at)
    if not batches and query["aggregate"] not in COUNTS:
        return None
    return float(aggregate.compute(batches))


def _priority(detector: Doc, value: float, current: int) -> int:
    """The level the conditions give `value`: the highest breached, else OK when the OK condition holds,
    else unchanged."""
    conditions = (detector["conditionGroup"] or {}).get("conditions") or []
    met = [
        int(c["conditionResult"])
        for c in conditions
        if c.get("type") in COMPARE and COMPARE[c["type"]](value, float(c["comparison"]))
    ]
    breached = [level for level in met if level > OK]
    if breached:
        return max(breached)
    return OK if OK in met else current
