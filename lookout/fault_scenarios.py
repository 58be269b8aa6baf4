"""The fault suite's scenarios: what each injects into the sandbox, or where it kills `pulumi up`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from providers import registry

STACK = "prod"  # the plan that uses every vendor: prod pages, through the on-call PagerDuty objects
VENDORS = ("uptimerobot", "sentry", "render", "pagerduty")
# Kinds with creates that the plan never makes, and where their creates are exercised instead.
NOT_IN_PLAN = {
    "pagerduty:MaintenanceWindow": "the plan's windows are UptimeRobot's "
    "(tests/e2e/test_oncall_schedule_lifecycle.py runs this kind's lifecycle)",
}
# Each vendor's create that the bursts below aim at: a kind every plan makes.
WRITE = {
    vendor: registry.spec_of(kind).creates[0]
    for vendor, kind in (
        ("uptimerobot", "uptimerobot:Monitor"),
        ("sentry", "sentry:MetricMonitor"),
        ("render", "render:EnvVar"),
        ("pagerduty", "pagerduty:Service"),
    )
}


def vendor_of(kind: str) -> str:
    return kind.partition(":")[0]


# Every kind of write the plan's creates send, as each spec declares them (`ResourceSpec.creates`), in the
# order a create sends them: a run killed while any one of them is applied but unanswered must converge
# through `recover` and a rerun (issue #12). A test checks that a clean run sends exactly these.
KILL_POINTS = tuple(
    dict.fromkeys(
        (vendor_of(kind), method, path)
        for kind, spec in registry.specs().items()
        if kind not in NOT_IN_PLAN
        for method, path in spec.creates
    )
)
# The prod plan plus a weekly maintenance window, so that every UptimeRobot kind the plans use is deployed.
PLAN_EXTRAS = {
    "lookout:maintenance_windows": [
        {
            "name": "deploys",
            "interval": "weekly",
            "date": "2026-01-05",
            "time": "03:00:00",
            "duration": 30,
            "days": [1],
        }
    ]
}
# Creates the API refuses to repeat, and the listing only their recovery reads: a lost answer there with
# the listing failing leaves an object the run never learnt about, deterministically.
UNRECORDED = {
    "uptimerobot": (registry.spec_of("uptimerobot:Integration").creates[0], ("GET", "/integrations")),
    "sentry": (registry.spec_of("sentry:Project").creates[0], ("GET", "/organizations/{org}/projects/")),
    "pagerduty": (registry.spec_of("pagerduty:Service").creates[0], ("GET", "/services")),
}
WRONG = {
    "uptimerobot:apiKey": "u-wrong-0123456789abcdef",
    "sentry:authToken": "s-wrong-0123456789abcdef",
    "render:apiKey": "r-wrong-0123456789abcdef",
    "pagerduty:token": "p-wrong-0123456789abcdef",
}


def fault(
    vendor: str, kind: str, count: int, route: tuple[str, str] | None = None, **extra: Any
) -> dict[str, Any]:
    spec: dict[str, Any] = {"vendor": vendor, "kind": kind, "count": count, **extra}
    if route:
        spec["method"], spec["path"] = route
    return spec


def everywhere(*make: Callable[[str], dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    return tuple(m(vendor) for vendor in VENDORS for m in make)


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    faults: tuple[dict[str, Any], ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    kill_at: float | None = None  # kill `pulumi up` after this share of a clean run's requests
    # Writes (vendor, method, route) to kill runs at: each run is killed while the first of those not yet
    # met is applied but unanswered, then `lookout recover` and the next run, until a run meets none.
    kill_after: tuple[tuple[str, str, str], ...] = ()
    recoveries: int = 0  # `lookout recover` + `pulumi up` rounds allowed after the first run
    must_fail: bool = False  # the first run must fail, cleanly


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "rate-limit-bursts",
        "429 bursts with each vendor's rate-limit headers, on any route and on creates",
        everywhere(
            lambda v: fault(v, "429", 4, retryAfter=1),
            lambda v: fault(v, "429", 2, WRITE[v], retryAfter=1),
        ),
    ),
    Scenario(
        "server-errors",
        "500 and 503 bursts, on any route and on creates",
        everywhere(lambda v: fault(v, "500", 2), lambda v: fault(v, "503", 2, WRITE[v])),
    ),
    Scenario(
        "dropped-connections",
        "connections closed before the request is applied",
        everywhere(lambda v: fault(v, "drop", 2), lambda v: fault(v, "drop", 2, WRITE[v])),
    ),
    Scenario(
        "slow-responses",
        "creates applied but answered after the client's 2 s timeout",
        everywhere(lambda v: fault(v, "slow", 2, WRITE[v], delay=3.5)),
        config={"lookout:httpTimeout": 2},
    ),
    Scenario(
        "lost-responses",
        "creates applied, then the connection drops before the answer",
        everywhere(lambda v: fault(v, "lost", 2, WRITE[v])),
    ),
    Scenario(
        "lost-create-next-run",
        "a create applied, its answer lost and its lookup failing: the run fails, the next one adopts it",
        (
            *(fault(v, "lost", 1, create) for v, (create, _) in UNRECORDED.items()),
            *(fault(v, "503", 10, lookup) for v, (_, lookup) in UNRECORDED.items()),
            fault("render", "lost", 1, WRITE["render"]),  # an idempotent PUT: simply sent again
        ),
        recoveries=1,
    ),
    Scenario(
        "killed-mid-up",
        "`pulumi up` and its plugins killed (SIGKILL) half-way through",
        kill_at=0.5,
        recoveries=1,
    ),
    Scenario(
        "wrong-credentials",
        "wrong keys and tokens for the four vendors (`up --continue-on-error` reaches all four)",
        secrets=WRONG,
        must_fail=True,
    ),
)


def killed_at_each_write(vendor: str) -> Scenario:
    """One chain per vendor: its kill points share the destroy that makes their kinds missing, the final
    `up` and the refresh preview; each is met by a run killed while it is applied and unanswered (writes
    sent together may be met by one run), then recovered."""
    points = tuple(point for point in KILL_POINTS if point[0] == vendor)
    return Scenario(
        f"killed-at-each-{vendor}-write",
        f"runs killed at each of {vendor}'s {len(points)} kinds of write (applied, its answer held), "
        "`recover` after each kill",
        kill_after=points,
        recoveries=len(points),
    )


SCENARIOS += tuple(killed_at_each_write(vendor) for vendor in VENDORS)


NAME_WIDTH = 28


def scenario_lines() -> list[str]:
    """`  name  summary` per scenario, for `faults --list` and `faults --help` (a long name has its summary
    on the next line)."""
    width = max(len(s.name) for s in SCENARIOS if len(s.name) <= NAME_WIDTH)
    lines = []
    for s in SCENARIOS:
        if len(s.name) > width:
            lines += [f"  {s.name}", f"  {'':<{width}}  {s.summary}"]
        else:
            lines.append(f"  {s.name:<{width}}  {s.summary}")
    return lines
