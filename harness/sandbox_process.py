"""Start, find and stop the sandbox server as a real process on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import requests

from .paths import REPO

READY_PREFIX = "sandbox listening on "
DEMO_PORT = 18765  # the demo's sandbox; its vendor roots on the ports after it (sandbox/roots.py)
# The seeded sandbox accounts (sandbox/*/accounts.py): not real credentials.
UPTIMEROBOT_KEY = "sandbox-uptimerobot-key"
SENTRY_TOKEN = "sandbox-sentry-token"
SENTRY_ORG = "lookout-sandbox"
RENDER_KEY = "sandbox-render-key"
RENDER_OWNER = "tea-sandbox0000000000001"
PAGERDUTY_TOKEN = "sandbox-pagerduty-token"
SUPABASE_TOKEN = "sbp_5a7d0c1e9b3f4a6d8c2e0f1a3b5c7d9e1f2a4b6c"  # shaped as the official CLI requires


@dataclass
class SandboxProcess:
    url: str
    process: subprocess.Popen[str] | None = None

    def vendor_url(self, vendor: str) -> str:
        prefixes = {
            "uptimerobot": "/uptimerobot/v3",
            "uptimerobot-heartbeat": "/uptimerobot-heartbeat",  # heartbeat.uptimerobot.com
            "sentry": "/sentry/api/0",
            "sentry-ingest": "/sentry-ingest",
            "render": "/render/v1",
            "pagerduty": "/pagerduty",
            "supabase": "/supabase",
            "pagerduty-events": "/pagerduty-events/v2",
            "slack": "/slack",
        }
        return self.url + prefixes[vendor]

    def roots(self) -> dict[str, str]:
        """Each vendor host's own root, for the vendors' own tools (sandbox/roots.py)."""
        found: dict[str, str] = self.control("GET", "/roots").json()
        return found

    def control(self, method: str, path: str, **kwargs: object) -> requests.Response:
        response = requests.request(method, f"{self.url}/_control{path}", timeout=10, **kwargs)  # type: ignore[arg-type]
        response.raise_for_status()
        return response

    def relax_rate_limits(self) -> None:
        """Rate limits no test run reaches: what a test exercises is not the vendors' budgets (the fault
        suite's bursts and the benchmark keep them)."""
        for vendor, limits in RELAXED.items():
            self.control("PUT", f"/{vendor}/settings", json=limits)

    @contextlib.contextmanager
    def rate_limits_relaxed(self) -> Iterator[None]:
        """The rate limits relaxed for a while, then as they were."""
        before = {v: self.control("GET", f"/{v}/settings").json() for v in RELAXED}
        self.relax_rate_limits()
        try:
            yield
        finally:
            for vendor, limits in RELAXED.items():
                self.control("PUT", f"/{vendor}/settings", json={k: before[vendor][k] for k in limits})

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


RELAXED = {
    "uptimerobot": {"rateLimit": 100000},
    "sentry": {"rateLimit": 100000},
    "render": {"serviceRateLimit": 100000, "writeRateLimit": 100000, "readRateLimit": 100000},
}


def sandbox_port() -> int:
    """The port of the demo's sandbox, which the `--sandbox` commands use too."""
    return int(os.environ.get("LOOKOUT_SANDBOX_PORT", DEMO_PORT))


def running(url: str) -> bool:
    try:
        return requests.get(f"{url}/_control/health", timeout=2).ok
    except requests.RequestException:
        return False


def start(db: Path, port: int = 0, log: Path | None = None) -> SandboxProcess:
    """Start `python -m sandbox` and wait for its ready line (it prints the URL it bound)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    stderr = open(log, "a") if log else subprocess.DEVNULL  # noqa: SIM115 (owned by the child process)
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--host", "127.0.0.1", "--port", str(port), "--db", str(db)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith(READY_PREFIX):
        process.kill()
        raise RuntimeError(f"sandbox did not start (first output: {line!r}); see {log or 'its stderr'}")
    return SandboxProcess(line[len(READY_PREFIX) :], process)


def ensure(db: Path, port: int, log: Path) -> SandboxProcess:
    """The sandbox on `port`, started in the background if it is not already running there."""
    url = f"http://127.0.0.1:{port}"
    if running(url):
        return SandboxProcess(url)
    return start(db, port, log)


class SandboxSettings(TypedDict):
    endpoints: dict[str, str]
    secrets: dict[str, str]


def sandbox_settings(sandbox: SandboxProcess, stack: str = "dev") -> SandboxSettings:
    """Stack config that points every vendor at the sandbox's seeded accounts (not real credentials).
    Webhooks differ per stack, as Slack's do per channel: one account cannot hold two equal integrations."""
    return {
        "endpoints": {
            "uptimerobot:endpoint": sandbox.vendor_url("uptimerobot"),
            "uptimerobot:heartbeatEndpoint": sandbox.vendor_url("uptimerobot-heartbeat"),
            "sentry:endpoint": sandbox.vendor_url("sentry"),
            "sentry:organization": SENTRY_ORG,
            "sentry:ingestEndpoint": sandbox.vendor_url("sentry-ingest"),  # stands in for each DSN's host
            "render:endpoint": sandbox.vendor_url("render"),
            "render:ownerId": RENDER_OWNER,
            "pagerduty:endpoint": sandbox.vendor_url("pagerduty"),
            "pagerduty:eventsEndpoint": sandbox.vendor_url("pagerduty-events"),
            "slack:endpoint": sandbox.vendor_url("slack"),  # stands in for https://hooks.slack.com
            "supabase:endpoint": sandbox.vendor_url("supabase"),
        },
        "secrets": {
            "uptimerobot:apiKey": UPTIMEROBOT_KEY,
            "sentry:authToken": SENTRY_TOKEN,
            "render:apiKey": RENDER_KEY,
            "pagerduty:token": PAGERDUTY_TOKEN,
            "supabase:accessToken": SUPABASE_TOKEN,
            "lookout:logStreamToken": "sandbox-log-token",
            "lookout:slackWebhookUrl": f"https://hooks.slack.com/services/SANDBOX-{stack}",
            "lookout:pagerdutyKey": f"sandbox-pagerduty-key-{stack}-0123456789ab",
        },
    }
