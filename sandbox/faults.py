"""Fault injection: the next N matching vendor requests answer 429/500/503, lose their connection, answer
later than the client waits, or are held unanswered until the faults are cleared (to kill a run there)."""

import contextlib
import re
import socket
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("429", "500", "503", "drop", "lost", "slow", "hold")

# Connection faults are carried out by the WSGI layer after Flask has produced its response:
# ``drop`` skips the request (nothing is applied), ``lost`` applies it; both then close the socket.
DROP_CONNECTION = "sandbox.drop_connection"
# ``slow`` applies the request, then holds the response back this many seconds (outside the request lock);
# ``hold`` also until the faults are cleared, whichever comes first: the value is (seconds, release event).
HOLD_RESPONSE = "sandbox.hold_response"


@dataclass
class Fault:
    """``method``/``path`` of None match anything; ``path`` is a route template or a literal path."""

    vendor: str
    kind: str
    remaining: int
    method: str | None = None
    path: str | None = None
    retry_after: int | None = None  # 429: the window reset the headers announce (default: the real one)
    delay: float = 5.0  # slow, hold: seconds before the response is sent

    def matches(self, vendor: str, method: str, paths: Iterable[str]) -> bool:
        if self.vendor != vendor or (self.method is not None and self.method != method.upper()):
            return False
        return self.path is None or shape(self.path) in {shape(p) for p in paths}


def shape(path: str) -> str:
    """A route template with its parameters unnamed: `/services/{id}` and `/services/{serviceId}` (the
    vendor spec's name) are one route."""
    return re.sub(r"\{[^{}/]*\}", "{}", path)


class FaultInjector:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.released = threading.Event()  # set by clear(): held responses leave

    def add(self, spec: dict[str, Any]) -> Fault:
        """Register a fault from its control-API form; raises ValueError for a bad spec."""
        fault = parse_fault(spec)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, vendor: str, method: str, paths: Iterable[str]) -> Fault | None:
        """Consume one use of the first fault matching the request and return it."""
        candidates = set(paths)
        with self._lock:
            for fault in self._faults:
                if fault.matches(vendor, method, candidates):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(fault) for fault in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self.released.set()
            self.released = threading.Event()


def parse_fault(spec: dict[str, Any]) -> Fault:
    kind = str(spec.get("kind", ""))
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    count = spec.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError("count must be a positive integer")
    vendor = spec.get("vendor")
    if not isinstance(vendor, str) or not vendor:
        raise ValueError("vendor is required")
    method = spec.get("method")
    path = spec.get("path")
    retry_after = spec.get("retryAfter")
    if retry_after is not None and (not isinstance(retry_after, int) or retry_after < 0 or kind != "429"):
        raise ValueError("retryAfter must be a non-negative integer, for kind 429 only")
    delay = spec.get("delay", 60.0 if kind == "hold" else 5.0)
    if not isinstance(delay, int | float) or isinstance(delay, bool) or not 0 < delay <= 60:
        raise ValueError("delay must be a number of seconds in (0, 60]")
    return Fault(
        vendor=vendor,
        kind=kind,
        remaining=count,
        method=str(method).upper() if method else None,
        path=str(path) if path else None,
        retry_after=retry_after,
        delay=float(delay),
    )


def drop_connection(environ: dict[str, Any]) -> None:
    """Close the client's socket so that it receives no response at all."""
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):  # the client may already be gone
            sock.shutdown(socket.SHUT_RDWR)
