"""Provider methods called directly (as the engine would) against the sandbox, on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lookout.sandbox_process import SENTRY_ORG, SENTRY_TOKEN, UPTIMEROBOT_KEY, SandboxProcess
from providers import settings
from providers.sentry import client as sentry
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
    endpoint, sentry_endpoint = api.vendor_url("uptimerobot"), api.vendor_url("sentry")
    settings.use_config(
        {
            "uptimerobot:endpoint": endpoint,
            "uptimerobot:apiKey": UPTIMEROBOT_KEY,
            "sentry:endpoint": sentry_endpoint,
            "sentry:authToken": SENTRY_TOKEN,
            "sentry:organization": SENTRY_ORG,
        }
    )
    transport = Transport(uptimerobot.VENDOR, endpoint, UPTIMEROBOT_KEY, clock=clock)
    monkeypatch.setattr(uptimerobot, "_clients", {(endpoint, UPTIMEROBOT_KEY): transport})
    sentry_transport = Transport(sentry.VENDOR, sentry_endpoint, SENTRY_TOKEN, clock=clock)
    monkeypatch.setattr(sentry, "_clients", {(sentry_endpoint, SENTRY_TOKEN): sentry_transport})
    yield api
    settings.use_config({})


def fault(
    api: SandboxProcess, kind: str, method: str, path: str, count: int = 1, vendor: str = "uptimerobot"
) -> None:
    body = {"vendor": vendor, "method": method, "path": path, "kind": kind, "count": count}
    api.control("POST", "/faults", json=body)


def count(api: SandboxProcess, route: str, vendor: str = "uptimerobot") -> int:
    return int(api.control("GET", "/requests").json()["byRoute"].get(f"{vendor} {route}", 0))
