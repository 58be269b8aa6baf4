"""The vendors' scheduled work (UptimeRobot's checks, and what else runs on a vendor's own clock), run on
the sandbox clock when switched on.

Off by default: a sandbox that stands in for the vendors' APIs alone (the tests of the providers, `lookout
drill`) would otherwise see every monitor go down, since offline no host resolves until it is listed
(sandbox/hosts.py). `lookout gameday` switches it on. While on, advancing the clock runs everything due in
between, in time order; `POST /_control/checks/run` runs what is due now (a clock that runs on its own,
LOOKOUT_TIME_SCALE).

    GET  /_control/checks                     -> 200 {"running": false}
    PUT  /_control/checks {"running": true}   -> 200 {"running": true}
    POST /_control/checks/run                 -> 200 {"running": true, "ran_until": ISO 8601}

A leaf of the sandbox: it reaches the vendors through their `run_due` (sandbox/state.py).
"""

from __future__ import annotations

from sandbox.state import sandbox

_KEY = "checks.running"


def running() -> bool:
    return bool(sandbox().store.get_value(_KEY, False))


def switch(on: bool) -> None:
    sandbox().store.set_value(_KEY, on)


def run(until: float) -> None:
    """Everything due by `until`, vendor by vendor."""
    state = sandbox()
    with state.store.lock:
        for vendor in state.vendors:
            vendor.run_due(until)
