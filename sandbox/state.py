"""The sandbox's state and the types vendors plug in with; the accessor request handlers use.

A leaf of the sandbox: vendor packages import it, the app factory (sandbox/app.py) imports them.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Blueprint, Request, Response, current_app

from sandbox.clock import Clock
from sandbox.contract import Contract, Problem
from sandbox.faults import FaultInjector
from sandbox.ratelimit import Quota, RateLimiter
from sandbox.roots import mount
from sandbox.store import Store
from sandbox.timings import Timings


@dataclass(frozen=True)
class Caller:
    """An authenticated vendor client: the account whose window it uses and that window's size."""

    account_id: int
    rate_limit: int


class Vendor(Protocol):
    name: str
    prefix: str  # where the main port serves the vendor
    host: str  # the vendor's public host, served at a root of its own too (sandbox/roots.py)
    api: Blueprint
    control: Blueprint
    contract: Contract

    def seed(self, store: Store) -> None: ...
    def inventory(self) -> list[str]: ...
    def run_due(self, until: float) -> None: ...  # the vendor's scheduled work (checks) due by `until`
    def authenticate(self, req: Request) -> Caller | None: ...
    def default_rate_limit(self) -> int: ...
    def quota_headers(self, quota: Quota) -> list[tuple[str, str]]: ...
    def throttled(self, quota: Quota) -> Response: ...
    def unauthorized(self) -> Response: ...
    def server_error(self, status: int) -> Response: ...
    def route_not_found(self, method: str, path: str) -> Response: ...  # path: as the vendor's host has it
    def invalid_request(self, problems: list[Problem]) -> Response: ...


@dataclass
class Sandbox:
    store: Store
    clock: Clock
    vendors: list[Vendor]
    limiter: RateLimiter = field(default_factory=RateLimiter)
    faults: FaultInjector = field(default_factory=FaultInjector)
    timings: Timings = field(default_factory=Timings)
    roots: dict[str, str] = field(default_factory=dict)  # vendor host -> URL of its root (sandbox/roots.py)
    ca_pem: str = ""  # the CA of the roots' TLS (sandbox/serving.py)

    def reset(self) -> None:
        """Wipe all data, re-seed every vendor, zero counters and faults, clock offset 0."""
        with self.store.lock:
            self.store.wipe()
            self.clock.reset()
            self.limiter.clear()
            self.faults.clear()
            self.timings.clear()
            for vendor in self.vendors:
                vendor.seed(self.store)

    def seed_missing(self) -> None:
        """Seed the vendors that hold nothing yet: a vendor added since the store was made (its state
        kept from an older sandbox) starts seeded, as it would after a reset. Vendors that seed nothing
        are unaffected."""
        with self.store.lock:
            for vendor in self.vendors:
                if not self.store.holds(vendor.name):
                    vendor.seed(self.store)

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Every account as `store.dump()` saw it; counters, faults and rate windows start afresh."""
        with self.store.lock:
            self.store.load(snapshot)
            self.limiter.clear()
            self.faults.clear()
            self.timings.clear()

    def vendor_for(self, path: str) -> Vendor | None:
        for vendor in self.vendors:
            if path == vendor.prefix or path.startswith(vendor.prefix + "/"):
                return vendor
        return None

    def vendor_mounted_at(self, path: str) -> Vendor | None:
        """The vendor whose host `path` is on, in or out of the vendor's prefix (``/uptimerobot/v2/x``)."""
        return next((v for v in self.vendors if mount(v.prefix) == mount(path)), None)


def sandbox() -> Sandbox:
    """The sandbox state of the current app."""
    state: Sandbox = current_app.extensions["sandbox"]
    return state
