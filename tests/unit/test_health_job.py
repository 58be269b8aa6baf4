"""The system-health job as deployed: the settings `pulumi up` must have to give it, its name, and the
routes it reads back from its env vars alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lookout import stackfile, watch
from providers import settings
from stacks import preflight
from stacks.plan import load_plan
from stacks.system_health import JOB_ROUTES, JOB_SETTINGS
from stacks.validation import ConfigError

NEEDED = (
    "RENDER_API_KEY",
    "RENDER_OWNER_ID",
    "SUPABASE_ACCESS_TOKEN",
    "SENTRY_AUTH_TOKEN",
    "SENTRY_ORGANIZATION",
)


@pytest.fixture(autouse=True)
def bare_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in NEEDED:
        monkeypatch.delenv(name, raising=False)
    yield
    settings.use_config({})


def test_up_warns_when_the_job_would_lack_a_setting_it_reads():
    plan = stackfile.load("prod")
    config = {
        "render:apiKey": "rnd_x",
        "render:ownerId": "tea-x",
        "sentry:authToken": "t",
        "sentry:organization": "o",
    }
    [warning] = preflight.job_settings(plan, config)
    assert warning.startswith("lookout:health_job: supabase:accessToken not set (nor SUPABASE_ACCESS_TOKEN)")
    assert preflight.job_settings(plan, {**config, "supabase:accessToken": "sbp_x"}) == []


def test_every_setting_the_job_reads_travels_under_the_name_settings_fall_back_to():
    names = {settings.env_name(key) for key in JOB_SETTINGS}
    assert set(NEEDED) <= names and "SUPABASE_ENDPOINT" in names
    assert not names & set(JOB_ROUTES.values())


def test_the_job_is_named_after_the_app_and_environment_unless_the_plan_names_it():
    plan = stackfile.load("prod")
    assert plan.job_name() == "optio-prod-system-health"
    assert plan.health_job is not None
    named = plan.model_copy(update={"health_job": plan.health_job.model_copy(update={"name": "health"})})
    assert named.job_name() == "health"


def test_routes_come_from_the_jobs_env_vars_alone():
    plan = stackfile.load("prod")
    env = {
        "LOOKOUT_SENTRY_DSN": "https://pub@o1.ingest.invalid/42",
        "LOOKOUT_PAGERDUTY_KEY": "k" * 32,
        "LOOKOUT_SLACK_WEBHOOK": "https://hooks.slack.invalid/x",
        "LOOKOUT_HEARTBEAT_URL": "https://heartbeat.invalid/m1",
    }
    routes = watch.routes_from_env(plan, env)
    assert (routes.sentry_dsn, routes.pagerduty_key) == (env["LOOKOUT_SENTRY_DSN"], "k" * 32)
    assert (routes.slack_webhook, routes.heartbeat_url) == (
        env["LOOKOUT_SLACK_WEBHOOK"],
        env["LOOKOUT_HEARTBEAT_URL"],
    )
    assert routes.sentry_project == "optio-prod-backend"
    bare = watch.routes_from_env(plan, {})
    assert (bare.sentry_dsn, bare.sentry_project, bare.heartbeat_url) == (None, None, None)


def test_a_job_with_nothing_to_watch_is_refused_naming_the_key():
    values = {
        k.removeprefix("lookout:"): v
        for k, v in stackfile.config_of("dev").items()
        if k.startswith("lookout:")
    }
    values.pop("database")
    values["services"] = [{k: v for k, v in s.items() if k != "render_service"} for s in values["services"]]
    with pytest.raises(ConfigError, match="health_job: the plan declares nothing to watch"):
        load_plan(values)
