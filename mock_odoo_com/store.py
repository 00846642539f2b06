"""The mock's state in its data dir: subscriptions, databases, settings and faults in one SQLite file, the
request log beside it (``requestlog``).

SQLite in WAL mode lets the gunicorn workers and the DNS process share it: readers never wait, and writers
take the lock with ``BEGIN IMMEDIATE`` for a few statements only. Each thread of each process opens its own
connection, because a SQLite connection must not cross a fork or be shared by threads.

A certificate request reads the same few facts as the one before it, and they change only when a test calls
the admin API. So every write bumps a change counter in a small shared memory map, and each process keeps the
facts it read until the counter moves (``Store.facts()``): a request reads one integer from memory instead of
running queries, and still sees an admin change the moment the admin call has answered.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from mock_odoo_com import settings as settings_module
from mock_odoo_com.requestlog import RequestLog
from mock_odoo_com.shared import SharedCounter

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (code TEXT PRIMARY KEY, state TEXT NOT NULL, lines TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS databases (
    db_uuid TEXT PRIMARY KEY, subscription TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT, endpoint TEXT NOT NULL, mode TEXT NOT NULL, params TEXT NOT NULL,
    remaining INTEGER);
CREATE TABLE IF NOT EXISTS issued (db_uuid TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS issued_by_database ON issued (db_uuid, at);
CREATE TABLE IF NOT EXISTS issued_counts (db_uuid TEXT PRIMARY KEY, count INTEGER NOT NULL);
"""


def fingerprint(secret: str) -> str:
    """What the request log shows instead of an enterprise code: the start of its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


class Store:
    """All state of one mock, in ``path`` and beside it; every method is one short transaction."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.log = RequestLog(self.path.parent / "requests")
        self._local = threading.local()
        self._changes = SharedCounter(f"{self.path}.changes")
        self._facts = Facts(self, -1)
        # Writers queue for SQLite's write lock on locks that wake the next one as soon as it is free: the
        # threads of a process on this one, the processes on a file lock beside the database. Left to SQLite, a
        # writer sleeps in its busy handler, 1 to 100 ms between tries, and a worker could wait 200 ms behind
        # the other worker's stream of writes.
        self._writer = threading.Lock()
        self._lock_file: tuple[int, int] | None = None  # (pid, fd): each process opens its own

    def initialise(self) -> None:
        """Create the tables (idempotent) and switch to WAL mode; run once before the workers start."""
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            counted = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'issued'").fetchone() is not None
            conn.executescript(SCHEMA)
        os.chmod(self.path, 0o600)
        self._changes.bump()  # creates the counter; any facts a process kept from before are stale
        if not counted:  # a data dir from before the rate limit kept counts: its limit counts from the log
            with self.transaction() as tx:
                self._recount(tx, {"per_db": None, "window_s": 0}, tx.settings()["rate_limit"], time.time())
            self.close()  # no connection may cross the fork to the workers

    def facts(self) -> Facts:
        """The subscriptions, databases, settings and faults as of the last change, read once per change."""
        changes = self._changes.value
        facts = self._facts
        if facts.changes != changes:
            facts = self._facts = Facts(self, changes)
        return facts

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        # WAL with synchronous=NORMAL: durable across a crash of the process, and no fsync per commit.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.row_factory = sqlite3.Row
        return conn

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.conn, local.pid = self._connect(), os.getpid()
        return local.conn

    def close(self) -> None:
        """Close this thread's connection (the master does before it forks: none may cross a fork)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            del self._local.conn, self._local.pid

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """The one writer of all threads of all processes: a thread lock, then a file lock beside the database."""
        with self._writer:
            if self._lock_file is None or self._lock_file[0] != os.getpid():
                fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
                self._lock_file = (os.getpid(), fd)
            fd = self._lock_file[1]
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    @contextmanager
    def transaction(self, changes_facts: bool = True) -> Iterator[Transaction]:
        """A write transaction: it takes the write lock at once, so that its reads and writes are one step.
        Once committed, the change counter moves (unless it changed no fact: ``changes_facts`` False), and every
        process reads the facts afresh."""
        conn = self._connection()
        with self.exclusive():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            if changes_facts:
                self._changes.bump()  # under the lock, so no two writers bump from the same value

    # -- writes, each a transaction of its own -----------------------------------------------------------

    def put_subscription(self, code: str, state: str, lines: list[dict[str, Any]]) -> None:
        with self.transaction() as tx:
            tx.execute("INSERT OR REPLACE INTO subscriptions VALUES (?, ?, ?)", (code, state, json.dumps(lines)))

    def put_database(self, db_uuid: str, subscription: str, kind: str) -> None:
        with self.transaction() as tx:
            tx.execute("INSERT OR REPLACE INTO databases VALUES (?, ?, ?)", (db_uuid, subscription, kind))

    def delete(self, table: str, key: str) -> bool:
        """Forget one subscription or database; False when there was none."""
        column = {"subscriptions": "code", "databases": "db_uuid"}[table]
        with self.transaction() as tx:
            return tx.execute(f"DELETE FROM {table} WHERE {column} = ?", (key,)).rowcount > 0  # noqa: S608

    def update_settings(self, changes: object, now: float | None = None) -> dict[str, Any]:
        """Apply a subset of settings (checked first; nothing changes when one is wrong); return them all."""
        with self.transaction() as tx:
            old = tx.settings()
            new = settings_module.merged(old, changes)
            tx.executemany(
                "INSERT OR REPLACE INTO settings VALUES (?, ?)",
                [(name, json.dumps(value)) for name, value in new.items()],
            )
            self._recount(tx, old["rate_limit"], new["rate_limit"], time.time() if now is None else now)
        return new

    # -- the rate limit's counts (docs/mock-rate-limit.md) --------------------------------------------------

    def _recount(self, tx: Transaction, old: dict[str, Any], new: dict[str, Any], now: float) -> None:
        """Fit the counts to a new rate limit. While a limit is set, ``issued`` holds the time of every certificate
        issued in its window (and ``issued_counts`` how many per database); without one, nothing is counted."""
        if new["per_db"] is None:
            tx.execute("DELETE FROM issued")
            tx.execute("DELETE FROM issued_counts")
            return
        kept = 0 if old["per_db"] is None else old["window_s"]  # the seconds the counts already cover
        if kept >= new["window_s"]:
            if kept > new["window_s"]:
                tx.execute("DELETE FROM issued WHERE at <= ?", (now - new["window_s"],))
                self._recount_databases(tx)
            return
        # A wider window (or a limit set anew): the certificates it adds before what the counts cover come from
        # the log, rotated parts included (a log cleared while no limit was set has none to give).
        tx.execute("DELETE FROM issued WHERE at <= ?", (now - kept,))
        start, end = now - new["window_s"], now - kept
        older = self.log.read(since=start, outcome="issued", rotated=True)
        tx.executemany(
            "INSERT INTO issued VALUES (?, ?)",
            ((entry["db_uuid"], entry["at"]) for entry in older if start < entry["at"] <= end),
        )
        self._recount_databases(tx)

    @staticmethod
    def _recount_databases(tx: Transaction) -> None:
        tx.execute("DELETE FROM issued_counts")
        tx.execute("INSERT INTO issued_counts SELECT db_uuid, count(*) FROM issued GROUP BY db_uuid")

    def admit(self, db_uuid: str, now: float, per_db: int, window_s: int) -> float | None:
        """Count a certificate for ``db_uuid`` at ``now`` if the rate limit lets it through (None); else the
        seconds until it will. One short transaction whatever the size of the log or the number counted: the
        database's certificates that left the window are dropped from its count on the way."""
        with self.transaction(changes_facts=False) as tx:
            left = tx.execute("DELETE FROM issued WHERE db_uuid = ? AND at <= ?", (db_uuid, now - window_s)).rowcount
            row = tx.execute("SELECT count FROM issued_counts WHERE db_uuid = ?", (db_uuid,)).fetchone()
            count = (row[0] if row else 0) - left
            wait = None
            if count < per_db:
                tx.execute("INSERT INTO issued VALUES (?, ?)", (db_uuid, now))
                count += 1
            else:  # free again when the one that brings the count under the limit leaves the window
                oldest = tx.execute(
                    "SELECT at FROM issued WHERE db_uuid = ? ORDER BY at LIMIT 1 OFFSET ?", (db_uuid, count - per_db)
                ).fetchone()[0]
                wait = oldest + window_s - now
            if left or wait is None:
                tx.execute("INSERT OR REPLACE INTO issued_counts VALUES (?, ?)", (db_uuid, count))
        return wait

    def rotate_log(self, keep: bool = True) -> str | None:
        """Rotate the request log (``keep``) or clear it; the rate limit's counts stay. The rotated folder's
        path in the data dir, when kept."""
        with self.exclusive():
            rotated = self.log.rotate(keep)
        return None if rotated is None else str(rotated.relative_to(self.path.parent))

    def add_fault(self, endpoint: str, mode: str, params: dict[str, Any], times: int | None) -> dict[str, Any]:
        with self.transaction() as tx:
            row = tx.execute(
                "INSERT INTO faults (endpoint, mode, params, remaining) VALUES (?, ?, ?, ?) RETURNING *",
                (endpoint, mode, json.dumps(params), times),
            ).fetchone()
            return _fault(row)

    def clear_faults(self, endpoint: str | None = None) -> int:
        with self.transaction() as tx:
            if endpoint is None:
                return tx.execute("DELETE FROM faults").rowcount
            return tx.execute("DELETE FROM faults WHERE endpoint = ?", (endpoint,)).rowcount

    def take_fault(self, endpoint: str) -> dict[str, Any] | None:
        """The oldest active fault of ``endpoint``, one use spent; None (no lock taken) if none."""
        if not self.facts().has_fault(endpoint):
            return None
        with self.transaction() as tx:
            row = tx.execute("SELECT * FROM faults WHERE endpoint = ? ORDER BY id LIMIT 1", (endpoint,)).fetchone()
            if row is None:
                return None
            fault = _fault(row)
            if fault["remaining"] is not None:
                if fault["remaining"] <= 1:
                    tx.execute("DELETE FROM faults WHERE id = ?", (row["id"],))
                else:
                    tx.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (row["id"],))
            return fault

    def reset(self) -> None:
        """Forget everything but the CA (which lives in files, not here)."""
        with self.transaction() as tx:
            for table in ("subscriptions", "databases", "settings", "faults", "issued", "issued_counts"):
                tx.execute(f"DELETE FROM {table}")  # noqa: S608
            self.log.clear()

    def read(self) -> Transaction:
        """A read-only view for one-off reads (each statement sees the latest commit)."""
        return Transaction(self._connection())


class Transaction:
    """Typed reads and writes on one connection, used inside ``Store.transaction()``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.execute = conn.execute
        self.executemany = conn.executemany

    def subscription(self, code: str) -> dict[str, Any] | None:
        row = self.execute("SELECT * FROM subscriptions WHERE code = ?", (code,)).fetchone()
        return None if row is None else {"code": row["code"], "state": row["state"], "lines": json.loads(row["lines"])}

    def database(self, db_uuid: str) -> dict[str, Any] | None:
        row = self.execute("SELECT * FROM databases WHERE db_uuid = ?", (db_uuid,)).fetchone()
        return None if row is None else dict(row)

    def settings(self) -> dict[str, Any]:
        stored = {row["name"]: json.loads(row["value"]) for row in self.execute("SELECT * FROM settings")}
        return {name: stored.get(name, default) for name, default in settings_module.DEFAULTS.items()}

    def faults(self) -> list[dict[str, Any]]:
        return [_fault(row) for row in self.execute("SELECT * FROM faults ORDER BY id")]

    def has_fault(self, endpoint: str) -> bool:
        return self.execute("SELECT 1 FROM faults WHERE endpoint = ? LIMIT 1", (endpoint,)).fetchone() is not None


def _fault(row: sqlite3.Row) -> dict[str, Any]:
    """A fault as the admin API shows it: its row with its mode's parameters inlined."""
    return {
        "id": row["id"],
        "endpoint": row["endpoint"],
        "mode": row["mode"],
        "remaining": row["remaining"],
        **json.loads(row["params"]),
    }


_UNREAD = object()
# Facts kept per change at most: enough for every database of a large test, bounded against random input.
MAX_FACTS = 50_000


class Facts:
    """What the certificate requests read, as of change ``changes``, each fact read from SQLite on first use."""

    def __init__(self, store: Store, changes: int) -> None:
        self.changes, self._store = changes, store
        self._read: dict[tuple[Any, ...], Any] = {}

    def _get(self, read: Callable[..., Any], *args: str) -> Any:
        """``read(transaction, *args)``, kept for this change."""
        key = (read, *args)
        value = self._read.get(key, _UNREAD)
        if value is _UNREAD:
            value = read(self._store.read(), *args)
            if len(self._read) >= MAX_FACTS:
                self._read.clear()
            self._read[key] = value  # two threads may both read it: same value, no harm
        return value

    def subscription(self, code: str) -> dict[str, Any] | None:
        return self._get(Transaction.subscription, code)

    def database(self, db_uuid: str) -> dict[str, Any] | None:
        return self._get(Transaction.database, db_uuid)

    def settings(self) -> dict[str, Any]:
        return self._get(Transaction.settings)

    def has_fault(self, endpoint: str) -> bool:
        return self._get(Transaction.has_fault, endpoint)
