"""The Render cron job provider against the sandbox: one create with every env var, updates that send only
what changed and deploy once, env var drift, a schedule refused before any write, env var values masked."""

from __future__ import annotations

from typing import Any

import pytest

from harness.sandbox_process import SandboxProcess
from providers.render.resources import CronJobProvider
from providers.spec import AdoptionFailed
from transport.redact import redact

from .conftest import checked, count, wire

HEARTBEAT = "https://heartbeat.test/m1-abcdef"
JOB: dict[str, Any] = {
    "name": "optio-dev-system-health",
    "schedule": "*/5 * * * *",
    "repo": "https://github.com/optio/monitoring",
    "build_command": "pip install .",
    "start_command": "python -m lookout watch dev --once --from-env",
    "env_vars": {"LOOKOUT_HEARTBEAT_URL": HEARTBEAT, "RENDER_API_KEY": "rnd_k3y"},
}


def env(api: SandboxProcess, job_id: str) -> dict[str, str]:
    return {e["key"]: e["value"] for e in api.control("GET", f"/render/services/{job_id}/env-vars").json()}


def routes(api: SandboxProcess, *names: str) -> dict[str, int]:
    return {name: count(api, name, "render") for name in names}


def test_a_job_is_created_in_one_request_with_its_env_vars(configured: SandboxProcess):
    provider = CronJobProvider()
    created = provider.create(checked(provider, JOB))
    assert created.id.startswith("crn-")
    made = next(s for s in configured.control("GET", "/render/services").json() if s["id"] == created.id)
    assert (made["type"], made["serviceDetails"]["schedule"]) == ("cron_job", "*/5 * * * *")
    assert made["serviceDetails"]["envSpecificDetails"]["startCommand"] == JOB["start_command"]
    assert env(configured, created.id) == JOB["env_vars"]
    assert routes(configured, "POST /services", "PUT /services/{serviceId}/env-vars/{envVarKey}") == {
        "POST /services": 1,
        "PUT /services/{serviceId}/env-vars/{envVarKey}": 0,
    }
    assert wire(created.outs)["dashboard_url"] == f"https://dashboard.render.com/cron/{created.id}"


def test_an_update_sends_what_changed_and_deploys_once(configured: SandboxProcess):
    provider = CronJobProvider()
    created = provider.create(checked(provider, JOB))
    state = wire(created.outs)
    assert provider.diff(created.id, state, checked(provider, JOB)).changes is False
    news = {**JOB, "env_vars": {"LOOKOUT_HEARTBEAT_URL": "https://heartbeat.test/m2-abcdef", "NEW": "1"}}
    provider.update(created.id, state, checked(provider, news))
    assert env(configured, created.id) == news["env_vars"]  # changed, added, and RENDER_API_KEY removed
    sent = routes(
        configured,
        "PATCH /services/{serviceId}",
        "PUT /services/{serviceId}/env-vars/{envVarKey}",
        "DELETE /services/{serviceId}/env-vars/{envVarKey}",
        "POST /services/{serviceId}/deploys",
        "PUT /services/{serviceId}/env-vars",
    )
    assert sent == {
        "PATCH /services/{serviceId}": 0,  # the job itself did not change
        "PUT /services/{serviceId}/env-vars/{envVarKey}": 2,
        "DELETE /services/{serviceId}/env-vars/{envVarKey}": 1,
        "POST /services/{serviceId}/deploys": 1,
        "PUT /services/{serviceId}/env-vars": 0,  # never the bulk replace
    }
    provider.update(created.id, state, checked(provider, {**news, "schedule": "*/10 * * * *"}))
    job = next(s for s in configured.control("GET", "/render/services").json() if s["id"] == created.id)
    assert job["serviceDetails"]["schedule"] == "*/10 * * * *"
    assert count(configured, "POST /services/{serviceId}/deploys", "render") == 2


def test_a_key_added_outside_lookout_is_drift_and_a_new_region_replaces(configured: SandboxProcess):
    provider = CronJobProvider()
    created = provider.create(checked(provider, JOB))
    configured.control("PUT", f"/render/services/{created.id}/env-vars/DEBUG", json={"value": "1"})
    read = provider.read(created.id, wire(created.outs))
    assert read.outs is not None and read.outs["env_vars"]["DEBUG"] == "1"
    diff = provider.diff(created.id, wire(read.outs), checked(provider, JOB))
    assert diff.changes and not diff.replaces
    moved = provider.diff(created.id, wire(created.outs), checked(provider, {**JOB, "region": "frankfurt"}))
    assert moved.replaces == ["region"]
    provider.delete(created.id, wire(created.outs))
    assert provider.read(created.id, wire(created.outs)).id is None


def test_a_bad_schedule_is_named_at_check_and_values_are_masked(configured: SandboxProcess):
    provider = CronJobProvider()
    failures = provider.check({}, {**JOB, "schedule": "every 5 minutes"}).failures
    assert [f.property for f in failures] == ["schedule"]
    assert "a cron schedule has 5" in failures[0].reason
    provider.check({}, JOB)
    assert redact(f"sent {HEARTBEAT}") == "sent [redacted]"


def test_a_job_in_another_region_is_not_adopted_to_be_replaced_later(configured: SandboxProcess):
    made = configured.control(
        "POST",
        "/render/services",
        json={"name": JOB["name"], "type": "cron_job", "serviceDetails": {"region": "frankfurt"}},
    ).json()
    provider = CronJobProvider()
    with pytest.raises(AdoptionFailed, match="it has region 'frankfurt', which cannot change"):
        provider.create(checked(provider, {**JOB, "adopt_id": made["id"]}))
    adopted = provider.create(checked(provider, {**JOB, "region": "frankfurt", "adopt_id": made["id"]}))
    assert adopted.id == made["id"]
    assert env(configured, made["id"]) == JOB["env_vars"]
