"""What the system-health job measures (`lookout watch`): each `watch` check of the plan (stacks/checks.py
`_watch`) read from the vendor that measures it, as a finding: ok, breach (the value against its
threshold) or unknown (the vendor could not be read, or the database does not answer: never "healthy").

Supabase through its Management API (providers/supabase/client.py): the database's and the pooler's health
(`/health`), the disk (`/config/disk/util`), backups (`/database/backups`; with point-in-time recovery the
newest physical backup), and read-only SQL for connections (client backends of `pg_stat_activity` against
`max_connections`) and slow statements (`pg_stat_statements` mean time, since its statistics were last
reset). Render through its metrics (providers/render/metrics.py). Each vendor answer is read once per run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from providers.render import client as render
from providers.render import metrics
from providers.supabase import client as supabase
from stacks.checks import Check
from stacks.payloads import Watched
from transport import Expected, Transport

Status = Literal["ok", "breach", "unknown", "blocked"]  # blocked: another check's breach keeps it from
# being measured (no SQL reaches a database that is down); reported, and not a failure of the run
CONNECTIONS_SQL = (
    "select count(*) as used, current_setting('max_connections')::int as max "
    "from pg_catalog.pg_stat_activity where backend_type = 'client backend'"
)
SLOW_SQL = (
    "select query, calls, mean_exec_time from extensions.pg_stat_statements "
    "where mean_exec_time > $1 order by mean_exec_time desc limit 5"
)
HEALTHY = "ACTIVE_HEALTHY"


@dataclass(frozen=True)
class Finding:
    check: Check
    status: Status
    detail: str


class Readings:
    """One run's answers, each asked once; a failed read is kept and reported by every check that needs it."""

    def __init__(
        self,
        supabase_api: Callable[[], Transport],
        render_api: Callable[[], Transport],
        now: Callable[[], float],
    ) -> None:
        self._apis = {"supabase": supabase_api, "render": render_api}
        self._clients: dict[str, Transport] = {}
        self._known: dict[tuple[str, ...], Any] = {}
        self.now = now

    def api(self, vendor: str) -> Transport:
        if vendor not in self._clients:
            self._clients[vendor] = self._apis[vendor]()
        return self._clients[vendor]

    def read(self, key: tuple[str, ...], vendor: str, how: Callable[[Transport], Any]) -> Any:
        if key not in self._known:
            try:
                self._known[key] = how(self.api(vendor))
            except Expected as exc:
                self._known[key] = exc
        found = self._known[key]
        if isinstance(found, Exception):
            raise found
        return found


class Unknown(Exception):
    """The measure could not be taken (why, in words)."""


class Blocked(Unknown):
    """The measure cannot be taken while another check is breached."""


def measure(checks: list[Check], readings: Readings) -> list[Finding]:
    findings = []
    for check in checks:
        watched = check.payload
        if not isinstance(watched, Watched):
            continue
        try:
            breached, detail = MEASURES[watched.measure](watched, readings)
        except Expected as exc:
            findings.append(Finding(check, "unknown", f"{_vendor(watched)} could not be read: {exc}"))
        except Unknown as exc:
            findings.append(Finding(check, "blocked" if isinstance(exc, Blocked) else "unknown", str(exc)))
        else:
            findings.append(Finding(check, "breach" if breached else "ok", detail))
    return findings


def _vendor(watched: Watched) -> str:
    return "Render" if watched.measure in ("cpu", "memory") else "Supabase"


def _health(watched: Watched, readings: Readings) -> dict[str, dict[str, Any]]:
    answer = readings.read(
        ("health", watched.target),
        "supabase",
        lambda t: supabase.health(t, watched.target, ["db", "pooler"]),
    )
    return {str(item.get("name")): item for item in answer}


def _service(name: str) -> Callable[[Watched, Readings], tuple[bool, str]]:
    def judge(watched: Watched, readings: Readings) -> tuple[bool, str]:
        item = _health(watched, readings).get(name)
        if item is None:
            raise Unknown(f"Supabase did not report the {name} service")
        status = str(item.get("status"))
        error = f" ({item['error']})" if item.get("error") else ""
        return status != HEALTHY, f"Supabase reports {name} {status}{error}"

    return judge


def _answering(watched: Watched, readings: Readings) -> None:
    """SQL reaches the database only while it is up: otherwise the API times out with a 544."""
    item = _health(watched, readings).get("db") or {}
    if item.get("status") != HEALTHY:
        raise Blocked(f"not measured: the database does not answer (db {item.get('status', 'unknown')})")


def _storage(watched: Watched, readings: Readings) -> tuple[bool, str]:
    disk = readings.read(("disk", watched.target), "supabase", lambda t: supabase.disk(t, watched.target))
    size, used = float(disk["metrics"]["fs_size_bytes"]), float(disk["metrics"]["fs_used_bytes"])
    percent = used / size * 100 if size else 0.0
    limit = watched.threshold or 0
    return percent > limit, f"{percent:.0f}% of {size / 1e9:.1f} GB used (threshold {limit:g}%)"


def _connections(watched: Watched, readings: Readings) -> tuple[bool, str]:
    _answering(watched, readings)
    rows = readings.read(
        ("connections", watched.target),
        "supabase",
        lambda t: supabase.query(t, watched.target, CONNECTIONS_SQL),
    )
    used, most = int(rows[0]["used"]), int(rows[0]["max"])
    percent, limit = used / most * 100 if most else 100.0, watched.threshold or 0
    return percent > limit, f"{used} of {most} connections ({percent:.0f}%; threshold {limit:g}%)"


def _backups(watched: Watched, readings: Readings) -> tuple[bool, str]:
    listed = readings.read(
        ("backups", watched.target), "supabase", lambda t: supabase.backups(t, watched.target)
    )
    limit = watched.threshold or 0
    if listed.get("pitr_enabled"):
        latest = (listed.get("physical_backup_data") or {}).get("latest_physical_backup_date_unix")
        newest = float(latest) if latest else None
    else:
        done = [
            _instant(b["inserted_at"]) for b in listed.get("backups") or [] if b.get("status") == "COMPLETED"
        ]
        newest = max(done) if done else None
    if newest is None:
        failed = sum(1 for b in listed.get("backups") or [] if b.get("status") == "FAILED")
        return True, f"no completed backup listed ({failed} failed)"
    age = (readings.now() - newest) / 3600
    return age > limit, f"newest completed backup {age:.0f} h old (threshold {limit:g} h)"


def _slow_queries(watched: Watched, readings: Readings) -> tuple[bool, str]:
    _answering(watched, readings)
    limit = watched.threshold or 0
    rows = readings.read(
        ("slow", watched.target), "supabase", lambda t: supabase.query(t, watched.target, SLOW_SQL, limit)
    )
    if not rows:
        return False, f"no statement's mean time is over {limit:g} ms"
    slowest = rows[0]
    text = " ".join(str(slowest["query"]).split())[:60]
    mean = float(slowest["mean_exec_time"])
    return True, f"{len(rows)} statement(s) over {limit:g} ms; slowest {mean:.0f} ms: {text}"


def _usage(watched: Watched, readings: Readings) -> tuple[bool, str]:
    minutes = watched.minutes

    def share(t: Transport) -> float | None:
        service = render.service(t, watched.target)
        return metrics.utilisation(t, str(service["id"]), watched.measure, minutes)

    used = readings.read((watched.measure, watched.target), "render", share)
    if used is None:
        raise Unknown(f"Render has no {watched.measure} metrics for {watched.target} (no running instance?)")
    percent, limit = used * 100, watched.threshold or 0
    return (
        percent > limit,
        f"{percent:.0f}% of the instance's {watched.measure} over {minutes} min (threshold {limit:g}%)",
    )


def _instant(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


MEASURES: dict[str, Callable[[Watched, Readings], tuple[bool, str]]] = {
    "database": _service("db"),
    "pooler": _service("pooler"),
    "storage": _storage,
    "connections": _connections,
    "backups": _backups,
    "slow-queries": _slow_queries,
    "cpu": _usage,
    "memory": _usage,
}
