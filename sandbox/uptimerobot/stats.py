"""``GET /monitors/{id}/stats/uptime``: a monitor's uptime over a date range, computed from its downtime
periods: the outages tests seed through the control API and the incidents the sandbox's checker opened
(sandbox/uptimerobot/checker.py), merged where they overlap so that no second counts twice.

specs/uptimerobot-openapi.yaml (MonitorsController_getMonitorUptimeStats, MonitorUptimeStatsDto): ``from`` and
``to`` are ISO 8601 and optional, ``from`` defaulting to 24 hours ago and ``to`` to now; the range is at most
90 days; the answer is ``{uptime (0-100), total_downtime_seconds, incident_count, mtbf (seconds, null without
incidents), from, to}``. The spec names these numbers but gives no formulas; the sandbox's are:

* a downtime period is ``[start, end)``: an outage, or an incident from ``startedAt`` to ``resolvedAt``; one
  still going on (``end`` null, an ongoing incident) lasts until the sandbox's now (virtual clock);
* ``total_downtime_seconds``: the seconds of downtime inside ``[from, to]`` (a period straddling an edge
  counts only its part inside the range);
* ``incident_count``: the periods overlapping ``[from, to]`` (a straddling period counts once);
* ``uptime`` = 100 x (range - downtime) / range;
* ``mtbf`` = (range - downtime) / incident_count, null when there is no incident.

Instants are ISO 8601 with milliseconds, so seconds (downtime, range, mtbf) are given to the millisecond.
``uptime`` is not rounded at all (see ``_uptime``).

Control routes (sandbox/uptimerobot/control.py; no validation of the API's kind, no counting)::

    POST   /_control/uptimerobot/outages  {"monitor": id, "start": ISO 8601, "end": ISO 8601 | null (still
                                          down)} -> 201 {"id", "monitor", "start", "end"} (instants as
                                          "...T...Z" with milliseconds); 400 NestJS-style if a field is
                                          bad, end <= start, or the outage overlaps another outage of the
                                          monitor (a monitor is down or not: overlapping outages would count
                                          the same seconds twice); 404 {"message", "code"} for no such monitor
    GET    /_control/uptimerobot/outages  -> 200 [outage, ...] of every account, oldest id first
    DELETE /_control/uptimerobot/outages  -> 200 []
"""

from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso, parse_instant
from sandbox.state import sandbox
from sandbox.uptimerobot import accounts, incidents, repo
from sandbox.uptimerobot.accounts import VENDOR
from sandbox.uptimerobot.errors import BadRequest
from sandbox.uptimerobot.verdict import Verdict

OUTAGES = "outages"
DEFAULT_RANGE = 24 * 3600  # spec: "Defaults to the last 24 hours"
MAX_RANGE = 90 * 86400  # spec: "Maximum range is 90 days"

routes = Blueprint("uptimerobot_stats", __name__)

Doc = dict[str, Any]


@routes.get("/monitors/<int:id>/stats/uptime")
def monitor_uptime(id: int) -> Response:
    account = accounts.current()
    # The monitor must be the caller's: 404 "Monitor not found" (000-004) otherwise, as the other monitor
    # routes answer. The existence check reads the latest version (no read-after-write lag): the spec says
    # nothing of a lag for statistics, and they are not the monitor object a replica would serve.
    repo.get_or_404(repo.MONITORS, account.id, id)
    start, end = _range(repo.now())
    return jsonify(uptime_stats(id, start, end, repo.now()))


def _range(now: float) -> tuple[float, float]:
    """``[from, to]`` of the request: each defaults on its own, as the spec describes them ("Defaults to 24
    hours ago", "Defaults to now"), so ``to`` alone a day or more in the past is a range ending before it
    starts: a 400, as is a range longer than 90 days.

    The messages of a bad date are class-validator's default for @IsISO8601/@IsDateString ("<property> must be
    a valid ISO 8601 date string", typestack/class-validator src/decorator/string/IsISO8601.ts); the wording
    of the two range messages is the sandbox's (the spec gives none)."""
    raw_from, raw_to = request.args.get("from"), request.args.get("to")
    messages = [
        f"{name} must be a valid ISO 8601 date string"
        for name, raw in (("from", raw_from), ("to", raw_to))
        if raw is not None and _instant(raw) is None
    ]
    if messages:
        raise BadRequest(*messages)
    start = now - DEFAULT_RANGE if raw_from is None else _instant(raw_from)
    end = now if raw_to is None else _instant(raw_to)
    assert start is not None and end is not None
    if start >= end:
        raise BadRequest("from must be before to")
    if end - start > MAX_RANGE:
        raise BadRequest("the date range (from - to) must not exceed 90 days")
    return start, end


def _instant(raw: str) -> float | None:
    """An ISO 8601 date or date-time as a Unix timestamp (UTC without an offset); None if it is not one."""
    if not raw.strip():
        return None
    try:
        return parse_instant(raw.strip())
    except ValueError:
        return None


def uptime_stats(monitor_id: int, start: float, end: float, now: float) -> Doc:
    """MonitorUptimeStatsDto of ``monitor_id`` over ``[start, end]`` (see the module docstring)."""
    downtime, count = 0.0, 0
    for began, ended in periods(monitor_id):
        inside = min(now if ended is None else ended, end) - max(began, start)
        if inside > 0:
            downtime += inside
            count += 1
    span = _seconds(end - start)
    down = _seconds(downtime)
    up = span - down
    return {
        "uptime": _uptime(up, span),
        "total_downtime_seconds": _number(down),
        "incident_count": count,
        "mtbf": _number(_seconds(up / count)) if count else None,
        "from": iso(start),
        "to": iso(end),
    }


def _uptime(up: float, span: float) -> float | int:
    """100 x up / range as a double, not rounded. The spec states no precision ("Uptime percentage (0-100)",
    type number) and the sandbox chooses none: a rounded figure could move a report across an SLO threshold
    (99.8996 shown as 99.9 meets a 99.9 % objective that the exact value misses), and a hand-computed value
    compares with the answer to the last bit of a double."""
    return _number(100 * up / span)


def _seconds(value: float) -> float:
    """Seconds to the millisecond, the resolution of the ISO 8601 instants the range and outages come in
    (without it, float arithmetic on Unix timestamps turns 1200 s into 1199.9999998 s)."""
    return round(value, 3)


def _number(value: float) -> float | int:
    """A whole number as an int (``3000``, not ``3000.0``); JSON numbers both, the spec types them number."""
    return int(value) if float(value).is_integer() else value


Period = tuple[float, float | None]  # [start, end) as Unix times; end None: still down


def periods(monitor_id: int) -> list[Period]:
    """The monitor's downtime: its seeded outages and its incidents, oldest first, overlapping or touching
    periods merged into one (a monitor is down or not)."""
    spans: list[Period] = [
        (parse_instant(o["start"]), None if o["end"] is None else parse_instant(o["end"]))
        for o in outages_of(monitor_id)
    ]
    found = sandbox().store.find(VENDOR, incidents.INCIDENTS, None, {"monitorId": monitor_id})
    spans += [
        (parse_instant(i["startedAt"]), parse_instant(i["resolvedAt"]) if i["resolvedAt"] else None)
        for i in found
    ]
    merged: list[Period] = []
    for began, ended in sorted(spans, key=lambda span: span[0]):
        if merged and (merged[-1][1] is None or began <= merged[-1][1]):
            last_end = merged[-1][1]
            merged[-1] = (merged[-1][0], None if last_end is None or ended is None else max(last_end, ended))
        else:
            merged.append((began, ended))
    return merged


# -- out-of-band outages (control API) -------------------------------------------------------------------


def outages_of(monitor_id: int) -> list[Doc]:
    return [outage for outage in all_outages() if outage["monitor"] == monitor_id]


def all_outages() -> list[Doc]:
    return repo.find_all(OUTAGES)


def outage_view(outage: Doc) -> Doc:
    return {key: outage[key] for key in ("id", "monitor", "start", "end")}


def add_outage(body: Doc) -> Doc:
    """Seed a downtime period of a monitor (of any account); BadRequest or the monitor's 404 if it cannot
    be."""
    monitor = repo.seeded_monitor(body)
    monitor_id = monitor["id"]
    start = _instant(str(body.get("start", "")))
    raw_end = body.get("end")
    end = None if raw_end is None else _instant(str(raw_end))
    messages = []
    if start is None:
        messages.append("start must be a valid ISO 8601 date string")
    if raw_end is not None and end is None:
        messages.append("end must be a valid ISO 8601 date string or null (still down)")
    if messages:
        raise BadRequest(*messages)
    assert start is not None
    if end is not None and end <= start:
        raise BadRequest("end must be after start")
    for other in outages_of(monitor_id):
        other_start = parse_instant(other["start"])
        other_end = None if other["end"] is None else parse_instant(other["end"])
        if (end is None or other_start < end) and (other_end is None or start < other_end):
            raise BadRequest(f"the outage overlaps outage {other['id']} of monitor {monitor_id}")
    outage = {
        "id": repo.new_id(),
        "monitor": monitor_id,
        "start": iso(start),
        "end": None if end is None else iso(end),
    }
    kept = sandbox().store.put(VENDOR, OUTAGES, int(monitor["_account"]), outage)
    _as_incident(monitor, kept, start, end)
    return kept


def _as_incident(monitor: Doc, outage: Doc, start: float, end: float | None) -> None:
    """The outage as the incident it is: an incident opens when a monitor goes down and resolves when it
    comes back (uptimerobot/ai AGENTS.md, as incidents.py cites it), here a 503 (the official CLI's example
    reason, uptimerobot-cli test/columns.test.ts), alerting nobody: it was seeded out of band."""
    down = Verdict(up=False, reason="503 Service Unavailable", status=503, application=True)
    incident = incidents.open_incident(monitor, start, down, str(monitor.get("url") or ""))
    incident["_outage"] = outage["id"]
    if end is None:
        incidents.keep(incident)
    else:
        incidents.resolve(incident, end)


def clear_outages() -> None:
    for outage in all_outages():
        repo.remove(OUTAGES, outage["id"])
    for incident in sandbox().store.find(VENDOR, incidents.INCIDENTS):
        if incident.get("_outage") is not None:
            repo.remove(incidents.INCIDENTS, int(incident["id"]))
