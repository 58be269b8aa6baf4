"""``GET /organizations/{org}/events/`` ("Query Explore Events in Table Format") for ``dataset=spans``: one
row of aggregates over span batches that tests seed through the control API.

What the sandbox answers (specs/sentry-openapi.json, operation listOrganizationEvents; the server code cited
where the spec is silent, as SRV = getsentry/sentry ``src/sentry/``):

* ``field`` (repeatable, at most 20: "You can view up to 20 fields at a time. Please delete some and try
  again.", SRV tests/snuba/api/endpoints/test_organization_events.py) is one of the functions of
  sandbox/sentry/spans.py: ``count()``, ``failure_count()``, ``failure_rate()``,
  ``count_if(span.duration,<op>,<number>)`` with ``<op>`` one of greater, greaterOrEquals, less,
  lessOrEquals, equals, notEquals (SRV search/eap/spans/aggregates.py, ``count_if``; the three-argument form
  is the "Discover style conditional" Sentry's UI and dashboard migrations still write, e.g.
  ``count_if(span.duration,greater,100)``), ``avg(span.duration)`` and percentiles such as
  ``p95(span.duration)``. Sentry groups by any other
  (non-aggregate) field, such as ``transaction``: the sandbox does not group and answers 400 saying so,
  and 400 for any other function, rather than a row that silently means something else.
* ``dataset`` other than ``spans`` (the spec's enum allows errors, logs, ...): 400, the sandbox has no other
  data.
* time: ``statsPeriod`` (``<n>`` with ``s``/``m``/``h``/``d``/``w``, no unit = seconds; it overrides
  ``start``/``end``, SRV utils/dates.py parse_stats_period), else ``start`` and ``end`` (both or neither),
  else the last 90 days (SRV api/utils.py get_date_range_from_stats_period, MAX_STATS_PERIOD); a bad one is
  400 "Invalid date range: <why>" (SRV api/bases/organization.py get_filter_params). A batch counts when
  ``start <= timestamp < end`` (the sandbox's choice of the edges: the spec does not say).
* ``project`` (ids or slugs, repeatable; ``-1`` or none: all projects): a project the organization does not
  have is 403 (SRV api/bases/organization.py get_projects, PermissionDenied); an organization without
  projects answers ``{"data": [], "meta": {"tips": {"query": "Need at least one valid project to query."}}}``
  (SRV test_organization_events.py test_no_projects).
* ``environment`` (repeatable): an environment the organization does not have is 404 (SRV
  api/helpers/environments.py get_environments, ResourceDoesNotExist; the spec lists no 404 here);
  batches without an environment match no environment filter.
* ``query``: space-separated ``is_transaction:true|false`` (also ``1``/``0``, as Sentry's dashboard
  migrations write it), ``span.op:<op>`` and ``transaction:<name>`` (quotes allowed, ``*`` for any
  characters), all of them applying. Anything else of Sentry's search syntax (negation, OR, parentheses,
  lists, other keys, free text) is 400 rather than ignored.
* ``sort``, ``per_page``, ``cursor`` and ``allowAggregateConditions`` are accepted and change nothing: the
  answer is one row of aggregates, without a ``Link`` header.

Answer: ``{"data": [{<field>: value, ...}], "meta": {"fields": {<field>: type}, "units": {<field>: null},
"dataset": "spans"}}``, the fields in the order asked. Types: ``count()``, ``failure_count()`` and
``count_if(...)`` are "integer", ``failure_rate()`` "percentage" (a ratio 0-1), ``avg`` and the
percentiles "duration", as SRV search/eap/spans/formulas.py and aggregates.py declare them
(``default_search_type``); the sandbox gives no unit (Sentry's "millisecond" for durations: not emulated).
Errors are ``{"detail": "..."}``.

Failures (SRV search/eap/spans/formulas.py ``failure_rate``/``failure_count``): a span fails when its status
(``sentry.status``) is not one of ``ok``, ``cancelled``, ``unknown`` (e.g. ``internal_error``,
``deadline_exceeded``, ``not_found``); ``failure_rate()`` = failing spans / all spans. Without spans the
sandbox answers 0: earlier versions of the formula set ``default_value_double=0.0``, the current one leaves
the division by zero to Snuba (what it answers then is not documented). A seeded batch says how many of its
spans failed.

Control routes (sandbox/sentry/control.py)::

    POST   /_control/sentry/spans  {"project": slug|id, "count": n >= 1, "timestamp"?: ISO 8601 (default now),
                                   "failed"?: 0..n (default 0), "duration_ms"?: number >= 0 (default 0),
                                   "op"?: str|null, "transaction"?: str|null, "is_transaction"?: bool (default
                                   false), "environment"?: str|null} -> 201 the batch (the body's keys, "id"
                                   and "project" as id strings, "timestamp" as "...Z"): ``count`` spans of
                                   that duration, ``failed`` of them with a failing status; an environment
                                   then exists for the project, as when spans arrive with it. 400/404
                                   {"error"} for a bad body or an unknown project
    GET    /_control/sentry/spans  -> 200 [batch, ...]
    DELETE /_control/sentry/spans  -> 200 []
"""

import re
from typing import Any

from flask import Blueprint, Response, request

from sandbox.clock import parse_instant
from sandbox.sentry import environments, orgs, repo, spans
from sandbox.sentry.errors import ApiError, detail, forbidden, not_found
from sandbox.sentry.web import arg_values, json_response, route
from sandbox.state import sandbox

DATASET = "spans"
MAX_FIELDS = 20
MAX_STATS_PERIOD = 90 * 86400
NO_PROJECTS_TIP = "Need at least one valid project to query."
PERIOD_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
BATCH_KEYS = (
    "project",
    "timestamp",
    "count",
    "failed",
    "duration_ms",
    "op",
    "transaction",
    "is_transaction",
    "environment",
)

_PERIOD = re.compile(r"^(\d+)([hdmsw]?)$")

routes = Blueprint("sentry_stats", __name__)

Doc = dict[str, Any]


@route(routes, "/organizations/<org>/events/", "GET")
def explore_events(org: str) -> Response:
    orgs.resolve(org)
    dataset = request.args.get("dataset")
    if dataset != DATASET:
        raise detail(400, f"The sandbox answers dataset=spans only, not dataset={dataset}")
    start, end = _time_range(sandbox().clock.now())
    projects = _projects()
    if projects is None:
        return json_response({"data": [], "meta": {"tips": {"query": NO_PROJECTS_TIP}}})
    wanted_environments = _environments()
    aggregates = _aggregates(request.args.getlist("field"))
    try:
        batches = spans.select(projects, start, end, wanted_environments, request.args.get("query", ""))
    except spans.Unsupported as refused:
        raise detail(400, str(refused)) from None
    return json_response(
        {
            "data": [{field: aggregate.compute(batches) for field, aggregate in aggregates.items()}],
            "meta": {
                "fields": {field: aggregate.kind for field, aggregate in aggregates.items()},
                "units": {field: None for field in aggregates},
                "dataset": DATASET,
            },
        }
    )


# -- fields --------------------------------------------------------------------------------------------


def _aggregates(fields: list[str]) -> dict[str, spans.Aggregate]:
    if len(fields) > MAX_FIELDS:
        raise detail(400, "You can view up to 20 fields at a time. Please delete some and try again.")
    named = [field.strip() for field in fields if field.strip()]
    if not named:
        raise detail(400, "No columns selected")  # the sandbox's wording: the spec makes `field` required
    try:
        return {field: spans.aggregate(field) for field in dict.fromkeys(named)}
    except spans.Unsupported as refused:
        raise detail(400, str(refused)) from None


# -- filters -------------------------------------------------------------------------------------------


def _invalid_range(why: str) -> ApiError:
    return detail(400, f"Invalid date range: {why}")


def _time_range(now: float) -> tuple[float, float]:
    """``[start, end)`` of the query (see the module docstring)."""
    args = request.args
    period = args.get("statsPeriod")
    if period is not None:
        match = _PERIOD.match(period)
        if match is None:
            raise _invalid_range(f"Invalid statsPeriod: {period!r}")
        start, end = now - int(match.group(1)) * PERIOD_UNITS[match.group(2) or "s"], now
    elif args.get("start") or args.get("end"):
        if not (args.get("start") and args.get("end")):
            raise _invalid_range("start and end are both required")
        start, end = _instant(args["start"]), _instant(args["end"])
    else:
        start, end = now - MAX_STATS_PERIOD, now
    if start >= end:
        raise _invalid_range("start must be before end")
    return start, end


def _instant(value: str) -> float:
    try:
        return parse_instant(value)
    except ValueError:
        # SRV search/utils.py parse_datetime_string
        raise _invalid_range(f"{value} is not a valid ISO8601 date query") from None


def _projects() -> set[int] | None:
    """Ids of the projects asked for (all without ``project`` or with ``-1``); None if the organization has
    none."""
    everything = repo.find(repo.PROJECTS)
    if not everything:
        return None
    asked = arg_values("project")
    if not asked or "-1" in asked:
        return {project["id"] for project in everything}
    chosen = set()
    for raw in asked:
        found = next((p for p in everything if raw in (str(p["id"]), p["slug"])), None)
        if found is None:
            raise forbidden()
        chosen.add(found["id"])
    return chosen


def _environments() -> set[str] | None:
    asked = set(arg_values("environment"))
    if not asked:
        return None
    if not asked <= environments.names():
        raise not_found()
    return asked


# -- out-of-band span batches (control API) --------------------------------------------------------------


def batches() -> list[Doc]:
    return repo.find(spans.SPANS)


def batch_view(batch: Doc) -> Doc:
    view = {"id": str(batch["id"]), **{key: batch[key] for key in BATCH_KEYS}}
    return {**view, "project": str(batch["project"])}


def add_batch(project: Doc, data: Doc) -> Doc:
    """Seed ``count`` spans of ``project`` (the control body of the module docstring); ValueError naming the
    bad field."""
    unknown = [key for key in data if key not in BATCH_KEYS]
    if unknown:
        raise ValueError(f"unknown field {unknown[0]}; use {', '.join(BATCH_KEYS)}")
    count, failed = data.get("count"), data.get("failed", 0)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError("count must be an integer >= 1")
    if not _whole(failed) or not 0 <= failed <= count:
        raise ValueError("failed must be an integer from 0 to count")
    duration = data.get("duration_ms", 0)
    if isinstance(duration, bool) or not isinstance(duration, int | float) or duration < 0:
        raise ValueError("duration_ms must be a number >= 0")
    for key in ("op", "transaction", "environment"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ValueError(f"{key} must be a string or null")
    if not isinstance(data.get("is_transaction", False), bool):
        raise ValueError("is_transaction must be a boolean")
    raw_timestamp = data.get("timestamp")
    try:
        timestamp = sandbox().clock.now() if raw_timestamp is None else parse_instant(raw_timestamp)
    except ValueError:
        raise ValueError("timestamp must be an ISO 8601 date-time") from None
    if data.get("environment") is not None:
        environments.add(project, data["environment"])  # spans with an environment make it exist
    fields = {key: data.get(key) for key in ("op", "transaction", "environment")}
    return spans.record(
        project,
        timestamp,
        duration,
        count=count,
        failed=failed,
        is_transaction=data.get("is_transaction", False),
        **fields,
    )


def clear_batches() -> None:
    for batch in batches():
        repo.remove(spans.SPANS, batch["id"])


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
