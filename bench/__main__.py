"""The benchmark program: N UptimeRobot monitors, N Sentry metric monitors and N Render env vars through
Lookout's providers (`bench:vendors` narrows them), or (`bench:mode` noop) the same resources, with the same
dependencies, of a provider that does nothing."""

from __future__ import annotations

from typing import Any

import pulumi

from bench.noop import Noop
from providers.render.resources import EnvVar
from providers.sentry.resources import MetricMonitor, Project, Team
from providers.uptimerobot.resources import Monitor

SERVICES = ("optio-dev-backend", "optio-dev-frontend")  # seeded in the sandbox


def monitor(i: int) -> dict[str, Any]:
    return {"name": f"bench-{i}", "url": f"https://bench-{i}.example.test/health", "interval": 300}


def detector(i: int, project: Any) -> dict[str, Any]:
    return {
        "project": project,
        "name": f"bench error rate {i}",
        "dataset": "transactions",
        "aggregate": "failure_rate()",
        "critical": 0.05,
    }


def env_var(i: int) -> dict[str, Any]:
    return {"service": SERVICES[i % len(SERVICES)], "key": f"BENCH_{i}", "value": f"value-{i}"}


config = pulumi.Config("bench")
count = config.require_int("count")
vendors = set((config.get("vendors") or "uptimerobot,sentry,render").split(","))
if config.get("mode") == "noop":  # the same graph: the detectors wait for a project, which waits for a team
    noop_team = Noop("bench-team", {"slug": "bench"})
    noop_project = Noop("bench-project", {"team": noop_team.id, "slug": "bench", "name": "Bench"})
    for i in range(count):
        Noop(f"monitor-{i}", monitor(i))
        Noop(f"detector-{i}", detector(i, noop_project.id))
        Noop(f"env-{i}", env_var(i))
else:
    if "sentry" in vendors:
        team = Team("bench-team", slug="bench")
        project = Project(
            "bench-project", team=team.slug, slug="bench", name="Bench", platform="python", default_key="keep"
        )
    for i in range(count):
        if "uptimerobot" in vendors:
            Monitor(f"monitor-{i}", **monitor(i))
        if "sentry" in vendors:
            MetricMonitor(f"detector-{i}", **detector(i, project.project_id))
        if "render" in vendors:
            EnvVar(f"env-{i}", **env_var(i))
