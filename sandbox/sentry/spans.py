"""The spans dataset (Sentry's EAP ``spans``): what the events API (sandbox/sentry/stats.py), the dashboards
and the metric monitors (sandbox/sentry/evaluation.py) read. Spans arrive from the SDK's transactions
(sandbox/sentry/transactions.py) or are seeded in batches through the control API; a batch is ``count``
spans of one duration, ``failed`` of them with a failing status.

Functions (SRV = getsentry/sentry ``src/sentry/``: search/eap/spans/aggregates.py and formulas.py):
``count()``, ``failure_count()``, ``failure_rate()`` (failing spans / all spans; a span fails when its
status is not ``ok``, ``cancelled`` or ``unknown``), ``count_if(span.duration,<op>,<number>)``,
``avg(span.duration)`` and the percentiles ``p50()``, ``p75()``, ``p90()``, ``p95()``, ``p99()``,
``p100()`` of ``span.duration`` (milliseconds; the argument may be left out, as Sentry's UI writes
``p95()``). Sentry's storage estimates percentiles; the sandbox computes them exactly, interpolating
between ranks (deviation sentry-percentiles). Without spans a function answers 0 (stats.py says why).

Query: space-separated ``is_transaction:true|false`` (also 1/0), ``span.op:<op>``, ``span.status:<status>``
and ``transaction:<name>`` (quotes allowed), all of them applying; ``!`` before a key negates it. A value
may use ``*`` for any run of characters, as Sentry's search does (SRV api/event_search.py, wildcard values):
``transaction:/api/payments*``. Anything else of Sentry's search syntax (OR, parentheses, lists, other keys,
free text) is refused (``Unsupported``) rather than ignored. Seeded batches have no status: they match no
``span.status`` filter.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sandbox.clock import iso, parse_instant
from sandbox.sentry import repo

SPANS = "spans"
OK_STATUSES = ("ok", "cancelled", "unknown")  # SRV search/eap/spans/formulas.py: not failures
PERCENTILES = {"p50": 0.5, "p75": 0.75, "p90": 0.9, "p95": 0.95, "p99": 0.99, "p100": 1.0}
COUNT_IF_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "greater": operator.gt,
    "greaterOrEquals": operator.ge,
    "less": operator.lt,
    "lessOrEquals": operator.le,
    "equals": operator.eq,
    "notEquals": operator.ne,
}
QUERY_KEYS = ("is_transaction", "span.op", "span.status", "transaction")
FIELD_OF = {"span.op": "op", "span.status": "status", "transaction": "transaction"}
SUPPORTED = (
    "count(), failure_count(), failure_rate(), count_if(span.duration,<op>,<number>), avg(span.duration), "
    "p50/p75/p90/p95/p99/p100(span.duration)"
)

_FUNCTION = re.compile(r"^(\w+)\((.*)\)$")
_QUERY_TOKEN = re.compile(r'(?P<negated>!)?(?P<key>[\w.]+):(?P<value>"[^"]*"|\S+)|(?P<other>"[^"]*"|\S+)')

Doc = dict[str, Any]
Filter = Callable[[Doc], bool]


class Unsupported(ValueError):
    """A function or query the sandbox cannot compute: said, never answered with something else."""


@dataclass(frozen=True)
class Aggregate:
    kind: str  # the events API's meta type
    compute: Callable[[list[Doc]], float | int]


def record(project: Doc, timestamp: float, duration_ms: float, **fields: Any) -> Doc:
    """Store a batch of spans of `project` (fields: count, failed, op, status, transaction, is_transaction,
    environment)."""
    batch = {
        "id": repo.new_id(),
        "project": project["id"],
        "timestamp": iso(timestamp),
        "count": fields.get("count", 1),
        "failed": fields.get("failed", 0),
        "duration_ms": duration_ms,
        "op": fields.get("op"),
        "status": fields.get("status"),
        "transaction": fields.get("transaction"),
        "is_transaction": fields.get("is_transaction", False),
        "environment": fields.get("environment"),
    }
    return repo.save(SPANS, batch)


def select(
    projects: Iterable[int], start: float, end: float, environments: set[str] | None, query: str
) -> list[Doc]:
    """The batches of `projects` with ``start <= timestamp < end`` that the environments and query keep."""
    keep, wanted = query_filter(query), set(projects)
    return [
        batch
        for batch in repo.find(SPANS)
        if batch["project"] in wanted
        and start <= parse_instant(batch["timestamp"]) < end
        and (environments is None or batch["environment"] in environments)
        and keep(batch)
    ]


# -- functions ------------------------------------------------------------------------------------------


def aggregate(field: str) -> Aggregate:
    if field == "count()":
        return Aggregate("integer", _count)
    if field == "failure_count()":
        return Aggregate("integer", _failure_count)
    if field == "failure_rate()":
        return Aggregate("percentage", _failure_rate)
    function = _FUNCTION.match(field)
    if function is None:
        raise Unsupported(
            f"The sandbox does not group results: {field} is not an aggregate; ask for {SUPPORTED}"
        )
    name, arguments = function.group(1), [a.strip() for a in function.group(2).split(",")]
    if name == "count_if":
        return _count_if(arguments, field)
    if name == "avg" and arguments == ["span.duration"]:
        return Aggregate("duration", _average)
    if name in PERCENTILES and arguments in (["span.duration"], [""]):
        share = PERCENTILES[name]
        return Aggregate("duration", lambda batches: _percentile(batches, share))
    raise Unsupported(f"The sandbox does not compute {field}; it computes {SUPPORTED}")


def _count_if(arguments: list[str], field: str) -> Aggregate:
    if len(arguments) != 3 or arguments[0] != "span.duration":
        raise Unsupported(f"The sandbox computes count_if(span.duration,<op>,<number>) only, not {field}")
    name, raw = arguments[1], arguments[2]
    compare = COUNT_IF_OPERATORS.get(name)
    if compare is None:
        choices = ", ".join(COUNT_IF_OPERATORS)
        raise Unsupported(f"Invalid parameter {name}. Must be one of {choices} (between: not in the sandbox)")
    try:
        threshold = float(raw)
    except ValueError:
        # SRV search/eap/spans/aggregates.py resolve_attribute_value
        raise Unsupported(f"Invalid parameter '{raw}'. Must be of type number.") from None
    return Aggregate(
        "integer",
        lambda batches: sum(b["count"] for b in batches if compare(float(b["duration_ms"]), threshold)),
    )


def _count(batches: list[Doc]) -> int:
    return sum(int(batch["count"]) for batch in batches)


def _failure_count(batches: list[Doc]) -> int:
    return sum(int(batch["failed"]) for batch in batches)


def _failure_rate(batches: list[Doc]) -> float:
    total = _count(batches)
    return _failure_count(batches) / total if total else 0.0


def _average(batches: list[Doc]) -> float:
    total = _count(batches)
    return sum(float(b["duration_ms"]) * int(b["count"]) for b in batches) / total if total else 0.0


def _percentile(batches: list[Doc], share: float) -> float:
    """The `share` quantile of the spans' durations, interpolated linearly between ranks."""
    durations = sorted((float(b["duration_ms"]), int(b["count"])) for b in batches)
    total = sum(count for _, count in durations)
    if not total:
        return 0.0
    rank = share * (total - 1)
    below, fraction = int(rank), rank - int(rank)
    return _at(durations, below) * (1 - fraction) + _at(durations, min(below + 1, total - 1)) * fraction


def _at(durations: list[tuple[float, int]], index: int) -> float:
    for value, count in durations:
        if index < count:
            return value
        index -= count
    return durations[-1][0]


# -- query ----------------------------------------------------------------------------------------------


def query_filter(query: str) -> Filter:
    """The spans ``query`` keeps (see the module docstring)."""
    tests: list[Filter] = []
    for match in _QUERY_TOKEN.finditer(query):
        key, value = match.group("key"), (match.group("value") or "")
        quoted = value.startswith('"')
        value = value.strip('"')
        unsupported = (
            match.group("other") is not None
            or key not in QUERY_KEYS
            or (not quoted and value.startswith("["))
        )
        if unsupported:
            raise Unsupported(
                f"The sandbox cannot apply {match.group(0)!r} in query: it takes is_transaction:true|false, "
                "span.op:<op>, span.status:<status> and transaction:<name> tokens (* for any characters, ! "
                "before the key to negate), all of which must hold"
            )
        test = _token_test(key, value)
        tests.append((lambda t: lambda batch: not t(batch))(test) if match.group("negated") else test)
    return lambda batch: all(test(batch) for test in tests)


def _token_test(key: str, value: str) -> Filter:
    if key == "is_transaction":
        flag = {"true": True, "1": True, "false": False, "0": False}.get(value.lower())
        if flag is None:
            raise Unsupported(f"Invalid value for is_transaction: {value!r}; use true or false")
        return lambda batch: bool(batch["is_transaction"]) == flag
    field = FIELD_OF[key]
    if "*" not in value:
        return lambda batch: batch.get(field) == value
    pattern = re.compile("^" + ".*".join(re.escape(part) for part in value.split("*")) + "$", re.DOTALL)
    return lambda batch: batch.get(field) is not None and pattern.match(str(batch[field])) is not None
