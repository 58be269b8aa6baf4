"""Render cron jobs in the sandbox (sandbox/render/service_create.py): `POST /services` answers the service
and its first deploy, refuses what Render needs before writing anything, and `DELETE` removes the job with
its env vars; every answer fits the spec."""

from __future__ import annotations

from typing import Any

from .conftest import RENDER_OWNER, Client, Server
from .test_render_fidelity import check
from .test_render_runtime import advance


def cron_body(**overrides: Any) -> dict[str, Any]:
    details = {
        "runtime": "python",
        "schedule": "*/5 * * * *",
        "envSpecificDetails": {"buildCommand": "pip install .", "startCommand": "python -m job"},
    }
    body = {
        "type": "cron_job",
        "name": "optio-prod-system-health",
        "ownerId": RENDER_OWNER,
        "repo": "https://github.com/optio/monitoring",
        "serviceDetails": details,
        "envVars": [{"key": "LOOKOUT_HEARTBEAT_URL", "value": "https://heartbeat.test/x"}],
    }
    return {**body, **overrides}


def test_a_cron_job_is_created_with_its_first_deploy_and_env_vars(render: Client):
    made = check(render.post("/services", json=cron_body()), 201)
    job = made["service"]
    assert job["id"].startswith("crn-") and made["deployId"].startswith("dep-")
    assert job["dashboardUrl"] == f"https://dashboard.render.com/cron/{job['id']}"
    assert job["slug"].startswith("optio-prod-system-health-") and job["type"] == "cron_job"
    details = job["serviceDetails"]
    assert (details["plan"], details["region"], details["schedule"]) == ("starter", "oregon", "*/5 * * * *")
    assert details["envSpecificDetails"]["startCommand"] == "python -m job"
    assert check(render.get(f"/services/{job['id']}"), 200) == job
    env = check(render.get(f"/services/{job['id']}/env-vars"), 200)
    assert [e["envVar"] for e in env] == [
        {"key": "LOOKOUT_HEARTBEAT_URL", "value": "https://heartbeat.test/x"}
    ]
    listed = check(render.get("/services", params={"type": "cron_job"}), 200)
    assert [item["service"]["id"] for item in listed] == [job["id"]]


def test_the_first_deploy_builds_and_goes_live_on_the_sandbox_clock(sandbox_server: Server, render: Client):
    sandbox_server.control("PUT", "/checks", json={"running": True})
    made = check(render.post("/services", json=cron_body()), 201)
    deploys = check(render.get(f"/services/{made['service']['id']}/deploys"), 200)
    assert [(d["deploy"]["id"], d["deploy"]["status"]) for d in deploys] == [(made["deployId"], "created")]
    advance(sandbox_server, 150)
    deploys = check(render.get(f"/services/{made['service']['id']}/deploys"), 200)
    assert deploys[0]["deploy"]["status"] == "live"


def test_what_a_cron_job_needs_is_refused_before_anything_is_written(render: Client):
    native = {"buildCommand": "pip install ."}
    refused = {
        "serviceDetails.schedule": {
            "runtime": "python",
            "envSpecificDetails": {**native, "startCommand": "x"},
        },
        "serviceDetails.runtime": {"schedule": "* * * * *"},
        "serviceDetails.envSpecificDetails.startCommand": {
            "runtime": "python",
            "schedule": "* * * * *",
            "envSpecificDetails": native,
        },
    }
    for field, details in refused.items():
        answer = check(render.post("/services", json=cron_body(serviceDetails=details)), 400)
        assert answer["message"].startswith(f"invalid {field}:"), answer
    bad = cron_body()
    bad["serviceDetails"] = {**bad["serviceDetails"], "schedule": "every 5 minutes"}
    assert "is not a cron expression" in check(render.post("/services", json=bad), 400)["message"]
    assert "repo" in check(render.post("/services", json=cron_body(repo="")), 400)["message"]
    twice = cron_body(envVars=[{"key": "A", "value": "1"}, {"key": "A", "value": "2"}])
    assert "duplicate key" in check(render.post("/services", json=twice), 400)["message"]
    elsewhere = check(render.post("/services", json=cron_body(ownerId="tea-elsewhere")), 400)
    assert elsewhere["message"].startswith("invalid ownerId: tea-elsewhere")
    assert check(render.get("/services", params={"type": "cron_job"}), 200) == []


def test_a_schedule_changes_with_patch_and_delete_removes_the_job(render: Client):
    job = check(render.post("/services", json=cron_body()), 201)["service"]
    patched = check(
        render.patch(f"/services/{job['id']}", json={"serviceDetails": {"schedule": "0 * * * *"}}), 200
    )
    assert patched["serviceDetails"]["schedule"] == "0 * * * *"
    # cronJobDetailsPATCH has no region, and fields no type knows are ignored: a new region is a new job
    region = render.patch(f"/services/{job['id']}", json={"serviceDetails": {"region": "frankfurt"}})
    assert check(region, 200)["serviceDetails"]["region"] == "oregon"
    assert check(render.delete(f"/services/{job['id']}"), 204) is None
    assert render.get(f"/services/{job['id']}").json() == {"message": f"not found: {job['id']}"}
    assert render.get(f"/services/{job['id']}/env-vars").status_code == 404


def test_a_create_as_terraform_sends_it_and_the_recorded_deploy_trigger(render: Client):
    """Terraform sends `envVars: null` and `secretFiles: null` for none, and every recorded service
    carries `autoDeployTrigger` beside `autoDeploy` (render-oss/terraform-provider-render cronjob
    cassettes: git_cassette.yaml interactions 0 and 31)."""
    made = check(render.post("/services", json=cron_body(envVars=None, secretFiles=None)), 201)["service"]
    assert made["autoDeployTrigger"] == "commit"
    off = check(render.patch(f"/services/{made['id']}", json={"autoDeploy": "no"}), 200)
    assert (off["autoDeploy"], off["autoDeployTrigger"]) == ("no", "off")


def test_two_jobs_of_one_name_can_each_be_updated_but_not_renamed_onto_each_other(render: Client):
    first = check(render.post("/services", json=cron_body()), 201)["service"]
    check(render.post("/services", json=cron_body()), 201)
    same_name = {"name": first["name"], "serviceDetails": {"schedule": "0 * * * *"}}
    assert check(render.patch(f"/services/{first['id']}", json=same_name), 200)["name"] == first["name"]
    other = check(render.post("/services", json=cron_body(name="optio-prod-other")), 201)["service"]
    renamed = render.patch(f"/services/{other['id']}", json={"name": first["name"]})
    assert renamed.status_code == 409
