"""The sandbox as a real subprocess on an ephemeral port with a temporary database, reset between tests.

Tests never sleep: time-dependent behaviour (rate-limit windows, read-after-write lag) is driven through the
virtual clock of the control API.
"""

from __future__ import annotations

import select
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from refapp.app import create_app
from refapp.server import Server as AppServer
from tests.sandbox.sentry_bodies import metric_monitor

REPO = Path(__file__).resolve().parents[2]
READY_PREFIX = "sandbox listening on "
START_TIMEOUT = 30.0
API_KEY = "sandbox-uptimerobot-key"
OWNER_EMAIL = "owner@sandbox.test"
PREFIX = "/uptimerobot/v3"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Call the control API and fail the test on an error status."""
        response = requests.request(method, f"{self.url}/_control{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response

    def seed(self, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create an object out of band (no validation, no counting) and return its DTO."""
        created: dict[str, Any] = self.control("POST", f"/uptimerobot/{collection}", json=body).json()
        return created

    def add_account(self, api_key: str, plan: str = "free") -> None:
        self.control(
            "POST",
            "/uptimerobot/accounts",
            json={"apiKey": api_key, "plan": plan, "email": f"{api_key}@x.io"},
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(db: Path, log: Path, *extra: str) -> Server:
    """Run ``python -m sandbox`` and wait for its ready line."""
    command = [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", "0", "--db", str(db), *extra]
    with log.open("a") as stderr:
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=stderr, text=True)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
    line = process.stdout.readline().strip() if ready else ""
    if not line.startswith(READY_PREFIX):
        process.kill()
        raise RuntimeError(f"sandbox did not start: {line!r}; see {log}")
    return Server(line[len(READY_PREFIX) :], process)


@dataclass
class Client:
    """An UptimeRobot API client of one account (its own HTTP session)."""

    base: str
    api_key: str | None = API_KEY
    session: requests.Session = field(default_factory=requests.Session)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.base + path, headers=self.headers(), timeout=10, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def follow(self, link: str) -> Any:
        """GET an absolute ``nextLink`` with this client's key."""
        return self.session.get(link, headers={"Authorization": f"Bearer {self.api_key}"}, timeout=10).json()

    def monitor(self, **overrides: Any) -> dict[str, Any]:
        """Create an HTTP monitor (``http_monitor`` plus overrides) and return its DTO."""
        response = self.post("/monitors", json=http_monitor(**overrides))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("sandbox")
    started = start_server(directory / "sandbox.db", directory / "sandbox.log")
    yield started
    started.stop()


@pytest.fixture
def sandbox_server(server: Server) -> Server:
    """The shared server, reset to a fresh default account with a rate limit tests do not notice."""
    server.control("POST", "/reset")
    server.control("PUT", "/uptimerobot/settings", json={"rateLimit": 100_000})
    return server


@pytest.fixture
def ur(sandbox_server: Server) -> Client:
    return Client(sandbox_server.url + PREFIX)


def http_monitor(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "HTTP",
        "friendlyName": "Shop",
        "url": "https://shop.example.test/health",
        "interval": 300,
        "timeout": 30,
    }
    return {**body, **overrides}


def window_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Weekly updates",
        "interval": "weekly",
        "date": "2026-10-03",
        "time": "02:00:00",
        "duration": 90,
        "days": [7],
    }
    return {**body, **overrides}


PAGERDUTY_KEY = "0123456789abcdef0123456789abcdef"


# -- Sentry ------------------------------------------------------------------------------------------------

SENTRY_PREFIX = "/sentry/api/0"
SENTRY_TOKEN = "sandbox-sentry-token"
ORG = "lookout-sandbox"


@pytest.fixture
def sentry(sandbox_server: Server) -> Client:
    """A Sentry client of the seeded organization, with a rate limit tests do not notice."""
    sandbox_server.control("PUT", "/sentry/settings", json={"rateLimit": 100_000})
    return Client(sandbox_server.url + SENTRY_PREFIX, api_key=SENTRY_TOKEN)


def created(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def new_team(sentry: Client, slug: str = "backend") -> dict[str, Any]:
    return created(sentry.post(f"/organizations/{ORG}/teams/", json={"slug": slug}))


def new_project(sentry: Client, team: str = "backend", slug: str = "api", **body: Any) -> dict[str, Any]:
    payload = {"name": slug.title(), "slug": slug, "platform": "python-flask", **body}
    return created(sentry.post(f"/teams/{ORG}/{team}/projects/", json=payload))


@pytest.fixture
def alerting(sentry: Client, sandbox_server: Server) -> dict[str, Any]:
    """Team ``backend`` and project ``api`` (no default alert) whose events named environment
    ``production``; the audit list starts empty."""
    team = new_team(sentry)
    project = new_project(sentry, default_rules=False)
    sandbox_server.control("POST", "/sentry/environments", json={"project": "api", "name": "production"})
    sandbox_server.control("DELETE", "/sentry/audit")
    return {"team": team, "project": project}


def create_monitor(sentry: Client, **overrides: Any) -> dict[str, Any]:
    """A metric monitor (the spec example's body plus ``overrides``) on project ``api``."""
    path = f"/organizations/{ORG}/projects/api/detectors/"
    return created(sentry.post(path, json=metric_monitor(**overrides)))


def by_id(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Children sorted by id: the API returns them in arbitrary order."""
    return sorted(items, key=lambda item: int(item["id"]))


def audit_entries(server: Server) -> list[tuple[str, str]]:
    """(action, child) of each audit entry; the monitor or alert itself shows as child ``-``."""
    entries = server.control("GET", "/sentry/audit").json()
    return [(entry["action"], entry["child"] or "-") for entry in entries]


# -- Render ------------------------------------------------------------------------------------------------

RENDER_PREFIX = "/render/v1"
RENDER_KEY = "sandbox-render-key"
RENDER_OWNER = "tea-sandbox0000000000001"
RENDER_UNNOTICED_LIMITS = {"serviceRateLimit": 100_000, "writeRateLimit": 100_000, "readRateLimit": 100_000}


@pytest.fixture
def render(sandbox_server: Server) -> Client:
    """A Render client of the seeded workspace, with rate limits tests do not notice."""
    sandbox_server.control("PUT", "/render/settings", json=RENDER_UNNOTICED_LIMITS)
    return Client(sandbox_server.url + RENDER_PREFIX, api_key=RENDER_KEY)


@pytest.fixture
def render_ids(sandbox_server: Server) -> dict[str, str]:
    """Service name -> id of every seeded Render service (read out of band)."""
    return {
        service["name"]: service["id"] for service in sandbox_server.control("GET", "/render/services").json()
    }


def render_names(page: list[dict[str, Any]]) -> list[str]:
    """Service names of one ``GET /services`` page."""
    return [item["service"]["name"] for item in page]


HOST = "api.optio.test"  # the reference app's host, as the sandbox's checks reach it


@pytest.fixture
def backend() -> Iterator[AppServer]:
    """The reference app's backend, served on a free port (its own HTTP server)."""
    app = create_app("backend", {"APP_VERSION": "1.2.3", "FLASK_ENV": "production"})
    with AppServer(app) as server:
        yield server


@pytest.fixture
def checking(sandbox_server: Server, backend: AppServer) -> Server:
    """The sandbox with its checks on and the backend's host resolving to the reference app."""
    sandbox_server.control("PUT", "/hosts", json={HOST: backend.address})
    sandbox_server.control("PUT", "/checks", json={"running": True})
    return sandbox_server
