"""The world a game day runs in: the sandbox standing in for the vendors, with the vendors' checks on, and the
reference app (refapp/) standing in for each of the plan's services at the hosts the plan and Render name,
over HTTPS with a certificate from a CA the sandbox trusts; plus the plan's system-health job, which pings
its heartbeat monitor every interval while it runs. Time is the sandbox's clock, moved in steps.

Users use the backend: each step, a burst of requests (reads, logins, checkouts) reaches every running
backend, each in a trace the caller's SDK sampled (`sentry-trace: ...-1`, which the app's SDK follows), so
the spans Sentry's monitors read do not depend on the app's 10% sampling: the burst stands for the sampled
tenth of ten times as many users. Browsers report errors of a frontend to its Sentry project as the browser
SDK would, while `browser_errors` names it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask

from harness.sandbox_process import RENDER_KEY, SandboxProcess
from refapp import telemetry
from refapp.app import PASSWORD, create_app
from refapp.faults import Faults
from refapp.server import Server
from refapp.tls import Authority
from stacks.plan import Plan, Service
from transport.clock import SYSTEM_CLOCK
from transport.shared import use_clock

HEALTHY_CERTIFICATE = timedelta(days=90)  # what a renewed certificate has left
# One burst of users per step: (method, path, JSON body).
BURST: tuple[tuple[str, str, dict[str, Any] | None], ...] = (
    *[("GET", "/api/quests", None)] * 4,
    *[("POST", "/api/auth/login", {"email": "student@optio.test", "password": PASSWORD})] * 2,
    *[("POST", "/api/payments/checkout", {"quest": 1, "amount_cents": 1900})] * 2,
)
BROWSER_ERROR = "TypeError: Cannot read properties of undefined (reading 'map')"


@dataclass
class App:
    """One service's stand-in."""

    service: Service
    hosts: list[str]
    server: Server
    faults: Faults
    app: Flask
    environ: dict[str, str]

    def restart(self) -> None:
        self.server.start()

    def fault(self, **changes: Any) -> None:
        self.faults.update(changes)

    def certificate(self, authority: Authority, expires_in: timedelta) -> None:
        """Serve a new certificate (a restart on the same port, as a redeploy would)."""
        self.server.stop()
        self.server.tls = authority.context(self.hosts, expires_in)
        self.server.start()


class WorldTime:
    """The game day's time as the job's transports see it (their rate windows, their waits): the sandbox's
    clock, which the world moves in steps and stops while the job runs. A wait moves it on."""

    def __init__(self, world: World) -> None:
        self.world = world

    def monotonic(self) -> float:
        return self.world.clock

    def time(self) -> float:
        return self.world.clock

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            moved = self.world.sandbox.control("POST", "/clock", json={"advance": seconds})
            self.world.clock = float(moved.json()["now"])


@dataclass
class World:
    sandbox: SandboxProcess
    plan: Plan
    authority: Authority = field(default_factory=Authority)
    apps: dict[str, App] = field(default_factory=dict)
    job_running: bool = True
    # The system-health job (`lookout watch`, lookout/watch.py `job`), run every heartbeat interval; it pings
    # the heartbeat after a complete run. Without it, a stand-in that only pings.
    job: Callable[[], object] | None = None
    next_ping: float = 0.0
    clock: float = 0.0  # the sandbox's time when last read or moved
    heartbeat_url: str | None = None
    notes: list[str] = field(default_factory=list)  # what the world did that a person would do
    users: bool = True  # bursts of requests reach the backends each step
    browser_errors: set[str] = field(default_factory=set)  # frontends whose browsers report an error

    def start(self) -> World:
        control = self.sandbox.control
        services = {s["name"]: s for s in control("GET", "/render/services").json()}
        for svc in self.plan.services:
            render = services.get(svc.render_service or "")
            environ = _environ(self.sandbox, render) if render else {}
            hosts = _hosts(svc, render)
            app = create_app("backend" if svc.role == "backend" else "frontend", environ)
            app.logger.disabled = True  # its error log would fill the report's terminal; Sentry has them
            server = Server(app, tls=self.authority.context(hosts, HEALTHY_CERTIFICATE)).start()
            self.apps[svc.name] = App(svc, hosts, server, app.extensions["faults"], app, environ)
            control("PUT", "/hosts", json=dict.fromkeys(hosts, server.address))
        control("PUT", "/hosts/trust", json={"pem": self.authority.pem})
        self._confirm_contacts()
        self.heartbeat_url = self._heartbeat_url()
        self.next_ping = self.now()
        control("PUT", "/checks", json={"running": True})
        use_clock(WorldTime(self))  # the job's transports live in game-day time
        return self

    def stop(self) -> None:
        use_clock(SYSTEM_CLOCK)
        for app in self.apps.values():
            app.server.stop()
        telemetry.flush()  # what the app's Sentry SDK still holds goes now, while the sandbox listens

    def now(self) -> float:
        self.clock = float(self.sandbox.control("GET", "/clock").json()["now"])
        return self.clock

    def step(self, seconds: float) -> float:
        """Let `seconds` of plan time pass, running the vendors' checks; the job pings every interval
        meanwhile (the clock stops at each ping, so a long step never starves the heartbeat)."""
        self._use()
        now, end = self.now(), self.now() + seconds
        runs = self.job_running and self.plan.heartbeat is not None and bool(self.job or self.heartbeat_url)
        while now < end:
            if runs and self.plan.heartbeat and now >= self.next_ping:
                if self.job is not None:
                    self.job()
                else:
                    requests.get(str(self.heartbeat_url), timeout=10)
                self.next_ping = now + self.plan.heartbeat.interval
            until = min(end, self.next_ping) if runs else end
            moved = self.sandbox.control("POST", "/clock", json={"advance": max(until - now, 0.001)})
            now = self.clock = float(moved.json()["now"])
        return now

    def _use(self) -> None:
        """What users and browsers do in one step; the app's SDK sends it all before the clock moves."""
        backends = [a for a in self.apps.values() if a.service.role == "backend" and a.server.running]
        if self.users and backends:
            calls = [(app.app, *call) for app in backends for call in BURST]
            with ThreadPoolExecutor(max_workers=len(calls)) as pool:
                list(pool.map(lambda call: _request(*call), calls))
        for name in sorted(self.browser_errors):
            _browser_error(self.apps[name].environ, self.plan.environment)
        telemetry.flush()

    def unsettled(self) -> set[str]:
        """What is still down or open: each monitor DOWN and each unresolved Sentry metric issue."""
        monitors = self.sandbox.control("GET", "/uptimerobot/monitors").json()
        issues = self.sandbox.control("GET", "/sentry/issues").json()
        return {
            f"uptimerobot monitor {m['friendlyName']}: DOWN" for m in monitors if m["status"] == "DOWN"
        } | {
            f"sentry metric issue {i['id']}: {i.get('title', '')}"
            for i in issues
            if i["issueType"] == "metric_issue" and i["status"] == "unresolved"
        }

    def failed_deploy(self, service: str) -> None:
        """A developer deploys a commit whose build breaks (the sandbox builds nothing: it is told so)."""
        self.builds_fail(service, True)
        found = self.sandbox.control("GET", "/render/services").json()
        service_id = next(s["id"] for s in found if s["name"] == service)
        url = f"{self.sandbox.vendor_url('render')}/services/{service_id}/deploys"
        answer = requests.post(url, json={}, headers={"Authorization": f"Bearer {RENDER_KEY}"}, timeout=10)
        answer.raise_for_status()

    def builds_fail(self, service: str, fails: bool) -> None:
        self.sandbox.control("PUT", "/render/builds", json={"serviceId": service, "fails": fails})

    def render_event(self, service: str, kind: str, since: float) -> float | None:
        """When `service` first had an event of `kind` at or after `since` (plan time), if it had one."""
        found = self.sandbox.control("GET", "/render/services").json()
        service_id = next(s["id"] for s in found if s["name"] == service)
        times = [
            datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00")).timestamp()
            for e in self.sandbox.control("GET", "/render/events").json()
            if e["serviceId"] == service_id and e["type"] == kind
        ]
        later = [t for t in times if t >= since]
        return min(later) if later else None

    def deliveries(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.sandbox.control("GET", "/deliveries").json()
        return found

    def monitors(self) -> dict[int, str]:
        """UptimeRobot monitor ids and names, as deployed."""
        found = self.sandbox.control("GET", "/uptimerobot/monitors").json()
        return {m["id"]: m["friendlyName"] for m in found}

    def _confirm_contacts(self) -> None:
        """UptimeRobot alerts an e-mail address only once its owner confirmed it: do as the owner would."""
        for contact in self.sandbox.control("GET", "/uptimerobot/alert-contacts").json():
            if contact.get("status") == "NotActivated":
                path = f"/uptimerobot/alert-contacts/{contact['id']}"
                self.sandbox.control("PATCH", path, json={"status": "Active"})
                self.notes.append(
                    f"confirmed the UptimeRobot e-mail contact {contact['value']} (UptimeRobot sends nothing "
                    "to an address until its owner follows the link it mails)"
                )

    def _heartbeat_url(self) -> str | None:
        for monitor in self.sandbox.control("GET", "/uptimerobot/monitors").json():
            if monitor["type"] == "HEARTBEAT":
                return f"{self.sandbox.vendor_url('uptimerobot-heartbeat')}/{monitor['url']}"
        return None


def _request(app: Flask, method: str, path: str, body: dict[str, Any] | None) -> int:
    """One user's request, in a trace their client sampled."""
    trace = f"{secrets.token_hex(16)}-{secrets.token_hex(8)}-1"
    with app.test_client() as client:
        answer = client.open(path, method=method, json=body, headers={"sentry-trace": trace})
        return answer.status_code


def _browser_error(environ: dict[str, str], environment: str) -> None:
    """An error in the frontend's page, sent to its project as the browser SDK sends one (an envelope)."""
    dsn = environ.get("SENTRY_DSN")
    if not dsn:
        return
    parts = urlsplit(dsn)
    project = parts.path.rstrip("/").rpartition("/")[2]
    base = f"{parts.scheme}://{parts.hostname}:{parts.port}{parts.path.rpartition('/')[0]}"
    event_id = secrets.token_hex(16)
    kind, _, value = BROWSER_ERROR.partition(": ")
    event = {
        "event_id": event_id,
        "platform": "javascript",
        "level": "error",
        "environment": environment,
        "release": environ.get("APP_VERSION"),
        "exception": {"values": [{"type": kind, "value": value}]},
        "sdk": {"name": "sentry.javascript.react", "version": "8.55.0"},
    }
    header = {"event_id": event_id, "dsn": dsn}
    body = "\n".join(json.dumps(part) for part in (header, {"type": "event"}, event))
    client = "sentry.javascript.react/8.55.0"
    auth = f"Sentry sentry_version=7, sentry_client={client}, sentry_key={parts.username}"
    requests.post(f"{base}/api/{project}/envelope/", data=body, headers={"X-Sentry-Auth": auth}, timeout=10)


def _environ(sandbox: SandboxProcess, render: dict[str, Any]) -> dict[str, str]:
    """The service's env vars as Render holds them (what Lookout set: SENTRY_DSN, APP_VERSION, ...), the
    DSN's host being the sandbox's ingest (as if the name resolved there; the key and project stay)."""
    found = sandbox.control("GET", f"/render/services/{render['id']}/env-vars").json()
    environ = {str(v["key"]): str(v["value"]) for v in found}
    if environ.get("SENTRY_DSN"):
        dsn = urlsplit(environ["SENTRY_DSN"])
        ingest = urlsplit(sandbox.vendor_url("sentry-ingest"))
        environ["SENTRY_DSN"] = f"{ingest.scheme}://{dsn.username}@{ingest.netloc}{ingest.path}{dsn.path}"
    return environ


def _hosts(svc: Service, render: dict[str, Any] | None) -> list[str]:
    """Where the service answers: the plan's URL (a custom domain points at the service) and the one
    Render gives it (`serviceDetails.url`)."""
    hosts = [urlsplit(svc.url).hostname or ""]
    url = ((render or {}).get("serviceDetails") or {}).get("url")
    if url:
        hosts.append(urlsplit(str(url)).hostname or "")
    return list(dict.fromkeys(h for h in hosts if h))
