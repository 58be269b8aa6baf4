"""`make demo`: the dev plan deployed with the real engine into the local sandbox, then a no-change check."""

from __future__ import annotations

import os
import sys
from typing import TypedDict

from . import sandbox_process, sandbox_seed
from .paths import SANDBOX_DIR
from .workspace import PulumiFailed, Workspace

DEFAULT_PORT = 18765


class SandboxSettings(TypedDict):
    endpoints: dict[str, str]
    secrets: dict[str, str]


def sandbox_settings(sandbox: sandbox_process.SandboxProcess, stack: str = "dev") -> SandboxSettings:
    """Stack config that points every vendor at the sandbox's seeded accounts (not real credentials).
    Webhooks differ per stack, as Slack's do per channel: one account cannot hold two equal integrations."""
    return {
        "endpoints": {
            "uptimerobot:endpoint": sandbox.vendor_url("uptimerobot"),
            "sentry:endpoint": sandbox.vendor_url("sentry"),
            "sentry:organization": sandbox_process.SENTRY_ORG,
            "render:endpoint": sandbox.vendor_url("render"),
            "render:ownerId": sandbox_process.RENDER_OWNER,
        },
        "secrets": {
            "uptimerobot:apiKey": sandbox_process.UPTIMEROBOT_KEY,
            "sentry:authToken": sandbox_process.SENTRY_TOKEN,
            "render:apiKey": sandbox_process.RENDER_KEY,
            "lookout:logStreamToken": "sandbox-log-token",
            "lookout:slackWebhookUrl": f"https://hooks.slack.com/services/SANDBOX-{stack}",
            "lookout:pagerdutyKey": f"sandbox-pagerduty-key-{stack}-0123456789ab",
        },
    }


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def run(stack: str = "dev") -> int:
    port = int(os.environ.get("LOOKOUT_SANDBOX_PORT", DEFAULT_PORT))
    step(f"sandbox on 127.0.0.1:{port} (state in {SANDBOX_DIR})")
    sandbox = sandbox_process.ensure(SANDBOX_DIR / "sandbox.db", port, SANDBOX_DIR / "sandbox.log")
    print(sandbox.url)
    workspace = Workspace(SANDBOX_DIR / "pulumi", stack)
    try:
        sandbox_seed.seed(sandbox, workspace.prepare(**sandbox_settings(sandbox, stack)))
        sandbox.control("DELETE", "/violations")  # this run's requests are judged, not an earlier one's
        step(f"pulumi up --yes --stack {stack}")
        print(workspace.pulumi("up", "--yes").stdout)
        step("pulumi stack output")
        print(workspace.pulumi("stack", "output", "--json").stdout)
        step("pulumi preview --expect-no-changes (a second run must change nothing)")
        print(workspace.pulumi("preview", "--expect-no-changes").stdout)
        step("requests of this run that broke a vendor's official spec (sandbox/contract.py)")
        violations = sandbox.control("GET", "/violations").json()
        print(f"{violations['total']} contract violation(s)")
        for item in violations["items"]:
            print(f"  {item['vendor']} {item['method']} {item['path']}: {'; '.join(item['problems'])}")
        if violations["total"]:
            return 1
    except PulumiFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        sandbox.stop()
    step("done: the dev plan is live in the sandbox, and a second preview reports no changes")
    return 0
