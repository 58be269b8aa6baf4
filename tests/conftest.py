"""Fixtures shared by the tiers that talk to the sandbox over HTTP."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

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


# How the collection is shared out among pytest-xdist workers. Worksteal gives each worker a contiguous
# share (the pending tests split evenly by count, in order) and lets an idle worker steal the back half of
# another's queue, so a long test at the front of a share stays on its worker: the end-to-end modules go
# first in the shares, dealt whole (a module's fixtures are built once per worker) longest first to the
# share with the least of them so far, and the fast tiers fill each share to its size (what is stolen last
# is quick). Longest first, the two longest modules open a share each (both in one share ran one after the
# other on one worker, 6 min after the others had nothing left to steal). Round-robin dealing ended one
# worker 40 s after the others (2026-12-07), the fault suite's share carrying as many modules as the others.
#
# Seconds each end-to-end module took on one worker (3 workers on 2 cores, 2026-12-07). Only the order of
# the run depends on them; a module not listed counts E2E_TEST_SECONDS a test.
E2E_SECONDS = {
    "tests/e2e/test_faults.py": 343,
    "tests/e2e/test_gameday.py": 254,
    "tests/e2e/test_lifecycle.py": 78,
    "tests/e2e/test_sentry_lifecycle.py": 75,
    "tests/e2e/test_full_plan.py": 50,
    "tests/e2e/test_review.py": 43,
    "tests/e2e/test_oncall_schedule_lifecycle.py": 42,
    "tests/e2e/test_render_lifecycle.py": 42,
    "tests/e2e/test_secret_scan.py": 41,
    "tests/e2e/test_pagerduty_lifecycle.py": 40,
    "tests/e2e/test_adopt.py": 38,
    "tests/e2e/test_muted_drift.py": 29,
    "tests/e2e/test_watch.py": 28,
    "tests/e2e/test_drill.py": 26,
    "tests/e2e/test_shared_state.py": 26,
    "tests/e2e/test_plan_matches_up.py": 26,
    "tests/e2e/test_bad_input.py": 15,
    "tests/e2e/test_workspaces.py": 11,
    "tests/e2e/test_clear_failures.py": 9,
}
E2E_TEST_SECONDS = 10


def module_of(item: Collected) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items[:] = dealt(items, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


class Collected(Protocol):
    @property
    def nodeid(self) -> str: ...


Dealt = TypeVar("Dealt", bound=Collected)


def dealt(items: list[Dealt], workers: int) -> list[Dealt]:
    """`items` in the order whose worksteal shares each start with their end-to-end modules (whole, each
    to the least loaded share, longest first), then the fast tiers in their order."""
    modules: dict[str, list[Dealt]] = {}
    for item in items:
        modules.setdefault(module_of(item), []).append(item)

    def seconds(name: str) -> float:
        return E2E_SECONDS.get(name, E2E_TEST_SECONDS * len(modules[name]))

    e2e = sorted((n for n in modules if n.startswith("tests/e2e/")), key=seconds, reverse=True)
    quick = [tests for name, tests in modules.items() if not name.startswith("tests/e2e/")]
    fast = iter([item for tests in quick for item in tests])
    shares: list[list[Dealt]] = [[] for _ in range(max(workers, 1))]
    load = [0.0] * len(shares)
    for name in e2e:
        least = load.index(min(load))
        shares[least] += modules[name]
        load[least] += seconds(name)
    order: list[Dealt] = []
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
