"""The vendors' own tools, pointed at the sandbox's root for each vendor host with their ordinary settings
(README, "Use the vendors' own tools on the sandbox"; sandbox/roots.py): for the end-to-end tests and the
check after the demo (harness/tools_after_demo.py)."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pagerduty as pagerduty_client

with warnings.catch_warnings():  # PagerDuty keeps pdpyras no more; it is still its client of plain HTTP
    warnings.simplefilter("ignore", UserWarning)
    import pdpyras

from sandbox.sentry.orgs import INGEST_HOST

from .paths import REPO
from .sandbox_process import PAGERDUTY_TOKEN, SENTRY_ORG, SENTRY_TOKEN, UPTIMEROBOT_KEY, SandboxProcess

SENTRY_CLI = Path(sys.executable).parent / "sentry-cli"  # installed by `make venv` (pyproject's dev extra)
UPTIMEROBOT_INSTALL = REPO / "tools" / "uptimerobot-cli" / "install.sh"


def on_ingest_root(dsn: str, roots: dict[str, str]) -> str:
    """A DSN with its host replaced by the sandbox's root for it (`roots`: GET /_control/roots): the one
    change a user makes."""
    assert f"@{INGEST_HOST}/" in dsn, dsn
    return dsn.replace("https://", "http://").replace(INGEST_HOST, roots[INGEST_HOST].split("://", 1)[1])


def sentry_cli(sandbox: SandboxProcess, home: Path, *args: str, project: str = "", dsn: str = "") -> str:
    """`sentry-cli` with SENTRY_URL at the sandbox's sentry.io root; its output, or AssertionError."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),  # no ~/.sentryclirc of the user's
        "SENTRY_URL": sandbox.roots()["sentry.io"],
        "SENTRY_AUTH_TOKEN": SENTRY_TOKEN,
        "SENTRY_ORG": SENTRY_ORG,
        "SENTRY_PROJECT": project,
        "SENTRY_DISABLE_UPDATE_CHECK": "1",
        **({"SENTRY_DSN": dsn} if dsn else {}),
    }
    done = subprocess.run([str(SENTRY_CLI), *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def pagerduty(sandbox: SandboxProcess) -> pdpyras.APISession:
    """PagerDuty's REST client (pdpyras) with its `url` at the sandbox's api.pagerduty.com root."""
    session = pdpyras.APISession(PAGERDUTY_TOKEN)
    session.url = sandbox.roots()["api.pagerduty.com"]
    return session


def pagerduty_tls(sandbox: SandboxProcess, ca: Path) -> pagerduty_client.RestApiV2Client:
    """PagerDuty's current client, which takes https URLs only, trusting the sandbox's CA."""
    root = sandbox.roots()["api.pagerduty.com"].replace("http://", "https://")
    trusted = ssl.create_default_context(cafile=ca)
    return pagerduty_client.RestApiV2Client(PAGERDUTY_TOKEN, base_url=root, verify=trusted)


def events(sandbox: SandboxProcess, routing_key: str) -> pdpyras.EventsAPISession:
    session = pdpyras.EventsAPISession(routing_key)
    session.url = sandbox.roots()["events.pagerduty.com"]
    return session


@dataclass
class UptimeRobotCli:
    """UptimeRobot's official CLI (tools/uptimerobot-cli/install.sh), its one base-URL setting at the
    sandbox's api.uptimerobot.com root (the path includes /v3, as its default does)."""

    sandbox: SandboxProcess
    home: Path
    launcher: str = ""

    def __post_init__(self) -> None:
        installed = subprocess.run(
            ["bash", str(UPTIMEROBOT_INSTALL)], capture_output=True, text=True, check=False
        )
        if installed.returncode != 0:
            raise RuntimeError(f"cannot install UptimeRobot's CLI: {installed.stderr.strip()}")
        self.launcher = installed.stdout.strip()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.home),  # no stored credentials of the user's
            "UPTIMEROBOT_DEV_API_URL": self.sandbox.roots()["api.uptimerobot.com"] + "/v3",
            "UPTIMEROBOT_API_KEY": UPTIMEROBOT_KEY,
        }
        return subprocess.run([self.launcher, *args], env=env, capture_output=True, text=True, timeout=120)

    def json(self, *args: str) -> Any:
        """The command's normalized JSON (`--json`), or AssertionError with what it printed."""
        done = self.run(*args, "--json")
        assert done.returncode == 0, (args, done.returncode, done.stderr.strip() or done.stdout.strip())
        return json.loads(done.stdout)
