"""End-to-end fixtures: the sandbox as a real process, and a Pulumi workspace with its own backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness import sandbox_process, sandbox_seed
from harness.paths import REPO
from harness.sandbox_process import sandbox_settings
from harness.workspace import Workspace

pytestmark = pytest.mark.e2e


TEST_PROGRAM = Path(__file__).parent / "program"


def plan(*monitors: dict[str, Any], **uptime: Any) -> dict[str, Any]:
    """Test-program config (tests/e2e/program): the `lookout:uptime` block with these monitors."""
    block = {"alertEmail": "alerts@example.test", "interval": 300, "monitors": list(monitors), **uptime}
    # The committed Sentry and Render blocks are left out: each test declares what it exercises.
    return {
        "lookout:environment": "dev",
        "lookout:uptime": block,
        "lookout:sentry": None,
        "lookout:render": None,
        "lookout:pagerduty": None,
    }


class Stack:
    """One stack in its own backend, driven through the real `pulumi` CLI."""

    def __init__(self, api: sandbox_process.SandboxProcess, state_dir: Path, name: str = "dev") -> None:
        self.api = api
        self.workspace = Workspace(state_dir, name)

    def configure(self, overrides: dict[str, Any], inherit: bool = False) -> None:
        """Stack config for the next run: the committed Pulumi.dev.yaml's plan with `overrides`, deployed
        by the project's program (`inherit`); else the test program's config (`plan()`), deployed by it."""
        self.workspace.program = REPO if inherit else TEST_PROGRAM
        sandbox_seed.seed(
            self.api,
            self.workspace.prepare(
                **sandbox_settings(self.api, self.workspace.stack), overrides=overrides, inherit=inherit
            ),
        )

    def pulumi(self, *args: str, check: bool = True, with_preview: bool = False):
        """`pulumi ARGS`. An `up` skips its preview step unless `with_preview`: that step runs the program
        and the provider a second time and sends no request, and the tests about previews run
        `pulumi preview` (test_full_plan.py runs `up` as the deploy workflow does, preview and all)."""
        if args[:1] == ("up",) and not with_preview and "--skip-preview" not in args:
            args = (*args, "--skip-preview")
        return self.workspace.pulumi(*args, check=check)

    def monitors(self) -> list[dict[str, Any]]:
        return self.api.control("GET", "/uptimerobot/monitors").json()

    def sentry(self, collection: str) -> list[dict[str, Any]]:
        return self.api.control("GET", f"/sentry/{collection}").json()

    def requests(self) -> int:
        return int(self.api.control("GET", "/requests").json()["total"])


@pytest.fixture
def stack(api: sandbox_process.SandboxProcess, tmp_path: Path) -> Stack:
    return Stack(api, tmp_path)
