"""Provider methods called directly (as the engine would) against the sandbox, on a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.sandbox_process import (
    PAGERDUTY_TOKEN,
    RENDER_KEY,
    RENDER_OWNER,
    SENTRY_ORG,
    SENTRY_TOKEN,
    UPTIMEROBOT_KEY,
    SandboxProcess,
)
from providers import settings
from providers.base import SpecProvider
from tests.fakes import FakeClock
from transport import shared
from transport.clock import SYSTEM_CLOCK


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def sandbox_config(api: SandboxProcess) -> dict[str, str]:
    """Stack config pointing every vendor at the sandbox's seeded accounts."""
    return {
        "uptimerobot:endpoint": api.vendor_url("uptimerobot"),
        "uptimerobot:apiKey": UPTIMEROBOT_KEY,
        "sentry:endpoint": api.vendor_url("sentry"),
        "sentry:authToken": SENTRY_TOKEN,
        "sentry:organization": SENTRY_ORG,
        "render:endpoint": api.vendor_url("render"),
        "render:apiKey": RENDER_KEY,
        "render:ownerId": RENDER_OWNER,
        "pagerduty:endpoint": api.vendor_url("pagerduty"),
        "pagerduty:token": PAGERDUTY_TOKEN,
    }


@pytest.fixture
def configured(api: SandboxProcess, clock: FakeClock) -> Iterator[SandboxProcess]:
    """Stack config pointing at the sandbox; the process-wide transports wait on the fake clock."""
    settings.use_config(sandbox_config(api))
    shared.use_clock(clock)
    yield api
    settings.use_config({})
    shared.use_clock(SYSTEM_CLOCK)


def fault(
    api: SandboxProcess, kind: str, method: str, path: str, count: int = 1, vendor: str = "uptimerobot"
) -> None:
    body = {"vendor": vendor, "method": method, "path": path, "kind": kind, "count": count}
    api.control("POST", "/faults", json=body)


def count(api: SandboxProcess, route: str, vendor: str = "uptimerobot") -> int:
    return int(api.control("GET", "/requests").json()["byRoute"].get(f"{vendor} {route}", 0))


def checked(provider: SpecProvider, props: dict[str, Any]) -> dict[str, Any]:
    """Inputs as `check` hands them to the engine; fails the test on a validation failure."""
    result = provider.check({}, props)
    assert result.failures == [], result.failures
    return result.inputs


def wire(outputs: dict[str, Any] | None) -> dict[str, Any]:
    """Outputs as state gives them back: numbers as floats."""
    assert outputs is not None
    return {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in outputs.items()}
