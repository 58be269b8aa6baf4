"""The system-health job's checks in a game day (`lookout watch`, run by the world every heartbeat interval
as its cron job would be): the failure each exists for, caused and healed through the sandbox's control API,
as the vendor would see it (Supabase's project state, Render's usage), and which notifications are the
job's: its findings are Sentry issues titled `lookout-watch <check>: ...` and its pages carry the dedup key
`lookout-watch-<env>-<check>` (lookout/watch.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from stacks.checks import Check
from stacks.payloads import Watched
from stacks.plan import Plan

from .gameday_world import World
from .watch import MARK, finding_key

Act = Callable[[World], object]
HOUR = 3600.0
SLOW_MS = 1850.0
SLOW = {"query": "SELECT * FROM public.quests ORDER BY created_at", "calls": 40, "mean_exec_time": SLOW_MS}


def fault(plan: Plan, check: Check) -> tuple[str, Act, Act, float, float] | None:
    """(what fails, inject, heal, limit in seconds of plan time, step) for a watch check."""
    watched = check.payload
    if not isinstance(watched, Watched):
        return None
    every = plan.heartbeat.interval if plan.heartbeat else 300
    soon = 2 * every  # the job's next run, and one more if the fault came just after a run
    # The job runs every `every` seconds: a step of that length sees each run (the world stops the clock at
    # each), with fewer of the users' bursts in between, which these checks do not read.
    ref = watched.target

    def edit(state: dict[str, Any]) -> Act:
        return lambda world: world.sandbox.control("PATCH", f"/supabase/projects/{ref}", json=state)

    def usage(percent: float) -> Act:
        body = {"serviceId": ref, f"{watched.measure}Percent": percent}
        return lambda world: world.sandbox.control("PUT", "/render/usage", json=body)

    def service(name: str, status: str, error: str | None) -> dict[str, Any]:
        return {"services": {name: {"status": status, "error": error}}}

    healthy = "ACTIVE_HEALTHY"
    faults: dict[str, tuple[str, Act, Act, float, float]] = {
        "database": (
            "the database stops answering (Supabase reports db UNHEALTHY)",
            edit(service("db", "UNHEALTHY", "Failed to connect to database")),
            edit(service("db", healthy, None)),
            soon,
            every,
        ),
        "pooler": (
            "the connection pooler fails (Supabase reports pooler UNHEALTHY)",
            edit(service("pooler", "UNHEALTHY", "Failed to connect to pooler")),
            edit(service("pooler", healthy, None)),
            soon,
            every,
        ),
        "storage": (
            "the database disk fills to 86%",
            edit({"disk": {"size_bytes": 8_000_000_000, "used_bytes": 6_880_000_000}}),
            edit({"disk": {"used_bytes": 1_600_000_000}}),
            soon,
            every,
        ),
        "connections": (
            "51 of 60 connections in use (85%)",
            edit({"db": {"connections": {"active": 44, "idle": 7}}}),
            edit({"db": {"connections": {"active": 2, "idle": 9}}}),
            soon,
            every,
        ),
        "backups": (
            "the daily backups have failed for 25 hours (and still fail)",
            lambda world: edit({"backups": {"failing": True, "failed_since": iso(world.clock - 25 * HOUR)}})(
                world
            ),
            edit({"backups": {"failing": False}}),
            soon,
            every,
        ),
        "slow-queries": (
            f"a query takes {SLOW_MS / 1000:g} s on average",
            edit({"db": {"statements": [SLOW]}}),
            edit({"db": {"statements": []}}),  # a DBA fixes it and resets pg_stat_statements
            soon,
            every,
        ),
        "cpu": (f"{ref} runs at 95% of its CPU", usage(95), usage(5), soon + 60 * watched.minutes, every),
        "memory": (f"{ref} uses 95% of its memory", usage(95), usage(30), soon + 60 * watched.minutes, every),
    }
    return faults.get(watched.measure)


def attribute(delivery: dict[str, Any], env: str) -> str | None:
    """The watch check a notification came from (a Sentry issue alert of a finding, or the job's page)."""
    if delivery.get("via") == "sentry":
        return finding_key(str(delivery.get("title") or ""))
    dedup = str(delivery.get("dedup_key") or "")
    prefix = f"{MARK}-{env}-"
    return dedup[len(prefix) :] if dedup.startswith(prefix) else None


def iso(instant: float) -> str:
    return datetime.fromtimestamp(instant, timezone.utc).isoformat().replace("+00:00", "Z")
