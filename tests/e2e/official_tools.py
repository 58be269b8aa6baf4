"""The vendors' own tools, pointed at the sandbox's root for each vendor host with their ordinary settings
(README, "Use the vendors' own tools on the sandbox"), read what a plan deployed (issue #29)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pdpyras

from harness.sandbox_process import PAGERDUTY_TOKEN, SENTRY_ORG, SENTRY_TOKEN, SandboxProcess

SENTRY_CLI = Path(sys.executable).parent / "sentry-cli"  # installed by `make venv` (pyproject's dev extra)


def sentry_cli(sandbox: SandboxProcess, home: Path, *args: str, project: str = "") -> str:
    """`sentry-cli` with SENTRY_URL at the sandbox's sentry.io root; its output, or the test fails."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),  # no ~/.sentryclirc of the user's
        "SENTRY_URL": sandbox.roots()["sentry.io"],
        "SENTRY_AUTH_TOKEN": SENTRY_TOKEN,
        "SENTRY_ORG": SENTRY_ORG,
        "SENTRY_PROJECT": project,
        "SENTRY_DISABLE_UPDATE_CHECK": "1",
    }
    done = subprocess.run([str(SENTRY_CLI), *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def pagerduty(sandbox: SandboxProcess) -> pdpyras.APISession:
    """PagerDuty's REST client with its `url` at the sandbox's api.pagerduty.com root."""
    session = pdpyras.APISession(PAGERDUTY_TOKEN)
    session.url = sandbox.roots()["api.pagerduty.com"]
    return session


def events(sandbox: SandboxProcess, routing_key: str) -> pdpyras.EventsAPISession:
    session = pdpyras.EventsAPISession(routing_key)
    session.url = sandbox.roots()["events.pagerduty.com"]
    return session
