"""`plan` and `drift` reports from real previews of the sandbox."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from harness.paths import REPO
from harness.sandbox_process import SandboxProcess
from lookout import review

from .conftest import Stack, plan

GOLDEN = REPO / "tests/golden/plan.md"
FRONTEND = {"name": "frontend", "url": "https://frontend.example.test"}
BACKEND = {"name": "backend", "url": "https://backend.example.test/api/health"}
DOCS = {"name": "docs", "url": "https://docs.example.test"}


def run_with(target: Stack) -> review.Runner:
    """A review runner on the test's own stack (its backend, its sandbox config)."""

    def run(*args: str, stack: str) -> Any:
        return target.pulumi(*args, check=False)

    return run


def test_plan_report_matches_the_golden_file(stack: Stack):
    stack.configure(plan(FRONTEND, BACKEND, DOCS))
    stack.pulumi("up", "--yes")
    stack.configure(plan({**FRONTEND, "interval": 600}, {**BACKEND, "keyword": "healthy"}))
    text, found = review.report(
        run_with(stack), ["dev"], {"dev": ["frontend", "backend", "docs"]}, drift=False, fmt="markdown"
    )
    if os.environ.get("LOOKOUT_UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()
    assert [c.op for c in found][:2] == ["replace", "delete"]  # replacements and deletions first


def test_no_change_plan_is_empty(stack: Stack):
    stack.configure(plan(FRONTEND))
    stack.pulumi("up", "--yes")
    text, found = review.report(run_with(stack), ["dev"], {}, drift=False, fmt="markdown")
    assert found == [] and "## dev: no changes" in text


def test_drift_of_a_stack_never_deployed_says_so(stack: Stack):
    """Not every resource "deleted outside": the backend holds none (it is read, not the preview)."""
    stack.configure(plan(FRONTEND, BACKEND))
    text, found = review.report(run_with(stack), ["dev"], {}, drift=True, fmt="markdown")
    assert found == [] and "## dev: never deployed" in text
    stack.pulumi("up", "--yes")
    stack.api.control("DELETE", f"/uptimerobot/monitors/{stack.monitors()[0]['id']}")
    text, found = review.report(run_with(stack), ["dev"], {}, drift=True, fmt="markdown")
    assert [c.op for c in found] == ["create"] and "never deployed" not in text


def test_drift_reports_edits_and_deletes_for_every_vendor(api: SandboxProcess, tmp_path: Path):
    stack = Stack(api, tmp_path)
    stack.configure({}, inherit=True)  # the committed dev plan
    stack.pulumi("up", "--yes")
    monitors = {m["friendlyName"]: m for m in stack.monitors()}
    api.control(
        "PATCH", f"/uptimerobot/monitors/{monitors['dev backend is reachable']['id']}", json={"interval": 900}
    )
    api.control("DELETE", f"/uptimerobot/monitors/{monitors['dev frontend is reachable']['id']}")
    detector = next(d for d in stack.sentry("detectors") if d["name"] == "dev backend error rate")
    critical = next(c for c in detector["conditionGroup"]["conditions"] if c["conditionResult"] == 75)
    api.control(
        "PATCH",
        f"/sentry/detectors/{detector['id']}",
        json={"conditionGroup": {"conditions": [{"id": critical["id"], "comparison": 0.5}]}},
    )
    db = next(d for d in stack.sentry("detectors") if d["name"] == "dev backend database query time p95")
    api.control("DELETE", f"/sentry/detectors/{db['id']}")
    services = {s["name"]: s for s in api.control("GET", "/render/services").json()}
    api.control(
        "PATCH",
        f"/render/services/{services['optio-dev-backend']['id']}",
        json={"serviceDetails": {"healthCheckPath": "/"}},
    )
    api.control("DELETE", f"/render/services/{services['optio-dev-frontend']['id']}/env-vars/APP_VERSION")
    job = services["optio-dev-system-health"]  # the system-health job: made hourly, its heartbeat URL changed
    api.control("PATCH", f"/render/services/{job['id']}", json={"serviceDetails": {"schedule": "0 * * * *"}})
    leaked = "https://heartbeat.invalid/someone-elses"
    api.control("PUT", f"/render/services/{job['id']}/env-vars/LOOKOUT_HEARTBEAT_URL", json={"value": leaked})

    text, _found = review.report(
        run_with(stack), ["dev"], {"dev": ["backend", "frontend"]}, drift=True, fmt="json"
    )
    drift = {(d["kind"], d["name"]): d for d in json.loads(text)["drift"]}
    edited = drift[("uptimerobot:Monitor", "uptime-backend")]
    assert edited["verb"] == "drifted" and ["interval", 900, 300] in edited["fields"]
    assert drift[("uptimerobot:Monitor", "uptime-frontend")]["verb"] == "deleted outside"
    threshold = drift[("sentry:MetricMonitor", "sentry-backend-error-rate")]
    assert ["critical", 0.5, 0.05] in threshold["fields"]
    assert drift[("sentry:MetricMonitor", "sentry-backend-db-p95")]["verb"] == "deleted outside"
    assert ["path", "/", "/api/health"] in drift[
        ("render:ServiceHealthCheck", "optio-dev-backend-health-check")
    ]["fields"]
    assert drift[("render:EnvVar", "optio-dev-frontend-APP_VERSION")]["verb"] == "deleted outside"
    cron = drift[("render:CronJob", "dev-health-job")]
    assert ["schedule", "0 * * * *", "*/5 * * * *"] in cron["fields"]
    assert [f[0] for f in cron["fields"]] == ["schedule"]  # not the branch the plan leaves to the repo
    assert leaked not in text  # the env vars are secret: a change there is never shown in clear
    assert all(f[0] != "(secret value)" or f[1] == "[secret]" for d in drift.values() for f in d["fields"])

    stack.pulumi("up", "--refresh", "--yes")
    _, after = review.report(run_with(stack), ["dev"], {}, drift=True, fmt="markdown")
    assert after == []
    fixed = api.control("GET", f"/render/services/{job['id']}/env-vars").json()
    assert leaked not in {e["value"] for e in fixed}
