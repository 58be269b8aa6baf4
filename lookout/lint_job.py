"""Lint for the system-health job: its heartbeat must expect pings as often as the job's schedule sends
them. UptimeRobot reports a heartbeat monitor down when no ping came within its interval (plus grace);
the job pings at the end of each complete run (lookout/watch.py), so the schedule's longest gap between
two runs (a weekday-only schedule has a weekend in it) must fit, with time left for a run to finish."""

from __future__ import annotations

from collections.abc import Iterator

from providers.render.cron_job import longest_gap

from .lint_rules import Finding, Stack, full_key

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
    where = full_key("heartbeat.interval")
    if allowed < gap:
        yield Finding(
            "job-heartbeat",
            "error",
            where,
            f"the heartbeat expects a ping within {allowed:g} s ({hb.interval} + {hb.grace} grace), but "
            f"health_job.schedule '{job.schedule}' runs the job up to {gap:g} s apart: it would be "
            "reported down between runs; set the interval to at least the schedule's gap",
        )
    elif allowed < gap + RUN_MARGIN:
        yield Finding(
            "job-heartbeat",
            "warning",
            where,
            f"{hb.interval} + {hb.grace} s grace leaves {allowed - gap:g} s for a run of "
            f"'{job.schedule}' to finish before its ping is late; raise the grace to {RUN_MARGIN} s or more",
        )


JOB_RULES = [job_heartbeat]
