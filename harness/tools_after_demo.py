"""`make official-tools` (CI runs it after `make demo`): the vendors' own tools read what the demo deployed
from the demo's sandbox, each with its ordinary settings at the sandbox's roots (README, "Use the vendors'
own tools on the sandbox"): UptimeRobot's CLI (every list, get and statistics command), sentry-cli, and
PagerDuty's Python clients (pdpyras, and pagerduty over TLS). No tool may call what the sandbox does not
serve, nor send what the vendor's spec refuses. Exit 0 when all held, 1 with what did not.

The check starts the demo's sandbox if it is not running (and stops it again), lifts the rate limits while
it runs (28 commands would wait out the free plan's minutes; what is checked is what the tools read), and
leaves the demo's state as it found it: the one incident it needs comes from an outage it removes after.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import sentry_sdk

from sandbox.clock import iso

from . import official_tools
from .paths import SANDBOX_DIR
from .sandbox_process import SENTRY_ORG, SENTRY_TOKEN, SandboxProcess, ensure, sandbox_port

PLAN_LIMITED = 5  # the CLI's exit code for a 403 (src/api/errors.ts): a feature the free plan lacks


def main() -> int:
    sandbox = ensure(SANDBOX_DIR / "sandbox.db", sandbox_port(), SANDBOX_DIR / "sandbox.log")
    failures: list[str] = []
    try:
        with sandbox.rate_limits_relaxed(), tempfile.TemporaryDirectory() as home:
            sandbox.control("DELETE", "/unserved")
            sandbox.control("DELETE", "/violations")
            for name, check in CHECKS:
                try:
                    print(f"ok    {name}: {check(sandbox, Path(home))}", flush=True)
                except (AssertionError, RuntimeError, KeyError, ValueError) as failed:
                    failures.append(name)
                    print(f"FAIL  {name}: {failed}", flush=True)
            for what in ("unserved", "violations"):
                found = sandbox.control("GET", f"/{what}").json()
                if found["total"]:
                    failures.append(what)
                    print(f"FAIL  {what}: {found['items']}", flush=True)
    finally:
        sandbox.stop()  # only a sandbox this check started
    print(f"{len(CHECKS) - len(failures)} of {len(CHECKS)} held" if failures else f"all {len(CHECKS)} held")
    return 1 if failures else 0


def uptimerobot(sandbox: SandboxProcess, home: Path) -> str:
    """Every list, get and statistics command of UptimeRobot's CLI, read back against the API's answers."""
    cli = official_tools.UptimeRobotCli(sandbox, home)
    monitors = cli.json("monitors", "list")["items"]
    names = {m["friendlyName"] for m in monitors}
    assert "prod backend is reachable" in names and "dev backend is reachable" in names, names
    http = next(m for m in monitors if m["type"] == "HTTP")
    one = str(http["id"])
    assert cli.json("monitors", "get", one)["id"] == http["id"]
    assert "uptime" in cli.json("monitors", "stats", "uptime", one)
    assert "summary" in cli.json("monitors", "stats", "response-time", one)
    assert "all" in cli.json("monitors", "stats", "response-time", "all", one)
    assert "overallUptime" in cli.json("monitors", "uptime-stats", "--time-frame", "DAY")
    incident = _incident(sandbox, cli, http)
    limited = cli.run("incidents", "comments", "list", incident, "--json")
    assert (
        limited.returncode == PLAN_LIMITED and "not enabled in your plan" in limited.stderr + limited.stdout
    )
    read = [
        _list_and_get(cli, "integrations"),
        _list_and_get(cli, "alert-contacts"),
        _list_and_get(cli, "maintenance-windows"),
        _list_and_get(cli, "monitor-groups"),
        _list_and_get(cli, "status-pages"),
    ]
    pages = cli.json("status-pages", "list")["items"]
    assert pages, "the plans make a status page each"
    announced = cli.run("status-pages", "announcements", "list", str(pages[0]["id"]), "--json")
    assert announced.returncode == PLAN_LIMITED, announced.stderr
    cli.json("tags", "list")
    assert cli.json("user", "me")["email"]
    cli.json("user", "alert-contacts")
    cli.json("user", "all-alert-contacts")
    return f"{len(monitors)} monitors, {', '.join(read)}; one incident's log and alerts; the user"


def _incident(sandbox: SandboxProcess, cli: official_tools.UptimeRobotCli, monitor: dict[str, Any]) -> str:
    """An incident to read (an outage of the monitor an hour ago), removed again afterwards."""
    now = sandbox.control("GET", "/clock").json()["now"]
    body = {"monitor": monitor["id"], "start": iso(now - 3600), "end": iso(now - 3000)}
    sandbox.control("POST", "/uptimerobot/outages", json=body)
    try:
        listed = cli.json("incidents", "list", "--monitor-id", str(monitor["id"]))["items"]
        assert len(listed) == 1, listed
        one = str(listed[0]["id"])
        assert cli.json("incidents", "get", one)["duration"] == 600
        assert cli.json("incidents", "activity-log", one)["items"], "a Down and an Up entry at least"
        cli.json("incidents", "alerts", one)
        return one
    finally:
        sandbox.control("DELETE", "/uptimerobot/outages")


def _list_and_get(cli: official_tools.UptimeRobotCli, topic: str) -> str:
    items = cli.json(topic, "list")["items"]
    if items:
        assert str(cli.json(topic, "get", str(items[0]["id"]))["id"]) == str(items[0]["id"])
    return f"{len(items)} {topic}"


def sentry(sandbox: SandboxProcess, home: Path) -> str:
    """sentry-cli: who the token is, the plans' projects, each project's issues."""
    assert "Scopes:" in official_tools.sentry_cli(sandbox, home, "info")
    listed = official_tools.sentry_cli(sandbox, home, "projects", "list")
    projects = [f"optio-{env}-{role}" for env in ("dev", "prod") for role in ("backend", "frontend")]
    missing = [p for p in projects if p not in listed]
    assert not missing, f"not listed: {missing}"
    for project in projects:
        official_tools.sentry_cli(sandbox, home, "issues", "list", project=project)
    return f"info, projects list ({len(projects)} projects), issues list of each"


# The same issues each run: resolved at its end, back (a regression) with the next run's events.
MARKER = "lookout official-tools check"


def sentry_sdk_and_events(sandbox: SandboxProcess, home: Path) -> str:
    """The Sentry SDK (default transport: compressed) and `sentry-cli send-event`, each with the dev
    backend's DSN on the ingest root: an exception and a message become issues sentry-cli lists, a request
    becomes spans the events API counts. The issues are resolved again, as `lookout drill` leaves its own."""
    project = "optio-dev-backend"
    auth = {"Authorization": f"Bearer {SENTRY_TOKEN}"}
    api = sandbox.roots()["sentry.io"] + "/api/0"
    keys = requests.get(f"{api}/projects/{SENTRY_ORG}/{project}/keys/", headers=auth, timeout=10).json()
    dsn = official_tools.on_ingest_root(keys[0]["dsn"]["public"], sandbox.roots())
    marker = MARKER
    client = sentry_sdk.Client(dsn=dsn, environment="dev", traces_sample_rate=1.0)
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(client)
        try:
            raise RuntimeError(marker)
        except RuntimeError as error:
            scope.capture_exception(error)
        with sentry_sdk.start_transaction(name="/api/official-tools", op="http.server"):
            pass
    client.flush(timeout=10)
    official_tools.sentry_cli(sandbox, home, "send-event", "--no-environ", "-m", f"{marker} (cli)", dsn=dsn)
    listed = official_tools.sentry_cli(sandbox, home, "issues", "list", project=project).splitlines()
    mine = [line for line in listed if marker in line]
    # new, or back from resolved (a regression): both unresolved now
    assert len(mine) == 2 and all("unresolved" in line for line in mine), listed
    params = {
        "dataset": "spans",
        "field": "count()",
        "query": "transaction:/api/official-tools",
        "statsPeriod": "1h",
    }
    spans = requests.get(f"{api}/organizations/{SENTRY_ORG}/events/", headers=auth, params=params, timeout=10)
    assert spans.json()["data"][0]["count()"] >= 1, spans.text
    issues = requests.get(f"{api}/projects/{SENTRY_ORG}/{project}/issues/", headers=auth, timeout=10).json()
    for issue in issues:
        if marker in issue["title"]:
            done = {"status": "resolved"}
            path = f"{api}/organizations/{SENTRY_ORG}/issues/{issue['id']}/"
            requests.put(path, headers=auth, json=done, timeout=10).raise_for_status()
    return "an exception, a message (send-event) and a request's spans, through the DSN's ingest root"


def pagerduty(sandbox: SandboxProcess, home: Path) -> str:
    """pdpyras and pagerduty (TLS): prod's service, its escalation policy and schedule, its people."""
    rest = official_tools.pagerduty(sandbox)
    (service,) = rest.list_all("services")
    assert rest.find("services", service["name"])["id"] == service["id"]
    current = official_tools.pagerduty_tls(sandbox, SANDBOX_DIR / "ca.pem")
    policies = current.list_all("escalation_policies")
    assert [p["id"] for p in policies] == [service["escalation_policy"]["id"]]
    schedules = current.list_all("schedules")
    users = current.list_all("users")
    assert schedules and len(users) >= 4, (schedules, users)
    return (
        f"service {service['name']!r}, {len(policies)} policy, {len(schedules)} schedule, {len(users)} users"
    )


CHECKS: list[tuple[str, Callable[[SandboxProcess, Path], str]]] = [
    ("uptimerobot cli", uptimerobot),
    ("sentry-cli", sentry),
    ("sentry sdk and send-event", sentry_sdk_and_events),
    ("pagerduty clients", pagerduty),
]

if __name__ == "__main__":
    sys.exit(main())
