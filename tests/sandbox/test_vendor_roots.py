"""Each vendor host at a root of its own (sandbox/roots.py), so that the vendors' own tools work with their
ordinary settings: `sentry-cli` with `SENTRY_URL`, the Sentry SDK with a DSN, PagerDuty's Python client with
its `url`, each pointed at the sandbox's root for that host and nothing else changed (issue #29)."""

from __future__ import annotations

import os
import random
import socket
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pagerduty
import pdpyras
import pytest
import requests
import sentry_sdk

from harness.official_tools import on_ingest_root
from sandbox.sentry.orgs import INGEST_HOST
from tests.sandbox.conftest import API_KEY, ORG, Client, Server, new_project, new_team
from tests.sandbox.test_pagerduty_api import TOKEN as PD_TOKEN
from tests.sandbox.test_pagerduty_events import PagerDuty, paging_service

SENTRY_TOKEN = "sandbox-sentry-token"
RENDER_KEY = "sandbox-render-key"
SENTRY_CLI = Path(sys.executable).parent / "sentry-cli"  # installed by `make venv` (pyproject's dev extra)


def roots(server: Server) -> dict[str, str]:
    found: dict[str, str] = server.control("GET", "/roots").json()
    return found


# (host, method, path as that host has it, headers): one ordinary authenticated call per vendor host.
CALLS = [
    ("api.uptimerobot.com", "GET", "/v3/monitors", {"Authorization": f"Bearer {API_KEY}"}),
    (
        "sentry.io",
        "GET",
        f"/api/0/organizations/{ORG}/projects/",
        {"Authorization": f"Bearer {SENTRY_TOKEN}"},
    ),
    ("api.render.com", "GET", "/v1/services", {"Authorization": f"Bearer {RENDER_KEY}"}),
    (
        "api.pagerduty.com",
        "GET",
        "/services",
        {"Authorization": f"Token token={PD_TOKEN}", "Accept": "application/vnd.pagerduty+json;version=2"},
    ),
]


@pytest.mark.parametrize(("host", "method", "path", "headers"), CALLS, ids=[c[0] for c in CALLS])
def test_each_vendor_host_answers_at_its_own_root_as_under_its_prefix(
    sandbox_server: Server, host: str, method: str, path: str, headers: dict[str, str]
):
    found = roots(sandbox_server)
    assert set(found) == {
        "api.uptimerobot.com",
        "heartbeat.uptimerobot.com",
        "sentry.io",
        INGEST_HOST,
        "api.render.com",
        "api.pagerduty.com",
        "events.pagerduty.com",
        "hooks.slack.com",
        "api.supabase.com",
    }
    assert len(set(found.values())) == len(found)  # a port each
    sandbox_server.control("DELETE", "/requests")
    answer = requests.request(method, found[host] + path, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    log = sandbox_server.control("GET", "/log").json()
    assert [(e["method"], e["status"]) for e in log] == [(method, 200)]  # through the same pipeline
    unauthenticated = requests.request(method, found[host] + path, timeout=10)
    assert unauthenticated.status_code == 401


def test_a_call_a_root_does_not_serve_is_the_vendors_404_recorded_by_the_hosts_path(sandbox_server: Server):
    found = roots(sandbox_server)
    sandbox_server.control("DELETE", "/unserved")
    key = {"Authorization": f"Bearer {API_KEY}"}
    old = requests.get(found["api.uptimerobot.com"] + "/v2/getMonitors", headers=key, timeout=10)
    assert old.status_code == 404 and "Cannot GET /v2/getMonitors" in str(old.json())
    nothing = requests.get(found["api.uptimerobot.com"] + "/v3/no-such-thing", headers=key, timeout=10)
    assert nothing.status_code == 404 and "Cannot GET /v3/no-such-thing" in str(nothing.json())
    auth = {"Authorization": f"Bearer {SENTRY_TOKEN}"}
    missing = requests.get(found["sentry.io"] + "/api/0/no-such-thing/", headers=auth, timeout=10)
    assert missing.status_code == 404 and missing.json() == {
        "detail": "The requested resource does not exist"
    }
    assert sandbox_server.control("GET", "/unserved").json()["items"] == [
        {"vendor": "uptimerobot", "method": "GET", "path": "/v2/getMonitors", "count": 1},
        {"vendor": "uptimerobot", "method": "GET", "path": "/v3/no-such-thing", "count": 1},
        {"vendor": "sentry", "method": "GET", "path": "/api/0/no-such-thing/", "count": 1},
    ]
    sandbox_server.control("DELETE", "/unserved")


def test_a_given_port_puts_the_roots_on_the_ports_after_it(tmp_path: Path):
    """`python -m sandbox --port P`: the hosts' roots on P+1, P+2, ... in a fixed order (the README's
    table for the demo's sandbox on 18765); a taken port is one clear line, not a traceback."""
    base = free_block(10)
    command = [sys.executable, "-m", "sandbox", "--port", str(base), "--db", str(tmp_path / "s.db")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == f"sandbox listening on http://127.0.0.1:{base}"
        found = requests.get(f"http://127.0.0.1:{base}/_control/roots", timeout=10).json()
        ports = [int(url.rsplit(":", 1)[1]) for url in found.values()]
        assert list(found)[:3] == ["api.uptimerobot.com", "heartbeat.uptimerobot.com", "sentry.io"]
        assert ports == list(range(base + 1, base + 1 + len(found)))
        again = [*command[:-1], str(tmp_path / "other.db")]
        second = subprocess.run(again, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and "Traceback" not in second.stderr
        taken = f"127.0.0.1:{base} (the sandbox): Address already in use"
        assert second.stderr.strip() == f"sandbox: cannot listen on {taken}; choose another --port"
    finally:
        process.terminate()
        process.wait(timeout=10)


def free_block(size: int) -> int:
    """A port whose next `size - 1` are free too, below the kernel's range for ephemeral ports (so that no
    client's connection takes one meanwhile, most likely)."""
    for base in random.sample(range(20_000, 30_000, size), 50):
        sockets = [socket.socket() for _ in range(size)]
        try:
            for offset, each in enumerate(sockets):
                each.bind(("127.0.0.1", base + offset))
            return base
        except OSError:
            continue
        finally:
            for each in sockets:
                each.close()
    raise RuntimeError(f"no {size} free ports in a row")


@pytest.fixture
def sentry_project(sentry: Client) -> dict[str, Any]:
    new_team(sentry)
    project = new_project(sentry, default_rules=False)
    key = sentry.get(f"/projects/{ORG}/api/keys/").json()[0]
    return {"slug": project["slug"], "dsn": key["dsn"]["public"]}


def test_sentry_cli_reads_the_organization_and_sends_an_event(
    sandbox_server: Server, sentry_project: dict[str, Any], tmp_path: Path
):
    found = roots(sandbox_server)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),  # no ~/.sentryclirc of the user's
        "SENTRY_URL": found["sentry.io"],
        "SENTRY_AUTH_TOKEN": SENTRY_TOKEN,
        "SENTRY_ORG": ORG,
        "SENTRY_PROJECT": sentry_project["slug"],
        "SENTRY_DSN": on_ingest_root(sentry_project["dsn"], found),
        "SENTRY_DISABLE_UPDATE_CHECK": "1",
    }

    def cli(*args: str) -> str:
        done = subprocess.run([str(SENTRY_CLI), *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    info = cli("info")
    assert found["sentry.io"] in info and "project:write" in info
    assert sentry_project["slug"] in cli("projects", "list")
    assert "No issues found" in cli("issues", "list")
    sent = cli("send-event", "--no-environ", "-m", "checkout failed for order 42")
    assert "Event dispatched" in sent
    listed = cli("issues", "list")
    assert "checkout failed for order 42" in listed and "unresolved" in listed
    assert sandbox_server.control("GET", "/unserved").json()["total"] == 0


def test_the_sentry_sdk_with_its_dsn_on_the_root_turns_an_exception_into_an_issue(
    sandbox_server: Server, sentry: Client, sentry_project: dict[str, Any]
):
    dsn = on_ingest_root(sentry_project["dsn"], roots(sandbox_server))
    client = sentry_sdk.Client(dsn=dsn, environment="production")  # the default transport: compressed
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(client)
        try:
            raise ValueError("payment provider timed out")
        except ValueError as error:
            scope.capture_exception(error)
    client.flush(timeout=10)
    issues = sentry.get(f"/projects/{ORG}/{sentry_project['slug']}/issues/").json()
    assert [issue["title"] for issue in issues] == ["ValueError: payment provider timed out"]


def test_a_root_speaks_tls_too_signed_by_the_ca_the_sandbox_gives(sandbox_server: Server, tmp_path: Path):
    """PagerDuty's current client takes https URLs only (pagerduty 7.x api_client.py): the same port answers
    TLS with a certificate for 127.0.0.1 from the sandbox's CA; a client that does not trust it is refused
    and the root goes on serving."""
    ca = tmp_path / "ca.pem"
    ca.write_text(sandbox_server.control("GET", "/roots/ca").text)
    root = roots(sandbox_server)["api.pagerduty.com"].replace("http://", "https://")
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(root + "/services", timeout=10)  # the system's CAs do not know it
    trusted = ssl.create_default_context(cafile=ca)
    client = pagerduty.RestApiV2Client(PD_TOKEN, base_url=root, verify=trusted)
    service, routing_key, _ = paging_service(
        PagerDuty(root.replace("https", "http"), api_key=PD_TOKEN), sandbox_server
    )
    assert [s["id"] for s in client.list_all("services")] == [service["id"]]
    found = client.find("services", service["name"])
    assert found is not None and found["id"] == service["id"]
    events_root = roots(sandbox_server)["events.pagerduty.com"].replace("http://", "https://")
    events = pagerduty.EventsApiV2Client(routing_key, base_url=events_root, verify=trusted)
    dedup = events.trigger("checkout is failing", "lookout-test")
    events.resolve(dedup)
    listed = client.list_all("incidents", params={"statuses[]": ["resolved"]})
    assert [(i["title"], i["status"]) for i in listed] == [("checkout is failing", "resolved")]


def test_pagerdutys_python_client_lists_finds_and_reads_back_an_event_it_sent(sandbox_server: Server):
    found = roots(sandbox_server)
    service, routing_key, _ = paging_service(
        PagerDuty(found["api.pagerduty.com"], api_key=PD_TOKEN), sandbox_server
    )
    rest = pdpyras.APISession(PD_TOKEN)
    rest.url = found["api.pagerduty.com"]
    assert [s["id"] for s in rest.list_all("services")] == [service["id"]]
    assert rest.find("services", service["name"])["id"] == service["id"]
    assert rest.rget(f"/services/{service['id']}")["name"] == service["name"]

    events = pdpyras.EventsAPISession(routing_key)
    events.url = found["events.pagerduty.com"]
    dedup = events.trigger("checkout is failing", "lookout-test", severity="critical")

    def incident() -> dict[str, Any]:
        params = {"service_ids[]": [service["id"]], "statuses[]": ["triggered", "acknowledged", "resolved"]}
        listed = rest.list_all("incidents", params=params)
        assert len(listed) == 1
        return listed[0]

    assert (incident()["status"], incident()["title"]) == ("triggered", "checkout is failing")
    assert events.acknowledge(dedup) == dedup
    assert incident()["status"] == "acknowledged"
    assert events.resolve(dedup) == dedup
    assert incident()["status"] == "resolved"
