"""SQLite persistence shared by every vendor: JSON documents per collection, settings, request counters.

One connection serves all threads behind a lock; every write commits at once, so the data survives a
restart of the sandbox process.
"""

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

LOG_SIZE = 200
STATUS_PREFIX = "status:"  # request_counts rows that count answers by status, not requests by route

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    vendor TEXT NOT NULL,
    collection TEXT NOT NULL,
    id INTEGER NOT NULL,
    account INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (vendor, collection, id)
);
CREATE TABLE IF NOT EXISTS sequences (vendor TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS request_counts (route TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS request_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS violations (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unserved (
    vendor TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (vendor, method, path)
);
"""
_TABLES = ("docs", "sequences", "settings", "request_counts", "request_log", "violations", "unserved")


class Store:
    """Documents are dicts with an integer ``id``; each belongs to one account of its vendor."""

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self.lock = threading.RLock()

    def close(self) -> None:
        with self.lock:
            self._db.close()

    def is_empty(self) -> bool:
        return self._one("SELECT COUNT(*) FROM docs") == 0

    def holds(self, vendor: str) -> bool:
        """Whether any document of `vendor` is stored."""
        return self._one("SELECT COUNT(*) FROM (SELECT 1 FROM docs WHERE vendor = ? LIMIT 1)", vendor) > 0

    def wipe(self) -> None:
        """Delete every document, sequence, setting, counter and log entry."""
        with self.lock:
            for table in _TABLES:
                self._db.execute(f"DELETE FROM {table}")

    def dump(self) -> dict[str, Any]:
        """Every document, id sequence and setting: what `load` puts back (a snapshot of the accounts)."""
        with self.lock:
            docs = self._db.execute("SELECT vendor, collection, id, account, body FROM docs").fetchall()
            sequences = self._db.execute("SELECT vendor, value FROM sequences").fetchall()
            settings = self._db.execute("SELECT key, value FROM settings").fetchall()
        return {
            "docs": [[v, c, i, a, json.loads(body)] for v, c, i, a, body in docs],
            "sequences": dict(sequences),
            "settings": {key: json.loads(value) for key, value in settings},
        }

    def load(self, snapshot: dict[str, Any]) -> None:
        """Replace everything with a `dump` (counters, the log and violations start empty)."""
        with self.lock:
            self.wipe()
            self._db.executemany(
                "INSERT INTO docs (vendor, collection, id, account, body) VALUES (?, ?, ?, ?, ?)",
                [(v, c, int(i), int(a), json.dumps(body)) for v, c, i, a, body in snapshot["docs"]],
            )
            self._db.executemany(
                "INSERT INTO sequences (vendor, value) VALUES (?, ?)", list(snapshot["sequences"].items())
            )
            self._db.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?)",
                [(key, json.dumps(value)) for key, value in snapshot["settings"].items()],
            )

    # -- documents -------------------------------------------------------------------------------------

    def next_id(self, vendor: str, start: int = 1) -> int:
        """Allocate the next id of ``vendor``; ids are unique across all its collections."""
        with self.lock:
            current = self._one("SELECT value FROM sequences WHERE vendor = ?", vendor)
            value = start if current is None else int(current) + 1
            self._db.execute(
                "INSERT OR REPLACE INTO sequences (vendor, value) VALUES (?, ?)", (vendor, value)
            )
            return value

    def put(self, vendor: str, collection: str, account: int, doc: dict[str, Any]) -> dict[str, Any]:
        """Insert or replace ``doc`` (keyed by its ``id``)."""
        with self.lock:
            self._db.execute(
                "INSERT OR REPLACE INTO docs (vendor, collection, id, account, body) VALUES (?, ?, ?, ?, ?)",
                (vendor, collection, int(doc["id"]), account, json.dumps(doc)),
            )
        return doc

    def get(
        self, vendor: str, collection: str, doc_id: int, account: int | None = None
    ) -> dict[str, Any] | None:
        """The document, or None if missing or (when ``account`` is given) owned by another account."""
        sql = "SELECT body FROM docs WHERE vendor = ? AND collection = ? AND id = ?"
        params: tuple[Any, ...] = (vendor, collection, doc_id)
        if account is not None:
            sql, params = sql + " AND account = ?", (*params, account)
        body = self._one(sql, *params)
        return None if body is None else dict(json.loads(body))

    def find(
        self,
        vendor: str,
        collection: str,
        account: int | None = None,
        where: dict[str, str | int] | None = None,
        since: tuple[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """All documents of a collection (of one account if given), ordered by id; with `where`, only
        those whose fields (dotted paths: `doc.id`) hold these values, and with `since` (field, text) only
        those whose field is at least that text (ISO 8601 instants of one format sort as text), selected by
        SQLite before any document is parsed (a collection of thousands is not read whole for a few)."""
        sql, params = self._selection(vendor, collection, account, where)
        if since is not None:
            sql, params = sql + " AND json_extract(body, ?) >= ?", (*params, f"$.{since[0]}", since[1])
        with self.lock:
            rows = self._db.execute(f"SELECT body {sql} ORDER BY id", params).fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def count(self, vendor: str, collection: str, account: int | None = None) -> int:
        sql, params = self._selection(vendor, collection, account, None)
        return int(self._one(f"SELECT COUNT(*) {sql}", *params))

    @staticmethod
    def _selection(
        vendor: str, collection: str, account: int | None, where: dict[str, str | int] | None
    ) -> tuple[str, tuple[Any, ...]]:
        sql = "FROM docs WHERE vendor = ? AND collection = ?"
        params: tuple[Any, ...] = (vendor, collection)
        if account is not None:
            sql, params = sql + " AND account = ?", (*params, account)
        for field, value in (where or {}).items():
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise TypeError(f"where {field}: a string or an integer, not {type(value).__name__}")
            # `json_extract` gives text for strings and integers for integers: compared as sent.
            sql, params = sql + " AND json_extract(body, ?) = ?", (*params, f"$.{field}", value)
        return sql, params

    def delete(self, vendor: str, collection: str, doc_id: int) -> bool:
        with self.lock:
            cursor = self._db.execute(
                "DELETE FROM docs WHERE vendor = ? AND collection = ? AND id = ?",
                (vendor, collection, doc_id),
            )
            return cursor.rowcount > 0

    # -- settings --------------------------------------------------------------------------------------

    def get_value(self, key: str, default: Any = None) -> Any:
        value = self._one("SELECT value FROM settings WHERE key = ?", key)
        return default if value is None else json.loads(value)

    def set_value(self, key: str, value: Any) -> None:
        with self.lock:
            self._db.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value))
            )

    # -- request counters and log ----------------------------------------------------------------------

    def count_status(self, vendor: str, status: int | None) -> None:
        """Answers per vendor and status (`None`: the connection was dropped), kept beside the routes."""
        self.count_request(f"{STATUS_PREFIX}{vendor} {status if status is not None else 'dropped'}")

    def count_request(self, route: str) -> None:
        with self.lock:
            self._db.execute(
                "INSERT INTO request_counts (route, n) VALUES (?, 1) "
                "ON CONFLICT(route) DO UPDATE SET n = n + 1",
                (route,),
            )

    def request_counts(self) -> dict[str, int]:
        with self.lock:
            rows = self._db.execute("SELECT route, n FROM request_counts ORDER BY route").fetchall()
        return {route: int(n) for route, n in rows}

    def append_log(self, entry: dict[str, Any]) -> None:
        with self.lock:
            cursor = self._db.execute("INSERT INTO request_log (entry) VALUES (?)", (json.dumps(entry),))
            self._db.execute(
                "DELETE FROM request_log WHERE seq <= ?", (int(cursor.lastrowid or 0) - LOG_SIZE,)
            )

    def recent_log(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self._db.execute("SELECT entry FROM request_log ORDER BY seq").fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def clear_requests(self) -> None:
        with self.lock:
            self._db.execute("DELETE FROM request_counts")
            self._db.execute("DELETE FROM request_log")

    # -- contract violations (sandbox/contract.py): kept apart, so clearing request counters keeps them ---

    def record_violation(self, entry: dict[str, Any]) -> None:
        with self.lock:
            self._db.execute("INSERT INTO violations (entry) VALUES (?)", (json.dumps(entry),))

    def violations(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self._db.execute("SELECT entry FROM violations ORDER BY seq").fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def clear_violations(self) -> None:
        with self.lock:
            self._db.execute("DELETE FROM violations")

    # -- operations without a route (sandbox/app.py): what a client called that the sandbox does not serve --

    def record_unserved(self, vendor: str, method: str, path: str) -> None:
        with self.lock:
            self._db.execute(
                "INSERT INTO unserved (vendor, method, path, n) VALUES (?, ?, ?, 1)"
                " ON CONFLICT (vendor, method, path) DO UPDATE SET n = n + 1",
                (vendor, method, path),
            )

    def unserved(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self._db.execute("SELECT vendor, method, path, n FROM unserved ORDER BY rowid").fetchall()
        return [{"vendor": v, "method": m, "path": p, "count": n} for v, m, p, n in rows]

    def clear_unserved(self) -> None:
        with self.lock:
            self._db.execute("DELETE FROM unserved")

    def _one(self, sql: str, *params: Any) -> Any:
        with self.lock:
            row = self._db.execute(sql, params).fetchone()
        return None if row is None else row[0]
