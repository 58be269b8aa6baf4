"""Lint for the system-health job and its heartbeat: the heartbeat must expect pings as often as the job's
schedule sends them, and someone must hear when it stops.

UptimeRobot reports a heartbeat monitor down when no ping came within its interval (plus grace); the job
pings at the end of each complete run (lookout/watch.py), so the schedule's longest gap between two runs (a
weekday-only schedule has a weekend in it, a monthly one a 61-day gap from August 31 to October 31) must
fit, with time left for a run to finish. A heartbeat whose alerts go to no channel never reaches anyone.
"""

from __future__ import annotations

from collections.abc import Iterator

from providers.render.cron_job import longest_gap

from .lint_rules import HEARTBEAT_MAX_INTERVAL, Finding, Stack, full_key, warning

RUN_MARGIN = 60  # seconds a run may take before its ping counts as late (the job reads four vendors)


def job_heartbeat(s: Stack) -> Iterator[Finding]:
    job, hb = s.plan.health_job, s.plan.heartbeat
    if job is None:
        return
    if hb is None:
        yield Finding(
            "job-heartbeat",
            "warning",
            full_key("heartbeat"),
            "the system-health job runs on Render, but with no heartbeat nobody hears when it stops",
        )
        return
    gap = longest_gap(job.schedule)
    allowed = hb.interval + hb.grace
    if gap > HEARTBEAT_MAX_INTERVAL + hb.grace:
        yield Finding(
            "job-heartbeat",
            "error",
            full_key("health_job.schedule"),
            f"'{job.schedule}' runs the job up to {_span(gap)} apart, longer than any UptimeRobot heartbeat "
            f"waits ({_span(HEARTBEAT_MAX_INTERVAL)} + grace): it would be reported down between runs; run "
            "it more often",
        )
    elif allowed < gap:
        yield Finding(
            "job-heartbeat",
            "error",
            full_key("heartbeat.interval"),
            f"the heartbeat expects a ping within {_span(allowed)} ({hb.interval} + {hb.grace} s grace), but "
            f"health_job.schedule '{job.schedule}' runs the job up to {_span(gap)} apart: it would be "
            "reported down between runs; set the interval to at least the schedule's gap",
        )
    elif allowed < gap + RUN_MARGIN:
        yield Finding(
            "job-heartbeat",
            "warning",
            full_key("heartbeat.interval"),
            f"{hb.interval} + {hb.grace} s grace leaves {allowed - gap:g} s for a run of "
            f"'{job.schedule}' to finish before its ping is late; raise the grace to {RUN_MARGIN} s or more",
        )


def heartbeat_heard(s: Stack) -> Iterator[Finding]:
    """A heartbeat that alerts no channel can never tell anyone that its job stopped."""
    hb = s.plan.heartbeat
    check = next((c for c in s.checks if c.key == f"heartbeat:{hb.name}"), None) if hb else None
    if hb is None or check is None or check.channels:
        return
    yield warning(
        "never-fires",
        f"routing.{check.severity}",
        f"the {hb.name} heartbeat alerts nobody when its job stops: routing.{check.severity} lists no "
        "channel; add one",
    )


def _span(seconds: float) -> str:
    return f"{seconds / 86400:g} days" if seconds >= 86400 else f"{seconds:g} s"


JOB_RULES = [job_heartbeat, heartbeat_heard]
