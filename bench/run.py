"""`make bench`: Lookout against the sandbox with the vendors' free-plan limits, at N = 10, 100 and 500.

For each N (N UptimeRobot monitors, N Sentry metric monitors, N Render env vars):
1. engine overhead: with rate limits lifted, `pulumi up` of the Lookout program and of the same resources
   of a no-op dynamic provider (bench/noop.py), each from an empty stack; the ratio of their wall times, and
   the sandbox's own share of Lookout's: its server time over the up's requests (GET /_control/timings),
   which real vendors spend on their side (the ratio without it is Lookout's time apart from the sandbox's).
   A shared machine's speed drifts by more than the margin looked for, so this is measured `--repeat`
   times as interleaved pairs (Lookout first, then the no-op first, and so on) and reported as the median
   ratio of a pair with the lowest and highest; `--only overhead` measures this alone;
2. free-plan limits on (UptimeRobot 10 requests/min, Render 30 writes/min, Sentry 40/s per route):
   `pulumi up`, a no-change `pulumi preview`, `pulumi refresh` and `pulumi destroy`, with requests per
   vendor, 429 answers, wall time and the dynamic-provider process's peak memory;
3. the rate-limit floor: `pulumi up` of the N monitors alone, whose R requests need (ceil(R/10) - 1) full
   UptimeRobot windows at the very least; the ratio of the up's time to that floor.
A free plan's minute is long: both the sandbox and the provider run on a clock `--scale` times faster
(LOOKOUT_TIME_SCALE), and times under limits are reported in virtual seconds (wall x scale).
Writes bench/results/benchmark.{md,json,png} (`--only overhead`: bench/results/overhead.{md,json}).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from harness import sandbox_process
from harness.paths import REPO
from harness.sandbox_process import sandbox_settings
from harness.workspace import Workspace

BENCH = REPO / "bench"
RESULTS = BENCH / "results"
STACK = "bench"
UPTIMEROBOT_LIMIT, WINDOW = 10, 60.0  # free plan: requests per minute
NO_LIMITS = {
    "/uptimerobot/settings": {"rateLimit": 100000},
    "/sentry/settings": {"rateLimit": 100000},
    "/render/settings": {"serviceRateLimit": 100000, "writeRateLimit": 100000, "readRateLimit": 100000},
}
FREE_PLAN = {
    "/uptimerobot/settings": {"rateLimit": None},
    "/sentry/settings": {"rateLimit": None},
    "/render/settings": {"serviceRateLimit": None, "writeRateLimit": None, "readRateLimit": None},
}


@dataclass
class Phase:
    name: str
    wall: float
    virtual: float
    requests: dict[str, int]
    throttled: int
    peak_mb: float


@dataclass
class Pair:
    """One Lookout up and one no-op up, measured one right after the other."""

    lookout_up: float
    noop_up: float
    sandbox_up: float  # the sandbox's server time over the Lookout up's requests, seconds
    sandbox_median_ms: float  # per request
    contract_median_ms: float  # the contract check's part of it

    @property
    def overhead(self) -> float:
        return self.lookout_up / self.noop_up

    @property
    def overhead_apart(self) -> float:
        """Lookout's up without the sandbox's server time, over the no-op's."""
        return (self.lookout_up - self.sandbox_up) / self.noop_up


@dataclass
class Result:
    n: int
    resources: int
    pairs: list[Pair]
    phases: list[Phase] = field(default_factory=list)
    monitors_up: float = 0.0  # virtual seconds of the monitors-only up
    floor: float = 0.0

    def median(self, value: str) -> float:
        return statistics.median(getattr(p, value) for p in self.pairs)

    def spread(self, value: str) -> str:
        """`median` or `median (lowest-highest)` of a ratio over the pairs."""
        values = [getattr(p, value) for p in self.pairs]
        if len(values) == 1:
            return f"{values[0]:.2f}x"
        return f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"

    @property
    def overhead(self) -> float:
        return self.median("overhead")

    @property
    def overhead_apart(self) -> float:
        return self.median("overhead_apart")

    @property
    def floor_ratio(self) -> float | None:
        return self.monitors_up / self.floor if self.floor else None


class PeakMemory(threading.Thread):
    """Polls the dynamic-provider processes under `pid` for their peak resident memory (VmHWM)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        import psutil

        while not self.done.wait(0.1):
            try:
                children = psutil.Process(self.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                return
            for child in children:
                try:
                    if "pulumi.dynamic" in " ".join(child.cmdline()):
                        self.peak_kb = max(self.peak_kb, _vm_hwm(child.pid))
                except (psutil.NoSuchProcess, psutil.AccessDenied, OSError):
                    continue


def _vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class Bench:
    def __init__(self, sandbox: sandbox_process.SandboxProcess, workdir: Path, scale: float) -> None:
        self.sandbox, self.workdir, self.scale = sandbox, workdir, scale

    def limits(self, settings: dict[str, dict[str, Any]], monitors: int) -> None:
        for path, body in settings.items():
            self.sandbox.control("PUT", path, json=body)
        self.sandbox.control("PUT", "/uptimerobot/settings", json={"monitorLimit": monitors})

    def workspace(
        self, name: str, n: int, mode: str, vendors: str = "uptimerobot,sentry,render"
    ) -> Workspace:
        directory = self.workdir / name
        shutil.rmtree(directory, ignore_errors=True)
        workspace = Workspace(directory, STACK, env={"PYTHONPATH": str(REPO)})
        overrides = {"bench:count": n, "bench:mode": mode, "bench:vendors": vendors}
        workspace.prepare(**sandbox_settings(self.sandbox, "dev"), overrides=overrides, inherit=False)
        return workspace

    def timed(self, workspace: Workspace, *args: str) -> tuple[float, float]:
        """(wall seconds, provider peak MB) of one `pulumi` command, which must succeed."""
        started = time.monotonic()
        process = workspace.start(*args, cwd=BENCH)
        watcher = PeakMemory(process.pid)
        watcher.start()
        code = process.wait()
        watcher.done.set()
        watcher.join()
        if code != 0:
            result = workspace.pulumi(*args, check=False, cwd=BENCH)  # once more, to show why
            raise RuntimeError(
                f"pulumi {' '.join(args)} exited {code}:\n{result.stdout[-3000:]}{result.stderr}"
            )
        return time.monotonic() - started, watcher.peak_kb / 1024

    def counts(self) -> tuple[dict[str, int], int]:
        counted = self.sandbox.control("GET", "/requests").json()
        per_vendor: dict[str, int] = {}
        for route, n in counted["byRoute"].items():
            vendor = route.split(" ", 1)[0]
            per_vendor[vendor] = per_vendor.get(vendor, 0) + n
        throttled = sum(n for key, n in counted["byStatus"].items() if key.endswith(" 429"))
        return per_vendor, throttled

    def pair(self, n: int, lookout_first: bool) -> Pair:
        """Lookout's up and the no-op's, each from an empty stack, in the order given."""
        ups: dict[str, float] = {}
        timings: dict[str, Any] = {}
        for mode in ("lookout", "noop") if lookout_first else ("noop", "lookout"):
            self.sandbox.control("POST", "/reset")
            self.limits(NO_LIMITS, n + 10)
            workspace = self.workspace(f"{mode}-{n}", n, mode)
            self.sandbox.control("DELETE", "/timings")
            ups[mode], _ = self.timed(workspace, "up", "--yes", "--skip-preview")
            if mode == "lookout":
                timings = self.sandbox.control("GET", "/timings").json()
        server, contract = timings["server"], timings["contract"]
        return Pair(
            ups["lookout"], ups["noop"], server["totalMs"] / 1000, server["medianMs"], contract["medianMs"]
        )

    def run(self, n: int, repeat: int, only_overhead: bool) -> Result:
        result = Result(n, 3 * n, [self.pair(n, lookout_first=i % 2 == 0) for i in range(repeat)])
        if only_overhead:
            return result

        self.sandbox.control("POST", "/reset")
        self.limits(FREE_PLAN, n + 10)
        limited = self.workspace(f"limited-{n}", n, "lookout")
        for name, args in (
            ("up", ("up", "--yes", "--skip-preview")),
            ("preview", ("preview", "--expect-no-changes")),
            ("refresh", ("refresh", "--yes", "--skip-preview")),
            ("destroy", ("destroy", "--yes", "--skip-preview")),
        ):
            self.sandbox.control("DELETE", "/requests")
            wall, peak = self.timed(limited, *args)
            requests, throttled = self.counts()
            result.phases.append(Phase(name, wall, wall * self.scale, requests, throttled, peak))

        self.sandbox.control("POST", "/reset")
        self.limits(FREE_PLAN, n + 10)
        self.sandbox.control("DELETE", "/requests")
        monitors = self.workspace(f"monitors-{n}", n, "lookout", "uptimerobot")
        wall, _ = self.timed(monitors, "up", "--yes", "--skip-preview")
        requests, _ = self.counts()
        result.monitors_up = wall * self.scale
        result.floor = max(0, math.ceil(requests.get("uptimerobot", 0) / UPTIMEROBOT_LIMIT) - 1) * WINDOW
        return result


def overhead_table(results: list[Result]) -> str:
    lines = [
        "| N | resources | up, Lookout (s) | up, no-op (s) | engine overhead | sandbox server time (s) "
        "| sandbox median / contract median (ms) | overhead apart from the sandbox |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        ups = f"{r.median('lookout_up'):.1f} | {r.median('noop_up'):.1f}"
        sandbox = (
            f"{r.median('sandbox_up'):.1f} | {r.median('sandbox_median_ms'):.1f} / "
            f"{r.median('contract_median_ms'):.1f}"
        )
        lines.append(
            f"| {r.n} | {r.resources} | {ups} | {r.spread('overhead')} | {sandbox} "
            f"| {r.spread('overhead_apart')} |"
        )
    repeats = sorted({len(r.pairs) for r in results})
    lines += [
        "",
        f"Medians of {'/'.join(map(str, repeats))} interleaved pairs per N; a ratio as median (low-high).",
    ]
    return "\n".join(lines)


def table(results: list[Result], scale: float) -> str:
    lines = [
        f"Free-plan limits on; virtual seconds = wall seconds x {scale:g} (LOOKOUT_TIME_SCALE).",
        "",
        "| N | phase | requests (UptimeRobot / Sentry / Render) | 429s | wall s | virtual s | peak MB |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        for p in r.phases:
            req = " / ".join(str(p.requests.get(v, 0)) for v in ("uptimerobot", "sentry", "render"))
            times = f"{p.wall:.1f} | {p.virtual:.0f}"
            lines.append(f"| {r.n} | {p.name} | {req} | {p.throttled} | {times} | {p.peak_mb:.0f} |")
    lines += ["", "| N | N monitors alone: up vs the rate-limit floor |", "|---:|---:|"]
    for r in results:
        floor = f"{r.floor_ratio:.2f}x ({r.monitors_up:.0f} / {r.floor:.0f} s)" if r.floor_ratio else "n/a"
        lines.append(f"| {r.n} | {floor} |")
    return "\n".join([*lines, "", overhead_table(results)])


def plot(results: list[Result], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns = [r.n for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for phase in ("up", "preview", "refresh", "destroy"):
        times = [next(p.virtual for p in r.phases if p.name == phase) for r in results]
        sent = [sum(next(p.requests for p in r.phases if p.name == phase).values()) for r in results]
        left.plot(ns, times, marker="o", label=phase)
        right.plot(ns, sent, marker="o", label=phase)
    left.plot(ns, [r.monitors_up for r in results], marker="s", color="black", label="up, monitors only")
    left.plot(ns, [r.floor for r in results], linestyle="--", color="grey", label="rate-limit floor")
    for axis, title, unit in (
        (left, "time under free-plan limits", "virtual seconds"),
        (right, "requests", "requests"),
    ):
        axis.set_xscale("log")
        axis.set_yscale("symlog", linthresh=1)
        axis.set_ylim(bottom=0)
        axis.set_xlabel("N (monitors; as many Sentry monitors and Render env vars)")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.legend()
        axis.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def _result(saved: dict[str, Any]) -> Result:
    derived = ("overhead", "overhead_apart", "floor_ratio", "phases", "pairs")
    fields = {k: v for k, v in saved.items() if k not in derived}
    pairs = [Pair(**{k: v for k, v in p.items() if k not in derived}) for p in saved["pairs"]]
    return Result(**fields, pairs=pairs, phases=[Phase(**p) for p in saved["phases"]])


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--scale", type=float, default=10.0, help="clock speed-up under rate limits")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved pairs for the engine overhead")
    parser.add_argument("--only", choices=["overhead"], help="measure the engine overhead alone")
    parser.add_argument("--replot", action="store_true", help="only redraw the plot from benchmark.json")
    args = parser.parse_args()
    if args.replot:
        plot(
            [_result(r) for r in json.loads((RESULTS / "benchmark.json").read_text())],
            RESULTS / "benchmark.png",
        )
        return 0
    os.environ["LOOKOUT_TIME_SCALE"] = f"{args.scale:g}@{time.time():.0f}"  # sandbox and provider share it
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="lookout-bench-") as scratch:
        sandbox = sandbox_process.start(Path(scratch) / "sandbox.db", log=Path(scratch) / "sandbox.log")
        try:
            bench = Bench(sandbox, Path(scratch), args.scale)
            for n in args.sizes:
                results.append(bench.run(n, args.repeat, args.only == "overhead"))
                print(f"N={n}: done", flush=True)
        finally:
            sandbox.stop()
    name = "overhead" if args.only else "benchmark"
    text = overhead_table(results) if args.only else table(results, args.scale)
    (RESULTS / f"{name}.md").write_text(text + "\n")
    payload = [
        {**asdict(r), "overhead": r.overhead, "overhead_apart": r.overhead_apart}
        | {"floor_ratio": r.floor_ratio}
        for r in results
    ]
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
    if not args.only:
        plot(results, RESULTS / "benchmark.png")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
