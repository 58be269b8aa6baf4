"""The system-health job's part of the plan: the database it checks (`lookout:database`), the heartbeat it
pings (`lookout:heartbeat`) and where it runs (`lookout:health_job`): a Render cron job built from the repo
that holds this plan, running `lookout watch <env> --once --from-env` (stacks/fanout/render.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from providers.render.cron_job import schedule_failure

from .plan_base import NAME, Strict


class HealthJob(Strict):
    repo: str = Field(
        pattern=r"^https://", description="The repository of this plan, which Render builds the job from"
    )
    branch: str | None = Field(None, description="Default: the repository's default branch")
    schedule: str = Field("*/5 * * * *", description="Cron, UTC (the plan: every 5 minutes)")
    name: str | None = Field(None, pattern=NAME, description="Default: <app>-<env>-system-health")
    region: Literal["oregon", "frankfurt", "ohio", "singapore", "virginia"] = "oregon"
    instance: Literal["starter", "standard", "pro"] = Field(
        "starter", description="Render instance type; cron jobs have no free one"
    )

    @field_validator("schedule")
    @classmethod
    def cron(cls, value: str) -> str:
        why = schedule_failure(value)
        if why:
            raise ValueError(why)
        return value


class Database(Strict):
    """The environment's Supabase database, which `lookout watch` checks through the Management API."""

    supabase_project: str = Field(
        pattern=r"^[a-z]{20}$", description="The project's ref (20 letters: Project Settings > General)"
    )


class Heartbeat(Strict):
    name: str = Field("system-health", pattern=NAME, description="The periodic system-health job")
    interval: int = Field(300, gt=0, description="Seconds between pings (plan: every 5 minutes)")
    grace: int = Field(60, ge=0, le=86400)
