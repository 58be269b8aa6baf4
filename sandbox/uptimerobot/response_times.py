"""Response times: what the sandbox's checks measure (sandbox/uptimerobot/checker.py records each), and
``GET /monitors/{id}/stats/response-time`` and ``GET /monitors/{id}/stats/response-time/all`` over them
(specs/uptimerobot-openapi.yaml, MonitorsController_getMonitorResponseTimeStats / ..ByRegion,
MonitorResponseTimeStatsDto, MonitorResponseTimeStatsByRegionDto).

The spec: ``from``/``to`` ISO 8601, the last 24 hours by default, at most 90 days; ``includeTimeSeries``
(default false) adds ``time_series`` ``[{timestamp, value}]``; ``region`` (``na``, ``eu``, ``as``, ``oc`` or
``all``) keeps one region's data; the answer is ``{summary: {min, max, avg}, data_points, from, to}`` in
milliseconds, and ``/all`` one such object per region plus ``all``. As read live (GoSuccessHQ/uptimerobot-api
docs/monitors/responseTimeStats.md, responseTimeStatsByRegion.md, src/Model/ResponseTimeStats.php,
tests/Integration/MonitorsReadOnlyTest.php, README "Statistics"):

* ``from`` and ``to`` come together or not at all: ``from`` alone is a 400 "to must be a Date instance",
  ``to`` alone a 400 "Maximum range is 90 days" (as is a longer range); a value that is no date is worded as
  class-validator words it (``from must be a Date instance``); ``to`` not after ``from``: the sandbox's
  wording;
* the statistics are computed over the time series, whose points summarize intervals that grow with the
  range (1, 5 and 30 minutes were seen), and ``data_points`` counts those points, not the checks: it equals
  the length of ``time_series``; ``time_series`` is only there with ``includeTimeSeries=true``;
* in ``/all``, the regions a monitor is not checked from are null.

The sandbox's rules where no source settles them (ASSUMED):

* a check that found the monitor up records the time its probe took (HTTP, keyword and port monitors; ping
  monitors are not really probed, heartbeats not at all, a failed check's time is no response time), from
  every region the monitor is checked from (``regionalData``): one probe stands for each region's;
* points are 1-minute intervals for a range up to a day, 5 minutes up to 7 days, 30 minutes beyond, aligned
  on multiples of their length since the epoch; a point's ``timestamp`` is its interval's start and its
  ``value`` the mean of the interval's checks; ``min``, ``max`` and ``avg`` are those of the points' values;
  values are whole milliseconds (the vendor's clients read them as integers);
* a region the monitor is not checked from and has no data of is null in ``/all``; one it is checked from
  without data in the range has null ``min``/``max``/``avg`` and 0 ``data_points``.

Control routes (sandbox/uptimerobot/control.py)::

    GET    /_control/uptimerobot/response-times  -> 200 [{"id", "monitor", "at", "ms", "regions"}, ...]
    POST   /_control/uptimerobot/response-times  {"monitor": id, "at": ISO 8601, "ms": number >= 0,
                                                  "regions"?: ["na", ...] (default: the monitor's)} -> 201
    DELETE /_control/uptimerobot/response-times  -> 200 []
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.clock import iso, parse_instant
from sandbox.state import sandbox
from sandbox.uptimerobot import accounts, repo
from sandbox.uptimerobot.accounts import VENDOR
from sandbox.uptimerobot.errors import BadRequest

Doc = dict[str, Any]

REGIONS = ("na", "eu", "as", "oc")
ALL = "all"
DEFAULT_RANGE = 24 * 3600  # spec: "Defaults to the last 24 hours"
MAX_RANGE = 90 * 86400  # spec: "Maximum range is 90 days"
TOO_LONG = "Maximum range is 90 days"  # live wording (see the module docstring)
# (longest range, seconds per point), ASSUMED from the spacings seen live
BUCKETS = ((86400, 60), (7 * 86400, 300))
WIDEST_BUCKET = 1800
_SEQUENCE = "uptimerobot.response-times"  # ids of their own: a check must not move the API's id sequence

routes = Blueprint("uptimerobot_response_times", __name__)


@routes.get("/monitors/<int:id>/stats/response-time")
def response_time(id: int) -> Response:
    monitor = repo.get_or_404(repo.MONITORS, accounts.current().id, id)
    start, end = _range()
    region = request.args.get("region") or ALL  # one of the spec's enum: the contract refuses others
    found = samples(int(monitor["id"]), start, end)
    return jsonify(_stats(_of(found, region), start, end, _with_series()))


@routes.get("/monitors/<int:id>/stats/response-time/all")
def response_time_by_region(id: int) -> Response:
    monitor = repo.get_or_404(repo.MONITORS, accounts.current().id, id)
    start, end = _range()
    found = samples(int(monitor["id"]), start, end)
    checked = set(regions_of(monitor))
    series = _with_series()
    answer: Doc = {}
    for region in REGIONS:
        mine = _of(found, region)
        answer[region] = _stats(mine, start, end, series) if region in checked or mine else None
    return jsonify({**answer, ALL: _stats(found, start, end, series), "from": iso(start), "to": iso(end)})


def _range() -> tuple[float, float]:
    raw_from, raw_to = request.args.get("from"), request.args.get("to")
    now = repo.now()
    if raw_from is None and raw_to is None:
        return now - DEFAULT_RANGE, now
    messages = [
        f"{name} must be a Date instance"
        for name, raw in (("from", raw_from), ("to", raw_to))
        if raw is not None and _instant(raw) is None
    ]
    if raw_to is None:
        messages.append("to must be a Date instance")
    if messages:
        raise BadRequest(*messages)
    if raw_from is None:
        raise BadRequest(TOO_LONG)
    start, end = _instant(str(raw_from)), _instant(str(raw_to))
    assert start is not None and end is not None
    if start >= end:
        raise BadRequest("from must be before to")
    if end - start > MAX_RANGE:
        raise BadRequest(TOO_LONG)
    return start, end


def _instant(raw: str) -> float | None:
    try:
        return parse_instant(raw.strip()) if raw.strip() else None
    except ValueError:
        return None


def _with_series() -> bool:
    return (request.args.get("includeTimeSeries") or "").lower() == "true"


def _of(found: list[Doc], region: str) -> list[Doc]:
    return found if region == ALL else [sample for sample in found if region in sample["regions"]]


def _stats(found: list[Doc], start: float, end: float, series: bool) -> Doc:
    """MonitorResponseTimeStatsDto of the samples `found` in ``[start, end]``."""
    width = next((size for longest, size in BUCKETS if end - start <= longest), WIDEST_BUCKET)
    buckets: dict[int, list[float]] = defaultdict(list)
    for sample in found:
        buckets[int(parse_instant(sample["at"]) // width) * width].append(float(sample["ms"]))
    points = [(at, round(fmean(values))) for at, values in sorted(buckets.items())]
    values = [value for _, value in points]
    summary = {
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "avg": round(fmean(values)) if values else None,
    }
    answer: Doc = {"summary": summary, "data_points": len(points), "from": iso(start), "to": iso(end)}
    if series:
        answer["time_series"] = [{"timestamp": iso(at), "value": value} for at, value in points]
    return answer


# -- what the checks measured -----------------------------------------------------------------------------


def regions_of(monitor: Doc) -> list[str]:
    regions = (monitor.get("regionalData") or {}).get("REGION") or ["na"]
    return [str(region) for region in regions]


def record(monitor: Doc, at: float, milliseconds: float, regions: list[str] | None = None) -> Doc:
    """A response time of `monitor` measured `at` (the check's instant)."""
    store = sandbox().store
    sample = {
        "id": store.next_id(_SEQUENCE),
        "monitor": int(monitor["id"]),
        "at": iso(at),
        "ms": milliseconds,
        "regions": regions_of(monitor) if regions is None else regions,
    }
    return store.put(VENDOR, repo.RESPONSE_TIMES, int(monitor["userId"]), sample)


def samples(monitor_id: int, start: float, end: float) -> list[Doc]:
    """The monitor's response times measured in ``[start, end]``, oldest first (selected by SQLite)."""
    found = sandbox().store.find(
        VENDOR, repo.RESPONSE_TIMES, None, {"monitor": monitor_id}, since=("at", iso(start))
    )
    return sorted(
        (sample for sample in found if parse_instant(sample["at"]) <= end),
        key=lambda sample: str(sample["at"]),
    )


def all_samples() -> list[Doc]:
    return repo.find_all(repo.RESPONSE_TIMES)


def add(body: Doc) -> Doc:
    """Seed a response time (control API): BadRequest, or the monitor's 404."""
    monitor = repo.seeded_monitor(body)
    at = _instant(str(body.get("at", "")))
    milliseconds = body.get("ms")
    regions = body.get("regions")
    messages = []
    if at is None:
        messages.append("at must be a valid ISO 8601 date string")
    if isinstance(milliseconds, bool) or not isinstance(milliseconds, int | float) or milliseconds < 0:
        messages.append("ms must be a number >= 0")
    if regions is not None and (
        not isinstance(regions, list) or not regions or any(r not in REGIONS for r in regions)
    ):
        messages.append("regions must be a non-empty list of " + ", ".join(REGIONS))
    if messages:
        raise BadRequest(*messages)
    assert at is not None and isinstance(milliseconds, int | float)
    return record(monitor, at, milliseconds, regions)


def clear() -> None:
    for sample in all_samples():
        repo.remove(repo.RESPONSE_TIMES, int(sample["id"]))


def view(sample: Doc) -> Doc:
    return {key: sample[key] for key in ("id", "monitor", "at", "ms", "regions")}
