"""Transactions as Relay and Sentry keep them: never grouped into error issues (Relay sends transaction items
to the ``ingest-transactions`` topic, errors to ``ingest-events``: getsentry/relay relay-kafka
src/config.rs), but split into spans for the spans dataset (sandbox/sentry/spans.py), which the events API,
the dashboards and the metric monitors read.

From getsentry/relay (sources in docs/vendors/sentry.md, "How events become spans"):

* the time: the SDK stamps the envelope header ``sent_at``; when the receiver's clock (here the sandbox's)
  is at least ``MINIMUM_CLOCK_DRIFT`` (55 min) away from it, every timestamp of the event is shifted by
  that drift (relay-event-normalization src/clock_drift.rs, relay-server src/services/processor.rs). An
  event then still ending more than 60 s in the future, or more than the retention (90 days) in the past,
  is shifted whole so that it ends when received (src/validation.rs normalize_timestamps,
  ``max_secs_in_future``, DEFAULT_EVENT_RETENTION). A transaction without ``timestamp`` or
  ``start_timestamp``, or ending before it starts, is dropped;
* the segment span (src/protocol/span/convert.rs ``From<&Event>``): ``op`` and ``status`` of the trace
  context (a missing status is ``unknown``), duration from ``start_timestamp`` to ``timestamp``, the
  transaction's name, ``is_transaction`` true;
* each child span of ``spans[]`` keeps its own ``op`` and ``status`` (none: ``ok``) and carries the
  transaction's name and environment (tag_extraction.rs ``extract_shared_tags``); one without an end time
  ends with the transaction and ``deadline_exceeded`` (``end_all_spans``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sandbox.sentry import environments, spans

MINIMUM_CLOCK_DRIFT = 55 * 60
MAX_SECONDS_IN_FUTURE = 60
MAX_SECONDS_IN_PAST = 90 * 86400

Doc = dict[str, Any]


def drift(sent_at: Any, received: float) -> float:
    """Seconds to add to the SDK's timestamps: the drift between `sent_at` and `received`, when large."""
    sent = instant(sent_at)
    if sent is None or abs(received - sent) < MINIMUM_CLOCK_DRIFT:
        return 0.0
    return received - sent


def ingest(project: Doc, event: Doc, shift: float, received: float) -> int:
    """Store the spans of transaction `event` (timestamps moved by `shift`); how many were stored."""
    start, end = instant(event.get("start_timestamp")), instant(event.get("timestamp"))
    if start is None or end is None or end < start:
        return 0
    start, end = start + shift, end + shift
    if end > received + MAX_SECONDS_IN_FUTURE or end < received - MAX_SECONDS_IN_PAST:
        shift, start, end = shift + received - end, start + received - end, received
    name, environment = event.get("transaction"), _environment(project, event.get("environment"))
    trace = ((event.get("contexts") or {}).get("trace")) or {}
    shared = {"transaction": name if isinstance(name, str) else None, "environment": environment}
    _span(project, start, end, trace.get("op"), trace.get("status") or "unknown", True, shared)
    stored = 1
    for child in event.get("spans") or []:
        if not isinstance(child, dict):
            continue
        began, ended = instant(child.get("start_timestamp")), instant(child.get("timestamp"))
        if began is None:
            continue
        status = child.get("status") or "ok"
        if ended is None:
            ended, status = end - shift, "deadline_exceeded"
        _span(project, began + shift, ended + shift, child.get("op"), status, False, shared)
        stored += 1
    return stored


def _span(project: Doc, start: float, end: float, op: Any, status: Any, segment: bool, shared: Doc) -> None:
    spans.record(
        project,
        end,
        max(0.0, (end - start) * 1000),
        failed=int(str(status) not in spans.OK_STATUSES),
        op=op if isinstance(op, str) else None,
        status=str(status),
        is_transaction=segment,
        **shared,
    )


def _environment(project: Doc, name: Any) -> str | None:
    if not isinstance(name, str):
        return None
    try:
        environments.add(project, name)  # spans with an environment make it exist
    except ValueError:
        return None  # Relay drops an invalid environment name
    return name


def instant(value: Any) -> float | None:
    """A protocol timestamp: seconds since the epoch, or RFC 3339 text (the SDKs send both)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()
    return None
