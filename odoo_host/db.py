"""PostgreSQL connections: one pool per process and database, and the cursor class the environments use."""

from __future__ import annotations

import os
import threading
from typing import Any

import psycopg2
import psycopg2.extensions

MAX_CONNECTIONS = 32


class Cursor(psycopg2.extensions.cursor):
    """A psycopg2 cursor that carries its ``transaction`` (the record cache), set by the registry that opened
    it."""

    transaction: Any


class Pool:
    """Idle connections kept for reuse, at most ``size`` open; a thread asking when all are taken waits."""

    def __init__(self, dsn: str, size: int = MAX_CONNECTIONS) -> None:
        self.dsn = dsn
        self._idle: list[psycopg2.extensions.connection] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)

    def getconn(self) -> psycopg2.extensions.connection:
        self._slots.acquire()
        try:
            with self._lock:
                while self._idle:
                    conn = self._idle.pop()
                    if not conn.closed:
                        return conn
            return psycopg2.connect(self.dsn)
        except BaseException:
            self._slots.release()
            raise

    def putconn(self, conn: psycopg2.extensions.connection, broken: bool = False) -> None:
        try:
            if (
                broken
                or conn.closed
                or conn.info.transaction_status != psycopg2.extensions.TRANSACTION_STATUS_IDLE
            ):
                conn.close()
            else:
                with self._lock:
                    self._idle.append(conn)
        finally:
            self._slots.release()

    def closeall(self) -> None:
        with self._lock:
            for conn in self._idle:
                conn.close()
            self._idle.clear()


_pools: dict[tuple[int, str], Pool] = {}
_lock = threading.Lock()


def pool_for(dsn: str) -> Pool:
    """The pool of this process for ``dsn``; a forked worker makes its own (connections do not cross forks).
    """
    key = (os.getpid(), dsn)
    with _lock:
        if key not in _pools:
            _pools[key] = Pool(dsn)
        return _pools[key]


def close_pools() -> None:
    with _lock:
        for (pid, _dsn), pool in list(_pools.items()):
            if pid == os.getpid():
                pool.closeall()
        _pools.clear()
