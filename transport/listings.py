"""Collection listings shared by every call of the provider process (issue #7).

One walk of a collection serves all reads of a refresh (N UptimeRobot monitors cost ceil(N/200)+1
requests instead of N) and all natural-key checks at create. Our own writes are applied to the cached
listing, so it stays true for this process; a listing older than `TTL` is walked again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock

TTL = 600.0
Key = tuple[str, ...]  # (account, kind, *scope)
Obj = dict[str, Any]


@dataclass
class _Listing:
    items: dict[str, Obj]
    loaded_at: float


@dataclass
class Listings:
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _entries: dict[Key, _Listing] = field(default_factory=dict)
    _loading: dict[Key, threading.Event] = field(default_factory=dict)
    _reads: dict[Key, int] = field(default_factory=dict)

    def fresh(self, key: Key, clock: Clock) -> dict[str, Obj] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or clock.monotonic() - entry.loaded_at >= TTL:
                return None
            return dict(entry.items)

    def load(
        self, key: Key, clock: Clock, walk: Callable[[], list[Obj]], id_of: Callable[[Obj], str]
    ) -> dict[str, Obj]:
        """The cached listing, walking the collection once however many threads ask at the same time."""
        while True:
            cached = self.fresh(key, clock)
            if cached is not None:
                return cached
            with self._lock:
                pending = self._loading.get(key)
                if pending is None:
                    pending = self._loading[key] = threading.Event()
                    leader = True
                else:
                    leader = False
            if not leader:
                pending.wait()
                continue  # the leader stored it (or failed, and then this thread walks itself)
            try:
                items = {id_of(obj): obj for obj in walk()}
                with self._lock:
                    self._entries[key] = _Listing(items, clock.monotonic())
                return dict(items)
            finally:
                with self._lock:
                    self._loading.pop(key).set()

    def read(
        self,
        key: Key,
        clock: Clock,
        id_: str,
        walk: Callable[[], list[Obj]],
        id_of: Callable[[Obj], str],
        single: Callable[[], Obj],
    ) -> Obj:
        """One object, from the listing once a second object of `key` is read (a refresh reads them all,
        so N reads cost one walk); an object the listing lacks is read singly (`single`): it is gone (404)
        or newer than the listing, and only that answer may say which (issue #16)."""
        listing = self.fresh(key, clock)
        if listing is None and self.count_read(key) > 1:
            listing = self.load(key, clock, walk, id_of)
        if listing is not None and id_ in listing:
            return listing[id_]
        return single()

    def count_read(self, key: Key) -> int:
        """How many single reads of this collection the process has made so far (this one included)."""
        with self._lock:
            self._reads[key] = self._reads.get(key, 0) + 1
            return self._reads[key]

    def record(self, key: Key, id_: str, obj: Obj) -> None:
        """A write of ours: the cached listings of the kind show the object as the API returned it."""
        with self._lock:
            for entry_key, entry in self._entries.items():
                if entry_key == key or (entry_key[:2] == key[:2] and id_ in entry.items):
                    entry.items[id_] = obj

    def forget(self, key: Key, id_: str) -> None:
        """A delete of ours: drop the object from every cached listing of the kind."""
        with self._lock:
            for entry_key, entry in self._entries.items():
                if entry_key[:2] == key[:2]:
                    entry.items.pop(id_, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._reads.clear()


LISTINGS = Listings()
