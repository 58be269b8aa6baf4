"""Fixtures shared by the tiers that talk to the sandbox over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness import sandbox_process
from transport.redact import secrets_kept_apart


@pytest.fixture(autouse=True)
def own_rate_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps rate windows of its own: none inherits a window another test spent."""
    monkeypatch.setenv("LOOKOUT_RATE_WINDOWS", str(tmp_path / "rate-windows"))


@pytest.fixture(autouse=True)
def secrets_of_this_test_only() -> Iterator[None]:
    """A secret one test's provider calls registered (a Render env var's value "managed") is not masked in
    the next test's messages: the registry is per process, and a worker runs many tests."""
    with secrets_kept_apart():
        yield


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sandbox_process.SandboxProcess]:
    directory = tmp_path_factory.mktemp("sandbox")
    process = sandbox_process.start(directory / "sandbox.db", log=directory / "sandbox.log")
    yield process
    process.stop()


@pytest.fixture
def api(sandbox: sandbox_process.SandboxProcess) -> Iterator[sandbox_process.SandboxProcess]:
    """A sandbox reset to an empty account, with a rate limit that does not slow the suite down.

    Afterwards, no request of the test may have broken a vendor's official spec (sandbox/contract.py):
    a provider that sends what the real API would refuse fails here, not on the first real account; and
    none may have called an operation the sandbox does not serve (a 404 from a missing route)."""
    sandbox.control("POST", "/reset")
    sandbox.relax_rate_limits()
    yield sandbox
    violations = sandbox.control("GET", "/violations").json()
    assert violations["total"] == 0, f"requests that break the vendors' specs: {violations['items']}"
    unserved = sandbox.control("GET", "/unserved").json()
    assert unserved["total"] == 0, f"calls the sandbox has no route for: {unserved['items']}"


# The modules that take longest (`make test`'s --durations, 2026-12-07: the game day about 170 s, the fault
# suite about 260 s of test time) are collected first. pytest-xdist's worksteal gives each worker a
# contiguous share of the collection and lets an idle worker steal from the end of a busy one's queue:
# long tests at the front run while the short ones are shared out; at the end they would run alone.
LONGEST_FIRST = ("tests/e2e/test_gameday.py", "tests/e2e/test_faults.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        module = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(module) if module in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within each module, and of the other modules, is kept


# The fault suite's outcomes (issue #7), gathered from the test reports: with parallel workers
# (pytest-xdist) the scenarios run in other processes, whose reports reach this one.
FAULT_OUTCOMES: list[Any] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        FAULT_OUTCOMES.extend(value for name, value in report.user_properties if name == "fault_outcome")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fault suite's report, when it ran."""
    if FAULT_OUTCOMES:
        from lookout.fault_scenarios import SCENARIOS
        from lookout.faults import Outcome, report

        order = {s.name: i for i, s in enumerate(SCENARIOS)}
        outcomes = [Outcome(**o) for o in FAULT_OUTCOMES]
        terminalreporter.section("fault suite")
        terminalreporter.write_line(report(sorted(outcomes, key=lambda o: order.get(o.scenario, 0))))
