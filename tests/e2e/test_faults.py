"""The fault suite through the real engine (issue #7): every scenario survived, 0 duplicates, 0 lost.

Scenarios live in lookout/fault_scenarios.py (also `python -m lookout faults`); the report is
printed at the end of the pytest run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

import pytest

from harness.sandbox_process import SandboxProcess
from lookout.fault_scenarios import KILL_POINTS, NOT_IN_PLAN, SCENARIOS, Scenario, vendor_of
from lookout.faults import Suite, compare, inventory, shape
from providers import registry


@pytest.fixture(scope="module")
def suite(sandbox: SandboxProcess, tmp_path_factory: pytest.TempPathFactory) -> Suite:
    suite = Suite(sandbox, tmp_path_factory.mktemp("faults"))
    suite.measure_baseline()
    assert suite.baseline and suite.baseline_requests > 0
    return suite


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_is_survived(suite: Suite, scenario: Scenario, sandbox: SandboxProcess, record_property):
    outcome = suite.run(scenario)
    record_property("fault_outcome", asdict(outcome))  # the report at the end (tests/conftest.py)
    violations = sandbox.control("GET", "/violations").json()
    assert violations["total"] == 0, f"requests that break the vendors' specs: {violations['items']}"
    assert outcome.survived, outcome.detail
    assert (outcome.duplicates, outcome.lost) == (0, 0)
    if scenario.faults:
        assert outcome.faults > 0, "the injected faults never fired"
    if scenario.kill_after:  # every write met by a run killed there (two may be met by one run)
        assert outcome.faults == len(scenario.kill_after) and 1 <= outcome.killed <= outcome.faults
        assert outcome.runs == 1 + outcome.killed, "runs: expected one more run than were killed"
    else:
        assert outcome.runs == 1 + scenario.recoveries, "runs: expected a first run plus each recovery"
        assert outcome.killed == (1 if scenario.kill_at is not None else 0)


def test_runs_are_killed_at_every_kind_of_write_a_clean_run_sends(suite: Suite):
    """The specs' declared creates (KILL_POINTS) are exactly the writes of a clean run, each met by a
    scenario's run, and the plan makes every kind that has creates but those NOT_IN_PLAN names."""
    assert suite.baseline_writes == {(vendor, method, shape(path)) for vendor, method, path in KILL_POINTS}
    killed_at = [point for scenario in SCENARIOS for point in scenario.kill_after]
    assert sorted(killed_at) == sorted(KILL_POINTS)
    with_creates = {kind for kind, spec in registry.specs().items() if spec.creates}
    assert {kind for kind, _ in suite.deployed} & with_creates == with_creates - set(NOT_IN_PLAN)


def test_the_inventory_holds_every_object_the_plan_creates(suite: Suite):
    """The suite counts what each sandbox collection names (`Controlled.names`): an object of a kind whose
    collection named nothing would go uncounted, its duplicates and losses unseen."""
    made = Counter(
        vendor_of(kind)
        for kind, _ in suite.deployed
        if (spec := registry.spec_of(kind)) and spec.creates and not spec.configures_existing
    )
    counted = Counter(name.split(" ", 1)[0] for name in (suite.baseline - suite.seeded).elements())
    assert counted == made and sum(made.values()) > 0


def test_a_duplicate_and_a_lost_object_are_counted(suite: Suite, sandbox: SandboxProcess):
    sandbox.control("PUT", "/snapshot", json=suite.snapshot)  # the baseline; each scenario starts afresh
    monitor = sandbox.control("GET", "/uptimerobot/monitors").json()[0]
    twin = {k: monitor[k] for k in ("type", "friendlyName", "url", "interval", "timeout")}
    sandbox.control("POST", "/uptimerobot/monitors", json=twin)
    window = sandbox.control("GET", "/uptimerobot/maintenance-windows").json()[0]
    sandbox.control("DELETE", f"/uptimerobot/maintenance-windows/{window['id']}")
    duplicates, lost, differs = compare(suite.baseline, inventory(sandbox))
    assert (duplicates, lost) == (1, 1)
    assert differs == sorted(
        [
            f"uptimerobot maintenance-windows {window['name']}: 1 -> 0",
            f"uptimerobot monitors {monitor['type']} {monitor['friendlyName']}: 1 -> 2",
        ]
    )
