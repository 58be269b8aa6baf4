"""The failures the plan names, switched on and off while the app runs (`PUT /_faults` or `Faults.update`).

`down` (the process is gone, its port closed) is the server's (refapp/server.py), not the app's; the rest
are the app's own answers. Shares are applied deterministically: with `error_share` 0.25 every fourth
request fails, so a game day's numbers do not depend on luck.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class Faults:
    database_down: bool = False  # the database check fails: /api/health answers 503 "unhealthy"
    database_delay: float = 0.0  # seconds each database query takes on top of its usual time
    delay: float = 0.0  # seconds added to every API answer (p95 above the plan's threshold)
    error_share: float = 0.0  # share of API requests that fail with an unhandled error (500)
    failed_logins: float = 0.0  # share of logins refused (401) although the password is right
    auth_down: bool = False  # the authentication service is down: logins answer 503
    payments_failing: bool = False  # payment processing fails: checkouts answer 502 and report the error

    def update(self, changes: dict[str, Any]) -> Faults:
        """Apply `changes` (field -> value); ValueError names the first unknown field or bad value."""
        known = {f.name: f.type for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"faults.{name}: unknown; one of {', '.join(sorted(known))}")
            if known[name] == "bool" and not isinstance(value, bool):
                raise ValueError(f"faults.{name}: true or false, got {value!r}")
            if known[name] == "float":
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise ValueError(f"faults.{name}: a number >= 0, got {value!r}")
                if name != "delay" and name != "database_delay" and value > 1:
                    raise ValueError(f"faults.{name}: a share between 0 and 1, got {value!r}")
        for name, value in changes.items():
            setattr(self, name, float(value) if known[name] == "float" else value)
        return self

    def heal(self) -> Faults:
        return self.update(asdict(Faults()))

    def view(self) -> dict[str, Any]:
        return asdict(self)


class Share:
    """Which of a stream of requests fail for a share: the n-th fails when floor(n * share) steps up."""

    def __init__(self) -> None:
        self._count, self._lock = 0, threading.Lock()

    def hit(self, share: float) -> bool:
        with self._lock:
            self._count += 1
            n = self._count
        return int(n * share) > int((n - 1) * share)
