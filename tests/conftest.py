"""Fixtures shared by the tiers that talk to the sandbox over HTTP."""

from __future__ import annotations

import itertools
import os
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


# The modules that take longest (2026-12-07, 3 workers: the game day about 250 s, the fault suite about
# 370 s of test time, each in one module) each open a worker's share of the collection. pytest-xdist's
# worksteal gives each worker a contiguous share (the pending tests split evenly, in order) and lets an
# idle worker steal the back half of the longest queue: both in one share ran one after the other on one
# worker (its run ended 6 min after the others had nothing left to steal). The other end-to-end modules are
# dealt out across the shares, whole (a module's fixtures are built once per worker), then the fast tiers
# fill each share to its size: what is stolen last is quick.
LONGEST = ("tests/e2e/test_gameday.py", "tests/e2e/test_faults.py")


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items[:] = dealt(items, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


def dealt(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """`items` in the order whose worksteal shares each start with a long module, then end-to-end
    modules dealt round, then the fast tiers in their order."""
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(module_of(item), []).append(item)
    long = [modules.pop(name) for name in LONGEST if name in modules]
    e2e = [tests for name, tests in modules.items() if name.startswith("tests/e2e/")]
    quick = [tests for name, tests in modules.items() if not name.startswith("tests/e2e/")]
    fast = iter([item for tests in quick for item in tests])
    shares: list[list[pytest.Item]] = [[] for _ in range(max(workers, 1))]
    for i, tests in enumerate(long):
        shares[i % len(shares)] += tests
    for i, tests in enumerate(e2e):
        shares[(len(long) + i) % len(shares)] += tests
    order: list[pytest.Item] = []
    for k, share in enumerate(shares):  # each share as long as worksteal makes it: the pending split evenly
        size = (len(items) - len(order)) // (len(shares) - k)
        order += share + list(itertools.islice(fast, max(size - len(share), 0)))
    return order + list(fast)


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
