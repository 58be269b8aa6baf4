"""How long the sandbox takes to answer a vendor request (issue #26): the server's own time, from the
request reaching the pipeline to its response leaving the handler, and the contract check's part of it.

Kept in memory (the last SIZE requests), read with `GET /_control/timings` and emptied with
`DELETE /_control/timings` or a reset. The benchmark reports Lookout's time apart from the sandbox's with it.
"""

from __future__ import annotations

import statistics
import threading
from collections import deque
from typing import Any

SIZE = 100_000


class Timings:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: deque[float] = deque(maxlen=SIZE)
        self._contract: deque[float] = deque(maxlen=SIZE)

    def record(self, server: float, contract: float) -> None:
        with self._lock:
            self._server.append(server)
            self._contract.append(contract)

    def clear(self) -> None:
        with self._lock:
            self._server.clear()
            self._contract.clear()

    def summary(self) -> dict[str, Any]:
        """Milliseconds: count, median, 95th percentile and total of the server time, and of the contract
        check's part (0 when nothing was recorded)."""
        with self._lock:
            server, contract = list(self._server), list(self._contract)
        return {"count": len(server), "server": _figures(server), "contract": _figures(contract)}


def _figures(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"medianMs": 0.0, "p95Ms": 0.0, "totalMs": 0.0}
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "medianMs": round(statistics.median(ordered) * 1000, 3),
        "p95Ms": round(p95 * 1000, 3),
        "totalMs": round(sum(ordered) * 1000, 3),
    }
