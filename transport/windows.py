"""A vendor's rate-limit window as one provider process left it, for the next process (issue #16).

Each provider process starts with an empty budget, so a `pulumi refresh` started right after an `up` could
spend requests the up already spent and meet a 429. The limiter therefore keeps its window (requests used,
limit, end, and a server-imposed pause) in a small JSON file per account and endpoint class, read and
written in place under a file lock (filelock) so that processes running at the same time share one window.
Times are stored as epoch seconds of the limiter's clock. A file whose window has ended, or that does not
parse, is ignored; so is one announcing a window longer than an hour (a clock jump, or not ours).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

LOCK_TIMEOUT = 5.0  # a lock held longer belongs to a stuck process: go on without the file
LONGEST_WINDOW = 3600.0


@dataclass(frozen=True)
class Window:
    end: float  # epoch seconds
    used: int
    limit: int | None
    blocked_until: float  # epoch seconds; 0 when the server imposed no pause


class WindowFile:
    def __init__(self, directory: Path, name: str, endpoint: str, credential: str) -> None:
        digest = hashlib.sha256(f"{endpoint}\n{credential}".encode()).hexdigest()[:16]
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
        self.path = Path(directory) / f"{stem}-{digest}.json"
        from filelock import FileLock  # here: a process that makes no transport never needs it

        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
        self._kept: IO[str] | None = None  # opened once: an open per request cost more than the request

    def _file(self) -> IO[str]:
        if self._kept is None:
            self._kept = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), "r+")
        return self._kept

    @contextlib.contextmanager
    def locked(self) -> Iterator[bool]:
        """Holds the file's lock; yields False (and the caller works alone) when it cannot be had."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except OSError:  # filelock's Timeout is a TimeoutError, an OSError (filelock 4.3 _error.py)
            yield False
            return
        try:
            yield True
        finally:
            self._lock.release()

    def load(self, now: float) -> Window | None:
        try:
            file = self._file()
            file.seek(0)
            raw = json.loads(file.read())
            window = Window(
                end=float(raw["end"]),
                used=int(raw["used"]),
                limit=int(raw["limit"]) if raw.get("limit") is not None else None,
                blocked_until=float(raw.get("blocked_until") or 0.0),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupt
        latest = max(window.end, window.blocked_until)
        if latest <= now or latest - now > LONGEST_WINDOW or window.used < 0:
            return None  # over, or not believable
        return window

    def save(self, window: Window) -> None:
        """(Under the lock.) Rewrite the file in place: every reader holds the lock, so none sees it half
        written, and a file torn by a killed process does not parse and is ignored. (A temporary file
        renamed over it cost ten times as much, on every request.)"""
        with contextlib.suppress(OSError):
            file = self._file()
            file.seek(0)
            file.write(json.dumps(asdict(window)))
            file.truncate()
            file.flush()
