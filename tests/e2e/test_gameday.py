"""`lookout gameday`: the committed prod plan deployed with the real engine into a private sandbox that runs
the vendors' checks against the reference app. The checks exercised here (UptimeRobot's and Sentry's, the
app's SDK reporting to the sandbox) detect their failure in time through their routes (the page reaches the
person on call), nothing fires while all is well, and live objects made useless out of band (a keyword the
app never returns, a monitor on the wrong host, a paused monitor, a threshold raised) are named.

SSL expiry is left to tests/sandbox/test_uptimerobot_checks.py here (a day of plan time per certificate),
the other Sentry monitors to tests/sandbox/test_sentry_metric_alerts.py, and dev's routes (it pages nobody)
to the verdict's unit tests; `lookout gameday dev --sandbox` runs them all."""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness.paths import REPO
from lookout import gameday, stackfile, watch_deployed
from lookout.gameday_world import World

pytestmark = pytest.mark.e2e

EXERCISED = {
    "uptime:backend",
    "health:backend",
    "uptime:frontend",
    "heartbeat:system-health",
    "sentry:backend:error-rate",
    "sentry:backend:failed-logins",
    "sentry:frontend:new-issues",
}


def test_prod_detects_each_failure_and_names_what_was_made_useless_out_of_band():
    plan = stackfile.load("prod")
    with gameday.deployed("prod") as (sandbox, run_pulumi):
        world = World(sandbox, plan).start()
        world.job = watch_deployed.job(run_pulumi, "prod", plan, world.now)
        try:
            # Half the quiet hour here; `make gameday` keeps the whole of it.
            report = gameday.run(world, "prod", plan, only=EXERCISED, quiet=1800)
            monitors = {m["friendlyName"]: m for m in sandbox.control("GET", "/uptimerobot/monitors").json()}
            health = monitors["prod backend reports healthy"]
            frontend = monitors["prod frontend is reachable"]
            backend = monitors["prod backend is reachable"]
            path = "/uptimerobot/monitors/{}"
            wrong = backend["url"].replace(".onrender.com", ".onrender.co")  # a typo in the host
            sandbox.control("PATCH", path.format(backend["id"]), json={"url": wrong})
            sandbox.control("PATCH", path.format(health["id"]), json={"keywordValue": "all systems go"})
            sandbox.control("PATCH", path.format(frontend["id"]), json={"status": "PAUSED"})
            detectors = sandbox.control("GET", "/sentry/detectors").json()
            rate = next(d for d in detectors if d["name"] == "prod backend error rate")
            raised = [{"id": c["id"], "comparison": 0.99} for c in rate["conditionGroup"]["conditions"]]
            edit = {"conditionGroup": {"conditions": raised}}  # as an edit in Sentry's UI would
            sandbox.control("PATCH", f"/sentry/detectors/{rate['id']}", json=edit)
            # A quarter of an hour of quiet is enough for what is down from the start to fire.
            only = EXERCISED - {"heartbeat:system-health"}
            useless = gameday.run(world, "prod", plan, only=only, quiet=900)
        finally:
            world.stop()

    rows = {row.key: row for row in report.rows}
    assert all(rows[key].verdict == "detected" for key in EXERCISED), [rows[k] for k in EXERCISED]
    assert report.false_alarms == []
    told = rows["uptime:backend"].told
    # The person on call then: one of the rotation, whoever's week it is on the sandbox's clock (a run that
    # starts shortly before Monday's 09:00 hand-off in Los Angeles pages the next person), not the CTO the
    # page escalates to after 15 minutes.
    paged = [t.split()[1] for t in told if t.startswith("pagerduty ")]
    assert paged and plan.oncall is not None and paged[0] in plan.oncall.people, told
    assert rows["uptime:backend"].recovered_after is not None
    detected, limit = rows["uptime:backend"].detected_after, rows["uptime:backend"].limit
    assert detected is not None and limit is not None and detected <= limit
    # The app's SDK reached the sandbox: the error rate paged, and a storm of refused passwords warned
    # (failed-login rate) without paging as an auth outage.
    assert any(t.startswith("pagerduty ") for t in rows["sentry:backend:error-rate"].told)
    assert rows["sentry:backend:error-rate"].recovered_after is not None
    assert rows["sentry:backend:failed-logins"].told == [
        "slack #alerts after " + _after(rows, "failed-logins")
    ]
    # What was not exercised or the sandbox cannot run yet is named, never passed: the game day is not proven.
    others = {r.verdict for k, r in rows.items() if k not in EXERCISED}
    assert others == {"not run"}
    assert not report.ok and gameday._json(report)["ok"] is False

    verdicts = {row.key: row.verdict for row in useless.rows}
    assert verdicts["health:backend"] == "missed"  # down from the start: its failure tells nobody new
    assert verdicts["uptime:frontend"] == "missed"  # paused out of band: never checked
    # On the wrong host, down from the start: no new down alert (PagerDuty may still escalate the open page).
    assert verdicts["uptime:backend"] in ("missed", "misrouted")
    assert verdicts["sentry:backend:error-rate"] == "missed"  # its thresholds raised out of band
    assert verdicts["sentry:backend:failed-logins"] == "detected"  # what was left alone still works
    alarms = useless.false_alarms  # they fired while all was well
    assert any("health:backend" in alarm for alarm in alarms) and any("uptime:backend" in a for a in alarms)
    shown = gameday.markdown(useless)
    assert "`health:backend`" in shown and "**missed**" in shown and "Not proven" in shown


def _after(rows, name):
    detected = rows[f"sentry:backend:{name}"].detected_after
    return gameday._minutes(detected)


def test_the_game_day_runs_only_against_the_sandbox():
    done = subprocess.run(
        [sys.executable, "-m", "lookout", "gameday", "prod", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert "runs only against the sandbox (--sandbox)" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
