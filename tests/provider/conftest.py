"""Provider methods called directly (as the engine would) against the sandbox, on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lookout.demo import SANDBOX_API_KEY
from lookout.sandbox_process import SandboxProcess
from providers import settings
from providers.transport import Transport
from providers.uptimerobot import client as uptimerobot
from tests.fakes import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def configured(
    api: SandboxProcess, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxProcess]:
    """Stack config pointing at the sandbox; the process-wide client uses the fake clock."""
    endpoint = api.vendor_url("uptimerobot")
    settings.use_config({"uptimerobot:endpoint": endpoint, "uptimerobot:apiKey": SANDBOX_API_KEY})
    transport = Transport(uptimerobot.VENDOR, endpoint, SANDBOX_API_KEY, clock=clock)
    monkeypatch.setattr(uptimerobot, "_clients", {(endpoint, SANDBOX_API_KEY): transport})
    yield api
    settings.use_config({})


def fault(api: SandboxProcess, kind: str, method: str, path: str, count: int = 1) -> None:
    api.control(
        "POST",
        "/faults",
        json={"vendor": "uptimerobot", "method": method, "path": path, "kind": kind, "count": count},
    )


def count(api: SandboxProcess, route: str) -> int:
    return int(api.control("GET", "/requests").json()["byRoute"].get(f"uptimerobot {route}", 0))
