"""`lookout gameday`: the committed plans deployed with the real engine into a private sandbox that runs the
vendors' checks against the reference app. Every UptimeRobot check detects its failure in time through its
routes (prod pages the person on call, dev pages nobody), nothing fires while all is well, and a plan or a
live object made useless is named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from harness.paths import REPO
from lookout import gameday, stackfile
from lookout.gameday_world import World

pytestmark = pytest.mark.e2e


def run_cli(stack: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "lookout", "gameday", stack, "--sandbox", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.stdout.strip().startswith("{"), done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def rows(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in report["checks"]}


def test_every_uptimerobot_check_of_prod_detects_its_failure_through_its_routes():
    # dev's routes (it pages nobody) are exercised by the next test, through the same run().
    stack = "prod"
    code, report = run_cli(stack)
    found = rows(report)
    uptime = {k: r for k, r in found.items() if k.split(":")[0] in ("uptime", "health", "ssl", "heartbeat")}
    assert uptime and all(r["verdict"] == "detected" for r in uptime.values()), uptime
    assert report["false_alarms"] == []
    # What the sandbox cannot run yet is named, never passed: the exit says the game day is not proven.
    assert {r["verdict"] for k, r in found.items() if k not in uptime} == {"not run"}
    assert code == 1 and report["ok"] is False
    told = " ".join(found["uptime:backend"]["told"])
    assert ("pagerduty" in told) is (stack == "prod")  # dev pages nobody
    assert found["uptime:backend"]["recovered_after"] is not None
    assert found["uptime:backend"]["detected_after"] <= found["uptime:backend"]["limit"]


def test_a_keyword_the_app_never_returns_and_a_paused_monitor_are_named(tmp_path: Path):
    config = stackfile.config_of("dev")
    services = config["lookout:services"]
    services[0]["health_keyword"] = "all systems go"  # the app never says it
    written = tmp_path / "Pulumi.dev.yaml"
    written.write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    plan = stackfile.load(str(written))
    with gameday.deployed(str(written)) as sandbox:
        world = World(sandbox, plan).start()
        try:
            frontend = next(
                m
                for m in sandbox.control("GET", "/uptimerobot/monitors").json()
                if m["friendlyName"].endswith("frontend is reachable")
            )
            sandbox.control("PATCH", f"/uptimerobot/monitors/{frontend['id']}", json={"status": "PAUSED"})
            report = gameday.run(
                world, "dev", plan, only={"uptime:backend", "health:backend", "uptime:frontend"}
            )
        finally:
            world.stop()
    verdicts = {row.key: row.verdict for row in report.rows}
    assert verdicts["health:backend"] == "missed"  # down from the start: its failure tells nobody new
    assert verdicts["uptime:frontend"] == "missed"  # paused out of band: never checked
    assert verdicts["uptime:backend"] == "detected"
    told = next(row.told for row in report.rows if row.key == "uptime:backend")
    assert told and not any(t.startswith("pagerduty") for t in told)  # dev pages nobody
    assert any("health:backend" in alarm for alarm in report.false_alarms)  # it fired while all was well
    assert not report.ok
    assert "health:backend" in gameday.markdown(report) and "missed" in gameday.markdown(report)
