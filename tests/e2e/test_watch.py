"""`lookout watch`: the plan's system-health job, after a real `pulumi up` of prod against the sandbox:
healthy is quiet and pings the heartbeat; a breach set through the control API reaches its severity's
channels once, and its recovery resolves what it opened; a vendor that cannot be read fails the run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.paths import REPO
from harness.sandbox_process import SandboxProcess
from lookout import stack_values, stackfile, watch
from lookout.exits import Exit
from lookout.watch_measure import Readings
from providers import settings
from providers.render import client as render
from providers.supabase import client as supabase
from sandbox.supabase.repo import SEEDED
from stacks.system_health import JOB_ROUTES
from transport import Transport

from .conftest import Stack

PROD = dict(SEEDED)["optio-prod"]
DOWN = {"services": {"db": {"status": "UNHEALTHY", "error": "Failed to connect to database"}}}
UP = {"services": {"db": {"status": "ACTIVE_HEALTHY", "error": None}}}


@pytest.fixture(autouse=True)
def forget_settings() -> Iterator[None]:
    yield
    settings.use_config({})


@pytest.fixture(scope="module")
def prod_deployed(sandbox: SandboxProcess, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """Prod deployed once for the module with a real `up`: its workspace and the sandbox's accounts after
    it. Each test starts from copies of both (`deployed`), as the fault suite starts from its baseline: an
    `up` of prod per test cost about 6 s of CPU."""
    sandbox.control("POST", "/reset")
    sandbox.relax_rate_limits()
    directory = tmp_path_factory.mktemp("watch") / "prod"
    stack = Stack(sandbox, directory, "prod")
    stack.configure({}, inherit=True)
    stack.pulumi("up", "--yes")
    # The `api` fixture checks each test's requests; these came before any test's.
    assert sandbox.control("GET", "/violations").json()["total"] == 0
    assert sandbox.control("GET", "/unserved").json()["total"] == 0
    return directory, sandbox.control("GET", "/snapshot").json()


def deployed(api: SandboxProcess, prod: tuple[Path, Any], tmp_path: Path) -> Stack:
    """Prod as the module's `up` left it: the accounts restored into the reset sandbox, and the stack."""
    directory, accounts = prod
    api.control("PUT", "/snapshot", json=accounts)
    shutil.copytree(directory, tmp_path / "prod")
    stack = Stack(api, tmp_path / "prod", "prod")
    stack.configure({}, inherit=True)
    return stack


def runner(target: Stack) -> Any:
    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    return run


def clock(api: SandboxProcess) -> Callable[[], float]:
    return lambda: float(api.control("GET", "/clock").json()["now"])


def watched(api: SandboxProcess, stack: Stack) -> tuple[dict[str, watch.Outcome], Exit, str]:
    outcomes, heartbeat = watch.run(runner(stack), "prod", stackfile.load("prod"), clock(api))
    return {o.finding.check.key: o for o in outcomes}, watch.exit_code(outcomes), heartbeat


def deliveries(api: SandboxProcess) -> list[dict[str, Any]]:
    found = api.control("GET", "/deliveries").json()
    api.control("DELETE", "/deliveries")
    return found


def test_prod_database_down_pages_once_and_recovery_resolves_it(
    api: SandboxProcess, prod_deployed: tuple[Path, Any], tmp_path: Path
):
    stack = deployed(api, prod_deployed, tmp_path)
    deliveries(api)

    healthy, code, heartbeat = watched(api, stack)
    assert code == Exit.OK and {o.state for o in healthy.values()} == {"ok"}, healthy
    assert heartbeat.startswith("heartbeat pinged (200)")
    assert deliveries(api) == []
    assert set(healthy) >= {"watch:database:database", "watch:database:storage", "watch:backend:cpu"}

    api.control("PATCH", f"/supabase/projects/{PROD}", json=DOWN)
    found, code, heartbeat = watched(api, stack)
    assert code == Exit.BREACHED and heartbeat.startswith("heartbeat pinged")
    down = found["watch:database:database"]
    assert down.state == "new breach" and "Failed to connect to database" in down.finding.detail
    assert found["watch:database:connections"].state == "not measured"  # no SQL reaches it
    told = deliveries(api)
    pages = [d for d in told if d["channel"] == "pagerduty"]
    assert [(d["to"], d["severity"]) for d in pages] == [("alex@optioeducation.com", "critical")]
    via_sentry = [d for d in told if d.get("via") == "sentry"]
    # Slack through the backend's new-issues alert, e-mail (a critical route) through the system-health one
    assert sorted((d["channel"], d["alert"]) for d in via_sentry) == [
        ("email", "prod: system-health critical findings"),
        ("slack", "prod: backend: new and regressed issues"),
    ]
    assert all(d["title"].startswith("lookout-watch watch:database:database") for d in via_sentry)

    again, code, _ = watched(api, stack)
    assert again["watch:database:database"].state == "ongoing" and code == Exit.BREACHED
    assert deliveries(api) == []  # never twice for one ongoing breach

    api.control("PATCH", f"/supabase/projects/{PROD}", json=UP)
    healed, code, _ = watched(api, stack)
    assert healed["watch:database:database"].state == "recovered" and code == Exit.OK
    assert [i["status"] for i in api.control("GET", "/pagerduty/incidents").json()] == ["resolved"]
    issues = [
        i for i in api.control("GET", "/sentry/issues").json() if i["title"].startswith("lookout-watch")
    ]
    assert [i["status"] for i in issues] == ["resolved"]
    assert any("recovered" in d.get("text", "") for d in deliveries(api) if d["channel"] == "slack")


def test_a_warning_tells_slack_not_pagerduty_and_an_unreadable_vendor_fails_the_run(
    api: SandboxProcess, prod_deployed: tuple[Path, Any], tmp_path: Path
):
    stack = deployed(api, prod_deployed, tmp_path)
    deliveries(api)
    api.control("PATCH", f"/supabase/projects/{PROD}", json={"disk": {"used_bytes": 6_800_000_000}})
    api.control("PUT", "/render/usage", json={"serviceId": "optio-prod-backend", "cpu": 0.45})
    api.control("POST", "/clock", json={"advance": 600})
    found, code, _ = watched(api, stack)
    assert code == Exit.BREACHED
    assert (
        found["watch:database:storage"].state == "new breach"
        and "85%" in found["watch:database:storage"].finding.detail
    )
    assert (
        found["watch:backend:cpu"].state == "new breach"
        and "90%" in found["watch:backend:cpu"].finding.detail
    )
    told = deliveries(api)
    assert [d for d in told if d["channel"] == "pagerduty"] == []  # warnings do not page
    assert {d["channel"] for d in told if d.get("via") == "sentry"} == {"slack"}

    # Supabase refuses the job's token: what it reads there is unknown, never healthy, and the run fails.
    config = stack_values.config(runner(stack), "prod")
    routes = watch.routes_of(stackfile.load("prod"), config, stack_values.outputs(runner(stack), "prod"))
    refused = Transport(supabase.VENDOR, api.vendor_url("supabase"), "sbp_" + "0" * 40)
    readings = Readings(lambda: refused, render.client, clock(api))
    outcomes = watch.run_once(routes, readings)
    failed = {o.finding.check.key: o for o in outcomes}
    assert watch.exit_code(outcomes) == Exit.FAILED and not watch.complete(outcomes)
    assert failed["watch:database:storage"].state == "unknown"
    assert "Supabase could not be read" in failed["watch:database:storage"].finding.detail
    assert failed["watch:backend:cpu"].state == "ongoing"  # Render still answers


def test_the_deployed_cron_job_runs_the_job_from_its_env_vars_alone(
    api: SandboxProcess, prod_deployed: tuple[Path, Any], tmp_path: Path
):
    """What `pulumi up` gave the Render cron job is all the job has: its start command, run with nothing
    but the job's env vars, reads every vendor, alerts, and pings the heartbeat."""
    api.control("PUT", "/snapshot", json=prod_deployed[1])  # the accounts as the module's `up` left them
    jobs = [s for s in api.control("GET", "/render/services").json() if s["type"] == "cron_job"]
    assert [(j["name"], j["serviceDetails"]["schedule"]) for j in jobs] == [
        ("optio-prod-system-health", "*/5 * * * *")
    ]
    start = jobs[0]["serviceDetails"]["envSpecificDetails"]["startCommand"]
    assert start == "python -m lookout watch prod --once --from-env"
    env = {
        e["key"]: e["value"] for e in api.control("GET", f"/render/services/{jobs[0]['id']}/env-vars").json()
    }
    assert set(JOB_ROUTES.values()) <= set(env)  # Sentry, PagerDuty, Slack, heartbeat

    def run_job() -> subprocess.CompletedProcess[str]:
        bare = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env}
        argv = [sys.executable, *start.split()[1:]]
        return subprocess.run(argv, cwd=REPO, env=bare, capture_output=True, text=True, timeout=120)

    deliveries(api)
    healthy = run_job()
    assert healthy.returncode == Exit.OK, healthy.stdout + healthy.stderr
    assert "heartbeat pinged (200)" in healthy.stdout
    api.control("PATCH", f"/supabase/projects/{PROD}", json=DOWN)
    down = run_job()
    assert down.returncode == Exit.BREACHED, down.stdout + down.stderr
    pages = [d for d in deliveries(api) if d["channel"] == "pagerduty"]
    assert [(d["to"], d["severity"]) for d in pages] == [("alex@optioeducation.com", "critical")]
