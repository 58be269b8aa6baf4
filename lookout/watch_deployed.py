"""The system-health job as its Render cron job runs it: with the env vars `pulumi up` gave the job, read
back from Render, and nothing else (no stack outputs, no config). The game day runs it so, every heartbeat
interval, since the sandbox's Render runs no code (deviation render-cron-runs)."""

from __future__ import annotations

from collections.abc import Callable

from providers import settings
from providers.render import client as render
from providers.render import cron_job
from stacks.plan import Plan
from stacks.system_health import JOB_SETTINGS

from . import stack_values, watch
from .review import Runner


def job_env(plan: Plan) -> dict[str, str] | None:
    """The env vars of the plan's cron job, or None when the plan deploys none or it is not found."""
    if plan.health_job is None:
        return None
    client = render.client()
    found = cron_job.named(client, plan.job_name())
    return cron_job.SPEC.env_vars(client, found["id"]) if found else None


def job(run_pulumi: Runner, stack: str, plan: Plan, now: Callable[[], float]) -> Callable[[], watch.Run]:
    """The deployed job; a plan that deploys none runs as `lookout watch` does, from the stack."""
    settings.use_config(stack_values.config(run_pulumi, stack))  # to read Render
    env = job_env(plan)
    if env is None:
        return watch.job(run_pulumi, stack, plan, now)
    settings.use_config(
        {key: env[settings.env_name(key)] for key in JOB_SETTINGS if settings.env_name(key) in env}
    )
    return watch.job_of(watch.routes_from_env(plan, env), now)
