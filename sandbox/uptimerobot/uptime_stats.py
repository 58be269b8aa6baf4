"""``GET /monitors/uptime-stats``: the uptime of all the account's monitors over a time frame
(specs/uptimerobot-openapi.yaml, MonitorsController_getUptimeStats, UptimeStatsDto): ``timeFrame`` (required:
DAY, WEEK, MONTH, DAYS_30, YEAR, ALL or CUSTOM), ``start``/``end`` in Unix seconds for CUSTOM (``end`` >
``start``), ``logLimit`` 1-500 (default 50); the answer is ``{overallUptime, totalIncidents,
totalTimeWithoutIncidents, affectedMonitors, mtbf, logs: [{type: DOWNTIME|SLOW_RESPONSE, datetime,
duration}]}``.

As read live (GoSuccessHQ/uptimerobot-api src/Model/UptimeStats.php, src/Model/UptimeLogEntry.php,
docs/monitors/uptimeStats.md, tests/Integration/MonitorsReadOnlyTest.php, README "Statistics"):
``overallUptime`` is a **fraction** from 0 to 1 (not the percentage of ``/monitors/{id}/stats/uptime``);
durations, ``totalTimeWithoutIncidents`` and ``mtbf`` are seconds, ``totalTimeWithoutIncidents`` beyond
2^31 for ALL (so it adds up every monitor's time); ``mtbf`` is null without incidents; ``logs`` are the
downtimes of the time frame, newest first; ``start`` and ``end`` are ignored unless the time frame is
CUSTOM, and CUSTOM needs both, ``end`` after ``start``.

The downtime is the one per-monitor statistics count (sandbox/uptimerobot/stats.py, ``periods``: seeded
outages and the checker's incidents, merged). The sandbox's rules where no source settles them (ASSUMED):

* time frames end now and start 24 hours (DAY), 7 days (WEEK), 30 days (DAYS_30) or 365 days (YEAR) before;
  MONTH starts at the beginning of the current calendar month (UTC), as it differs from DAYS_30; ALL starts
  at the earliest creation or downtime of the account's monitors;
* every monitor of the account counts over the whole time frame; for each, the time without downtime is the
  time frame less its downtime inside it; ``totalTimeWithoutIncidents`` is their sum, ``overallUptime`` that
  sum over the monitors' total time (1 for an account without monitors), ``totalIncidents`` the downtime
  periods overlapping the time frame, ``affectedMonitors`` the monitors with at least one, ``mtbf``
  ``totalTimeWithoutIncidents / totalIncidents``; seconds are whole, ``overallUptime`` is not rounded (as
  ``uptime`` of stats.py);
* each downtime period overlapping the time frame is a DOWNTIME log entry: ``datetime`` its start,
  ``duration`` its whole length in seconds, null while it goes on; the sandbox has no SLOW_RESPONSE entries;
  the wording of the two CUSTOM errors is the sandbox's.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso, parse_instant
from sandbox.uptimerobot import accounts, repo, stats
from sandbox.uptimerobot.errors import BadRequest

Doc = dict[str, Any]

DAY = 86400
FRAMES = {"DAY": DAY, "WEEK": 7 * DAY, "DAYS_30": 30 * DAY, "YEAR": 365 * DAY}
DEFAULT_LOG_LIMIT = 50  # spec: "Maximum number of log entries to return (1-500)", default 50

routes = Blueprint("uptimerobot_uptime_stats", __name__)


@routes.get("/monitors/uptime-stats")
def uptime_stats() -> Response:
    account = accounts.current()
    now = repo.now()
    monitors = repo.find(repo.MONITORS, account.id)
    downtime = {int(m["id"]): stats.periods(int(m["id"])) for m in monitors}
    start, end = _frame(str(request.args.get("timeFrame")), now, monitors, downtime)
    limit = int(float(request.args.get("logLimit") or DEFAULT_LOG_LIMIT))
    return jsonify(account_stats(downtime, start, end, now, limit))


def account_stats(
    downtime: dict[int, list[stats.Period]], start: float, end: float, now: float, limit: int
) -> Doc:
    """UptimeStatsDto of the monitors whose downtime periods `downtime` holds, over ``[start, end]``."""
    span = max(0.0, round(end - start, 3))  # to the millisecond, as stats.py: no float noise
    up_total, incidents, affected = 0.0, 0, 0
    logs: list[tuple[float, float | None]] = []
    for periods in downtime.values():
        down, count = 0.0, 0
        for began, ended in periods:
            stop = now if ended is None else ended
            if began < end and stop > start:  # overlaps the time frame
                down += round(min(stop, end) - max(began, start), 3)
                count += 1
                logs.append((began, ended))
        up_total += span - down
        incidents += count
        affected += 1 if count else 0
    total = span * len(downtime)
    logs.sort(key=lambda period: period[0], reverse=True)
    return {
        "overallUptime": up_total / total if total > 0 else 1,
        "totalIncidents": incidents,
        "totalTimeWithoutIncidents": round(up_total),
        "affectedMonitors": affected,
        "mtbf": round(up_total / incidents) if incidents else None,
        "logs": [
            {
                "type": "DOWNTIME",
                "datetime": iso(began),
                "duration": None if ended is None else round(ended - began),
            }
            for began, ended in logs[:limit]
        ],
    }


def _frame(
    frame: str, now: float, monitors: list[Doc], downtime: dict[int, list[stats.Period]]
) -> tuple[float, float]:
    """``[start, end]`` of the time frame (the contract has refused any other value than the spec's)."""
    if frame in FRAMES:
        return now - FRAMES[frame], now
    if frame == "MONTH":
        moment = datetime.fromtimestamp(now, timezone.utc)
        return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp(), now
    if frame == "ALL":
        marks = [parse_instant(m["createDateTime"]) for m in monitors if m.get("createDateTime")]
        marks += [began for periods in downtime.values() for began, _ in periods]
        return min([*marks, now]), now
    return _custom()


def _custom() -> tuple[float, float]:
    raw_start, raw_end = request.args.get("start"), request.args.get("end")
    if not raw_start or not raw_end:
        raise BadRequest("start and end are required when timeFrame is CUSTOM")
    start, end = float(raw_start), float(raw_end)  # numbers: the contract has checked them
    if end <= start:
        raise BadRequest("end must be greater than start")
    return start, end
