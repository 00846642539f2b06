"""A counter every process of the mock reads from memory: 8 bytes in a file, mapped shared.

Reading it costs no system call, so a worker can check on every request whether another process changed
something (the store's facts, the request log's files) and act only when the number moved.
"""

from __future__ import annotations

import mmap
import os
import struct
from pathlib import Path


class SharedCounter:
    """The counter kept in ``path`` (created 0600 on first use); each process maps it anew after a fork."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._mapped: tuple[int, mmap.mmap] | None = None  # (pid, map)

    def _map(self) -> mmap.mmap:
        if self._mapped is None or self._mapped[0] != os.getpid():
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if os.fstat(fd).st_size < 8:
                    os.ftruncate(fd, 8)
                self._mapped = (os.getpid(), mmap.mmap(fd, 8))
            finally:
                os.close(fd)  # the map keeps the file
        return self._mapped[1]

    @property
    def value(self) -> int:
        return struct.unpack_from("Q", self._map())[0]

    def bump(self) -> None:
        """Add one; the caller holds a lock that all writers of this counter take, so none bumps from the same
        value as another."""
        counter = self._map()
        struct.pack_into("Q", counter, 0, struct.unpack_from("Q", counter)[0] + 1)
