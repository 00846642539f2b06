"""The request log: one append-only JSON-lines file per worker process, read back merged and streamed.

Each process appends to a file of its own with one ``write`` in ``O_APPEND`` mode: no lock and no database
transaction on the path of a certificate request, and the entry is in the kernel (it survives the process) before
the answer leaves. A reader merges every process's file in time order, entry by entry, so that reading the first
entries of a large log, or those since a time, reads little more than those. A line cut short by a crash is skipped.

An entry's ``at`` is when its request arrived, and it is written when the answer is decided: within one file an
entry can follow later ones. The few written more than ``LATE_S`` after their ``at`` (held by a ``delay`` fault, or
by a machine under heavy load) go to a second file of the process, ``<pid>.late.jsonl``, read whole and sorted; so
the main file is in time order to within ``LATE_S``, which is what lets a reader merge it as it goes and find a
time in it by a binary search.

Rotation moves the files aside (``rotated/<time>/``) and bumps a shared generation number; each process sees the
number move at its next append and opens a new file. Nothing counts on the log any more but its readers: the rate
limit keeps its own counts in the store (docs/mock-rate-limit.md).
"""

from __future__ import annotations

import heapq
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from mock_odoo_com.shared import SharedCounter

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
LATE_S = 1.0
# The leeway of "in time order to within LATE_S": ``at`` is read before the write, and threads interleave.
LEEWAY_S = 1.0
LATE = ".late.jsonl"
_decode = json.JSONDecoder().decode  # what json.loads calls, without its checks of the input's type and encoding
ROTATED = "rotated"


def iso(epoch: float | None) -> str | None:
    return None if epoch is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def shown(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as the admin API shows it: every field, times as ISO 8601 (UTC)."""
    return {**dict.fromkeys(FIELDS), **entry, "at": iso(entry["at"]), "not_after": iso(entry.get("not_after"))}


class RequestLog:
    """The request log kept in ``folder`` (``<pid>.jsonl`` files, readable by their owner alone)."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self.folder, self._clock = folder, clock
        self._generation = SharedCounter(folder / ".generation")
        # (pid, generation, {late: fd}): each process appends to files of its own
        self._files: tuple[int, int, dict[bool, int]] | None = None
        self._opening = threading.Lock()

    def _fd(self, late: bool) -> int:
        opened = self._files
        if opened is not None and opened[0] == os.getpid() and opened[1] == self._generation.value:
            fd = opened[2].get(late)
            if fd is not None:
                return fd
        with self._opening:
            self.folder.mkdir(mode=0o700, exist_ok=True)
            # The generation is read before a file is opened: a rotation in between makes this process open the
            # file again at its next append, never keep appending to a file rotated away.
            generation = self._generation.value
            opened = self._files
            if opened is None or opened[0] != os.getpid() or opened[1] != generation:
                if opened is not None and opened[0] == os.getpid():
                    for fd in opened[2].values():
                        os.close(fd)  # the files of a generation rotated away
                opened = self._files = (os.getpid(), generation, {})
            if late not in opened[2]:
                name = f"{os.getpid()}{LATE if late else '.jsonl'}"
                opened[2][late] = os.open(self.folder / name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return opened[2][late]

    def append(self, **entry: Any) -> None:
        """Log one request: ``at`` (epoch seconds), ``endpoint``, ``status``, ``outcome`` and what is known."""
        line = json.dumps({"csr": False, **entry}, separators=(",", ":")) + "\n"
        # One write of a line with O_APPEND: lines never interleave.
        os.write(self._fd(self._clock() - entry["at"] > LATE_S), line.encode())

    def _paths(self, rotated: bool) -> list[Path]:
        if not self.folder.is_dir():
            return []
        paths = sorted(self.folder.glob("*.jsonl"))
        return sorted(self.folder.glob(f"{ROTATED}/*/*.jsonl")) + paths if rotated else paths

    def read(
        self,
        since: float | None = None,
        endpoint: str | None = None,
        db_uuid: str | None = None,
        outcome: str | None = None,
        rotated: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """The logged entries (with ``rotated``, those of the rotated files too) oldest first, as stored (``at``
        in epoch seconds), from ``since`` on and matching every filter given; read as the caller goes on."""
        # A line without the UUID (or outcome) as JSON text is not parsed at all.
        needles = [json.dumps(value).encode() for value in (db_uuid, outcome) if value is not None]
        wanted = {"endpoint": endpoint, "db_uuid": db_uuid, "outcome": outcome}
        wanted = {name: value for name, value in wanted.items() if value is not None}
        handles = []
        try:
            streams = []
            for path in self._paths(rotated):
                try:
                    handles.append(handle := open(path, "rb"))  # noqa: SIM115 (closed below, when read or dropped)
                except FileNotFoundError:  # rotated away since the listing
                    continue
                entries = _parsed(handle, needles, since, wanted)
                if path.name.endswith(LATE):
                    streams.append(iter(sorted(entries, key=lambda entry: entry["at"])))
                else:
                    if since is not None:
                        _seek(handle, since - LATE_S - LEEWAY_S)
                    streams.append(_in_order(entries))
            yield from heapq.merge(*streams, key=lambda entry: entry["at"])
        finally:
            for handle in handles:
                handle.close()

    def entries(self, endpoint: str | None = None, db_uuid: str | None = None) -> list[dict[str, Any]]:
        """The logged requests, oldest first, as the admin API shows them."""
        return [shown(entry) for entry in self.read(endpoint=endpoint, db_uuid=db_uuid)]

    def rotate(self, keep: bool = True) -> Path | None:
        """Move the current files aside to ``rotated/<time>/`` (``keep``: and return that folder) or delete them,
        with the rotated ones (not ``keep``). The caller serialises rotations (the store's write lock)."""
        if not self.folder.is_dir():
            return None
        target = self.folder / ROTATED / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        suffix = 1
        while target.exists():
            target = target.with_name(f"{target.name.split('.')[0]}.{suffix}")
            suffix += 1
        target.mkdir(mode=0o700, parents=True)
        (self.folder / ROTATED).chmod(0o700)
        for path in self.folder.glob("*.jsonl"):
            path.rename(target / path.name)
        # A process that appends before it sees the new generation writes to its moved file: the entry is in the
        # rotated part, not lost.
        self._generation.bump()
        if keep:
            return target
        shutil.rmtree(self.folder / ROTATED)
        return None

    def clear(self) -> None:
        """Delete every entry, rotated or not (the processes go on appending, to new files)."""
        self.rotate(keep=False)


def _seek(handle: IO[bytes], at: float) -> None:
    """Move ``handle`` to the start of a line at or before the first entry whose ``at`` is ``at`` or later (a
    binary search over the file's bytes, which are in time order to within ``LATE_S``)."""
    low, high = 0, os.fstat(handle.fileno()).st_size
    while high - low > 4096:
        middle = (low + high) // 2
        handle.seek(middle)
        handle.readline()  # the rest of the line the middle fell into
        start = handle.tell()
        line = handle.readline()
        try:
            earlier = json.loads(line)["at"] < at
        except (ValueError, KeyError):  # past the end, or a line cut short: look before it
            earlier = False
        if earlier:
            low = start
        else:
            high = middle
    handle.seek(low)  # always the start of a line


def _parsed(
    lines: Iterable[bytes], needles: list[bytes], since: float | None, wanted: dict[str, str]
) -> Iterator[dict[str, Any]]:
    for line in lines:
        if any(needle not in line for needle in needles):
            continue
        try:
            entry = _decode(line.decode())
        except ValueError:  # the end of a line a crash cut short
            continue
        if since is not None and entry["at"] < since:
            continue
        if all(entry.get(name) == value for name, value in wanted.items()):
            yield entry


def _in_order(entries: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One main file's entries sorted by ``at`` (stable): an entry waits until one read after it is later by more than
    ``LATE_S`` and the leeway, so that none still to come can be earlier."""
    waiting: list[tuple[float, int, dict[str, Any]]] = []
    for number, entry in enumerate(entries):
        heapq.heappush(waiting, (entry["at"], number, entry))
        while waiting[0][0] < entry["at"] - LATE_S - LEEWAY_S:
            yield heapq.heappop(waiting)[2]
    while waiting:
        yield heapq.heappop(waiting)[2]
