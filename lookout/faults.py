"""The fault suite (issue #7): the prod plan deployed by the real engine while the sandbox misbehaves.

The plan is deployed cleanly once (the baseline), and the sandbox's accounts and the stack's state are kept.
A scenario whose faults aim at creates starts from that deployment with the kinds whose creates they aim at
(and what depends on them) destroyed by `pulumi destroy --target`, so that its run creates exactly those;
a scenario that needs the whole plan created (killed half-way, wrong credentials) starts from an empty
account. It injects faults into the four vendors through the control API, runs `pulumi up` (and, where the
scenario is an interrupted run, `lookout recover` then `pulumi up` again) and compares the outcome with the
baseline. The kill points of one vendor make one chain: one destroy makes all their kinds missing, each run
is killed at the next write no run met yet, and one final `up` and refresh preview judge the whole chain
(a kill point costs a killed run and a recovery, not a scenario of its own). In the end, every declared
object exists exactly once (duplicates 0, lost 0), a refresh preview finds nothing to change and no
pending operation is left. `python -m lookout faults` prints the report; tests/e2e/test_faults.py asserts it.

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
    killed: int = 0  # runs SIGKILLed (each then recovered)


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
        # Faults are under test here, not the free plan's pace (the benchmark measures that): a chain of
        # killed runs writes one Render service more than 10 times a minute.
        self.sandbox.control("PUT", "/uptimerobot/settings", json={"rateLimit": 600})
        self.sandbox.control("PUT", "/render/settings", json={"serviceRateLimit": 600, "writeRateLimit": 600})

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
        writes += list(scenario.kill_after)
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
        attempt = _Attempt(self, scenario, workspace)
        runs, ok, notes = 1, attempt.run(first=True), attempt.notes
        while not ok and runs <= scenario.recoveries:
            self.sandbox.control("DELETE", "/faults")  # the outage is over
            recovery = recover.recover(_runner(workspace), STACK, workspace.state_dir / "backend")
            notes.append(recovery.summary())
            runs += 1
            ok = attempt.run(first=False)
        requests = self.requests()
        faults = len(attempt.met) if scenario.kill_after else self._faults_hit()
        notes += [f"never met: {' '.join(point)}" for point in attempt.unmet]
        outcome = self._verdict(scenario, workspace, ok, runs, requests, faults, started, notes)
        outcome.killed = attempt.killed
        outcome.survived = outcome.survived and not attempt.unmet
        return outcome

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


class _Attempt:
    """The runs of one scenario. The first may be killed at a share of a clean run's requests; each run is
    killed while the first write of `kill_after` that no earlier run met is applied, its answer held (the
    sandbox's `hold` fault, one per write not yet met: the one taken is the one met)."""

    def __init__(self, suite: Suite, scenario: Scenario, workspace: Workspace) -> None:
        self.suite, self.scenario, self.workspace = suite, scenario, workspace
        self.unmet = list(scenario.kill_after)
        self.met: list[tuple[str, str, str]] = []
        self.killed = 0
        self.notes: list[str] = []  # where each run was killed, and each recovery's summary

    def run(self, first: bool) -> bool:
        """True when the run succeeded; False when it failed or was killed."""
        kill_at = self.scenario.kill_at if first else None
        if kill_at is None and not self.unmet:
            return self.workspace.pulumi(*UP, check=False).returncode == 0
        for vendor, method, route in self.unmet:
            self.suite.sandbox.control("POST", "/faults", json=fault(vendor, "hold", 1, (method, route)))
        threshold = max(1, int(self.suite.baseline_requests * kill_at)) if kill_at is not None else 0
        process = self.workspace.start(*UP)
        while process.poll() is None and not self._reached(threshold):
            time.sleep(0.02)
        finished = process.poll() is not None
        if not finished:
            _kill(process)
            self.killed += 1
        met = self._note_met()  # read once the run is dead: no answer can be held after this
        self.suite.sandbox.control("DELETE", "/faults")  # the held answers leave, to nobody
        if not finished:
            at = ", ".join(" ".join(point[1:]) for point in met)
            self.notes.append(f"killed at {at}" if at else f"killed after {threshold} requests")
        return finished and process.returncode == 0  # finished before any kill: nothing to recover

    def _reached(self, threshold: int) -> bool:
        if threshold:
            return self.suite.requests() >= threshold
        return len(self._waiting()) < len(self.unmet)

    def _waiting(self) -> list[tuple[str, str, str]]:
        """The writes whose hold still waits for its request."""
        pending = self.suite.sandbox.control("GET", "/faults").json()["faults"]
        return [(f["vendor"], f["method"], f["path"]) for f in pending if f["kind"] == "hold"]

    def _note_met(self) -> list[tuple[str, str, str]]:
        waiting = self._waiting()
        met = [point for point in self.unmet if point not in waiting]
        self.met += met
        self.unmet = [point for point in self.unmet if point in waiting]
        return met


def _kill(process: Any) -> None:
    """SIGKILL `pulumi up` and every process under it (engine, language host, program, providers)."""
    import psutil  # a dev dependency: only the suite kills processes

    root = psutil.Process(process.pid)
    for victim in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            victim.kill()
    process.wait()


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
