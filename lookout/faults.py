"""The fault suite (issue #7): the prod plan deployed by the real engine while the sandbox misbehaves.

The plan is deployed cleanly once (the baseline), and the sandbox's accounts and the stack's state are kept.
A scenario whose faults aim at creates starts from that deployment with the kinds whose creates they aim at
(and what depends on them) destroyed by `pulumi destroy --target`, so that its run creates exactly those;
a scenario that needs the whole plan created (killed half-way, wrong credentials) starts from an empty
account. It injects faults into the four vendors through the control API, runs `pulumi up` (and, where the
scenario is an interrupted run, `lookout recover` then `pulumi up` again) and compares the outcome with the
baseline: every declared object exists exactly once (duplicates 0, lost 0), a refresh preview finds nothing
to change and no pending operation is left. `python -m lookout faults` prints the report;
tests/e2e/test_faults.py asserts it.

Runs use `up --skip-preview`: the preview step sends no vendor request (the benchmark's previews count
0 requests), so faults and kill points meet the same requests, and the suite does not pay for it.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import sandbox_process, sandbox_seed
from harness.sandbox_process import SandboxProcess, sandbox_settings
from harness.workspace import Workspace
from providers import registry

from . import printer, recover
from .exits import Exit
from .fault_scenarios import PLAN_EXTRAS, SCENARIOS, STACK, VENDORS, Scenario, fault, vendor_of

UP = ("up", "--yes", "--skip-preview")


def shape(route: str) -> str:
    """A route template with its parameters unnamed: the sandbox's `{id}` is the spec's `{serviceId}`."""
    return re.sub(r"\{[^{}/]*\}", "{}", route)


@dataclass
class Outcome:
    scenario: str
    survived: bool
    runs: int
    requests: int
    faults: int
    duplicates: int
    lost: int
    seconds: float
    detail: str = ""


def inventory(sandbox: SandboxProcess) -> Counter[str]:
    """Every object of the account by what tells it from its peers: names stable from one run to the next,
    as each sandbox collection declares them (`GET /_control/inventory`)."""
    return Counter(sandbox.control("GET", "/inventory").json())


def compare(baseline: Counter[str], now: Counter[str]) -> tuple[int, int, list[str]]:
    """(duplicates, lost, what differs)."""
    duplicates = sum(max(0, now[k] - baseline[k]) for k in now)
    lost = sum(max(0, baseline[k] - now[k]) for k in baseline)
    differs = [
        f"{k}: {baseline[k]} -> {now[k]}" for k in sorted(set(baseline) | set(now)) if baseline[k] != now[k]
    ]
    return duplicates, lost, differs


class Suite:
    """Runs scenarios against one sandbox, each in a fresh workspace under `workdir`."""

    def __init__(self, sandbox: SandboxProcess, workdir: Path) -> None:
        self.sandbox = sandbox
        self.workdir = workdir
        self.baseline: Counter[str] = Counter()
        self.seeded: Counter[str] = Counter()  # the account before the baseline's run: people, services
        self.baseline_requests = 0
        self.baseline_writes: set[tuple[str, str, str]] = set()  # (vendor, method, route shape)
        self.deployed: list[tuple[str, str]] = []  # (kind, urn) of every resource of the baseline
        self.snapshot: dict[str, Any] = {}  # the sandbox's accounts with the baseline deployed

    def reset(self) -> None:
        self.sandbox.control("POST", "/reset")
        # Faults are under test here, not the free plan's pace (the benchmark measures that).
        self.sandbox.control("PUT", "/uptimerobot/settings", json={"rateLimit": 600})

    def workspace(self, name: str, scenario: Scenario | None = None, fresh: bool = True) -> Workspace:
        directory = self.workdir / name
        if fresh:
            shutil.rmtree(directory, ignore_errors=True)
        workspace = Workspace(directory, STACK)
        settings = sandbox_settings(self.sandbox, STACK)
        if scenario is not None:
            settings["secrets"] = {**settings["secrets"], **scenario.secrets}
        overrides = {**PLAN_EXTRAS, **(scenario.config if scenario else {})}
        sandbox_seed.seed(self.sandbox, workspace.prepare(**settings, overrides=overrides))
        self.sandbox.control("DELETE", "/requests")
        return workspace

    def requests(self) -> int:
        return int(self.sandbox.control("GET", "/requests").json()["total"])

    def measure_baseline(self) -> None:
        self.reset()
        workspace = self.workspace("baseline")
        self.seeded = inventory(self.sandbox)
        workspace.pulumi(*UP)
        self.baseline_requests = self.requests()
        routes = self.sandbox.control("GET", "/requests").json()["byRoute"]
        self.baseline_writes = {
            (vendor, method, shape(route))
            for vendor, method, route in (key.split(" ", 2) for key in routes)
            if method != "GET"
        }
        self.baseline = inventory(self.sandbox)
        self.snapshot = self.sandbox.control("GET", "/snapshot").json()
        state = json.loads(workspace.pulumi("stack", "export").stdout)
        self.deployed = [(registry.kind_of(r["type"]), r["urn"]) for r in state["deployment"]["resources"]]

    def aimed_at(self, scenario: Scenario) -> list[str]:
        """The kinds whose creates the scenario's faults or kill point aim at (writes only)."""
        writes = [(f["vendor"], f["method"], f["path"]) for f in scenario.faults if f.get("path")]
        writes += [scenario.kill_after] if scenario.kill_after else []
        aimed = {(vendor, method, shape(path)) for vendor, method, path in writes if method != "GET"}
        return [
            kind
            for kind, spec in registry.specs().items()
            if any((vendor_of(kind), method, shape(path)) in aimed for method, path in spec.creates)
        ]

    def start(self, scenario: Scenario) -> Workspace:
        """The scenario's workspace, its sandbox ready: the baseline without the kinds the scenario aims
        at, or an empty account when it aims at no create (or must create the whole plan)."""
        kinds = [] if scenario.kill_at is not None or scenario.must_fail else self.aimed_at(scenario)
        if not kinds:
            self.reset()
            return self.workspace(scenario.name, scenario)
        self.sandbox.control("PUT", "/snapshot", json=self.snapshot)
        directory = self.workdir / scenario.name
        shutil.rmtree(directory, ignore_errors=True)
        shutil.copytree(self.workdir / "baseline", directory)
        workspace = self.workspace(scenario.name, scenario, fresh=False)
        targets = [arg for kind, urn in self.deployed if kind in kinds for arg in ("--target", urn)]
        workspace.pulumi("destroy", "--yes", "--skip-preview", "--target-dependents", *targets)
        self.sandbox.control("DELETE", "/requests")
        return workspace

    def run(self, scenario: Scenario) -> Outcome:
        if not self.baseline:
            self.measure_baseline()
        workspace = self.start(scenario)
        for spec in scenario.faults:
            self.sandbox.control("POST", "/faults", json=spec)
        started = time.monotonic()
        if scenario.must_fail:
            return self._expect_clean_failure(scenario, workspace, started)
        runs, ok, notes = 1, self._first_run(scenario, workspace), []
        while not ok and runs <= scenario.recoveries:
            self.sandbox.control("DELETE", "/faults")  # the outage is over
            recovery = recover.recover(_runner(workspace), STACK, workspace.state_dir / "backend")
            notes.append(recovery.summary())
            runs += 1
            ok = workspace.pulumi(*UP, check=False).returncode == 0
        requests = self.requests()
        faults = self._faults_hit()
        return self._verdict(scenario, workspace, ok, runs, requests, faults, started, notes)

    def _first_run(self, scenario: Scenario, workspace: Workspace) -> bool:
        if scenario.kill_at is None and scenario.kill_after is None:
            return workspace.pulumi(*UP, check=False).returncode == 0
        import psutil  # a dev dependency: only the suite kills processes

        if scenario.kill_after is not None:
            vendor, method, route = scenario.kill_after
            self.sandbox.control("POST", "/faults", json=fault(vendor, "hold", 1, (method, route)))
        process = workspace.start(*UP)
        while not self._kill_point_reached(scenario) and process.poll() is None:
            time.sleep(0.02)
        if process.poll() is not None:
            return process.returncode == 0  # finished before the kill: nothing to recover
        root = psutil.Process(process.pid)
        for victim in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                victim.kill()
        process.wait()
        self.sandbox.control("DELETE", "/faults")  # the held answer leaves, to nobody
        return False

    def _kill_point_reached(self, scenario: Scenario) -> bool:
        if scenario.kill_at is not None:
            return self.requests() >= max(1, int(self.baseline_requests * scenario.kill_at))
        return any(entry.get("fault") == "hold" for entry in self.sandbox.control("GET", "/log").json())

    def _verdict(
        self,
        scenario: Scenario,
        workspace: Workspace,
        ok: bool,
        runs: int,
        requests: int,
        faults: int,
        started: float,
        notes: list[str],
    ) -> Outcome:
        duplicates, lost, differs = compare(self.baseline, inventory(self.sandbox))
        converged = (
            ok
            and workspace.pulumi("preview", "--refresh", "--expect-no-changes", check=False).returncode == 0
        )
        exported = json.loads(workspace.pulumi("stack", "export").stdout)
        pending = len(exported["deployment"].get("pending_operations") or [])
        survived = converged and pending == 0 and duplicates == 0 and lost == 0
        detail = "; ".join(
            [*notes, *([f"{pending} pending operation(s) left"] if pending else []), *differs[:5]]
            + ([] if converged else ["did not converge"])
        )
        return Outcome(
            scenario.name,
            survived,
            runs,
            requests,
            faults,
            duplicates,
            lost,
            time.monotonic() - started,
            detail,
        )

    def _expect_clean_failure(self, scenario: Scenario, workspace: Workspace, started: float) -> Outcome:
        before = inventory(self.sandbox)
        result = workspace.pulumi(*UP, "--continue-on-error", check=False)
        output = result.stdout + result.stderr
        log = self.sandbox.control("GET", "/log").json()
        refused = Counter(e["vendor"] for e in log if e["status"] == 401)
        # No storm: once a vendor said 401, no new call goes out; at most the engine's 4 in flight meet it.
        stormed = [vendor for vendor, n in refused.items() if n > 4]
        vendors_named = all(re.search(rf"{v}: \w+ \S+ failed \(HTTP 401\)", output) for v in VENDORS)
        leaked = [name for name, value in scenario.secrets.items() if value in output]
        created, _, _ = compare(before, inventory(self.sandbox))  # nothing may be written
        survived = result.returncode != 0 and vendors_named and not (stormed or leaked or created)
        detail = (
            f"401 answers per vendor: {dict(refused)}; "
            f"vendors named: {vendors_named}; credentials echoed: {leaked or 'none'}"
        )
        seconds = time.monotonic() - started
        return Outcome(scenario.name, survived, 1, len(log), 0, created, 0, seconds, detail)

    def _faults_hit(self) -> int:
        return sum(1 for entry in self.sandbox.control("GET", "/log").json() if entry.get("fault"))


def _runner(workspace: Workspace) -> recover.Runner:
    def run(*args: str, stack: str) -> Any:
        return workspace.pulumi(*args, check=False)

    return run


def report(outcomes: list[Outcome]) -> str:
    lines = [
        "| scenario | result | runs | requests | faults hit | duplicates | lost | seconds |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        result = "survived" if o.survived else "FAILED"
        lines.append(
            f"| {o.scenario} | {result} | {o.runs} | {o.requests} | {o.faults} | {o.duplicates} | {o.lost} "
            f"| {o.seconds:.1f} |"
        )
    survived = sum(o.survived for o in outcomes)
    lines.append("")
    duplicates, lost = sum(o.duplicates for o in outcomes), sum(o.lost for o in outcomes)
    lines.append(f"{len(outcomes)} scenarios run, {survived} survived; duplicates {duplicates}, lost {lost}")
    lines += [f"- {o.scenario}: {o.detail}" for o in outcomes if o.detail]
    return "\n".join(lines)


def main(only: list[str] | None = None) -> int:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lookout-faults-") as scratch:
        sandbox = sandbox_process.start(Path(scratch) / "sandbox.db", log=Path(scratch) / "sandbox.log")
        try:
            suite = Suite(sandbox, Path(scratch))
            outcomes = []
            for scenario in SCENARIOS:
                if only and scenario.name not in only:
                    continue
                outcomes.append(suite.run(scenario))
                printer.progress(f"{scenario.name}: {'survived' if outcomes[-1].survived else 'FAILED'}")
        finally:
            sandbox.stop()
    printer.result(report(outcomes))
    return Exit.OK if all(o.survived for o in outcomes) else Exit.FAILED
