"""The request log: one append-only JSON-lines file per worker process, read back merged.

Each process appends to a file of its own with one ``write`` in ``O_APPEND`` mode: no lock and no database
transaction on the path of a certificate request, and the entry is in the kernel (it survives the process) before
the answer leaves. A reader merges every process's file in time order. A line cut short by a crash is skipped.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Every entry has these fields, None when they do not apply (the admin API documents them).
FIELDS = (
    "at",
    "endpoint",
    "db_uuid",
    "enterprise_code_fingerprint",
    "csr",
    "status",
    "outcome",
    "reason",
    "fault",
    "serial",
    "subject_cn",
    "not_after",
)


def iso(epoch: float | None) -> str | None:
    return None if epoch is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class RequestLog:
    """The request log kept in ``folder`` (``<pid>.jsonl`` files, readable by their owner alone)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._file: tuple[int, int] | None = None  # (pid, fd): each process appends to its own file
        self._opening = threading.Lock()

    def _fd(self) -> int:
        opened = self._file
        if opened is None or opened[0] != os.getpid():
            with self._opening:
                opened = self._file
                if opened is None or opened[0] != os.getpid():
                    self.folder.mkdir(mode=0o700, exist_ok=True)
                    path = self.folder / f"{os.getpid()}.jsonl"
                    opened = (os.getpid(), os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
                    self._file = opened
        return opened[1]

    def append(self, **entry: Any) -> None:
        """Log one request: ``at`` (epoch seconds), ``endpoint``, ``status``, ``outcome`` and what is known."""
        line = json.dumps({"csr": False, **entry}, separators=(",", ":")) + "\n"
        os.write(self._fd(), line.encode())  # one write of a line with O_APPEND: lines never interleave

    def _raw(self, db_uuid: str | None = None) -> Iterator[dict[str, Any]]:
        """Every logged entry, or those of ``db_uuid``, file by file."""
        # A line without the UUID as JSON text is not parsed at all: the rate limit reads one database's
        # entries, under the write lock, on each certificate request.
        needle = None if db_uuid is None else json.dumps(db_uuid).encode()
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob("*.jsonl")):
            with open(path, "rb") as handle:
                for line in handle:
                    if needle is not None and needle not in line:
                        continue
                    try:
                        entry = json.loads(line)
                    except ValueError:  # the end of a line a crash cut short
                        continue
                    if db_uuid is None or entry.get("db_uuid") == db_uuid:
                        yield entry

    def entries(self, endpoint: str | None = None, db_uuid: str | None = None) -> list[dict[str, Any]]:
        """The logged requests, oldest first, with times as ISO 8601 (UTC)."""
        found = [entry for entry in self._raw(db_uuid) if endpoint is None or entry.get("endpoint") == endpoint]
        found.sort(key=lambda entry: entry["at"])  # stable: one process's entries keep their order
        return [
            {**dict.fromkeys(FIELDS), **entry, "at": iso(entry["at"]), "not_after": iso(entry.get("not_after"))}
            for entry in found
        ]

    def issued_since(self, db_uuid: str, since: float) -> int:
        """How many certificates the policy issued for ``db_uuid`` since ``since`` (for the rate limit)."""
        return sum(1 for entry in self._raw(db_uuid) if entry.get("outcome") == "issued" and entry["at"] >= since)

    def clear(self) -> None:
        """Empty every process's file (truncated, not removed: the processes keep appending to them)."""
        if self.folder.is_dir():
            for path in self.folder.glob("*.jsonl"):
                os.truncate(path, 0)
