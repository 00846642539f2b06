"""Installs a certificate and its key together or not at all, whatever moment a crash hits.

Layout under the store folder (mode 0700)::

    current -> pair-1a2b3c/       a symlink, swapped atomically by rename(2)
    pair-1a2b3c/cert.pem          leaf + intermediates
    pair-1a2b3c/key.pem           mode 0600
    pair-1a2b3c/issued-for.json   what the certificate was issued for (docs/box-certificate-check.md); optional

A pair folder is written completely and flushed before ``current`` points at it, and never changed
afterwards, so the pair that ``current`` names is always a matching one: the old pair until the rename, the
new pair after it.
Leftovers of an interrupted installation are removed by the next one.

API: ``CertStore(folder).install(cert_pem, key_pem)`` -> ``InstalledPair``, ``.load()`` -> ``InstalledPair | None``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from iot_common.files import fsync_dir, write_new_file

CURRENT = "current"
PAIR_PREFIX = "pair-"

#: The steps of an installation, in order; ``install(step=...)`` is called before each (tests crash there).
STEPS = ("make_folder", "write_key", "write_cert", "flush_folder", "make_link", "swap_link", "flush_store",
         "remove_old")


ISSUED_FOR = "issued-for.json"


@dataclass(frozen=True)
class InstalledPair:
    folder: Path
    cert_pem: bytes
    key_pem: bytes
    issued_for: bytes | None = None  # None: not recorded (a placeholder, or installed by an older version)

    @property
    def cert_path(self) -> Path:
        return self.folder / "cert.pem"

    @property
    def key_path(self) -> Path:
        return self.folder / "key.pem"


class CertStore:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def current(self) -> Path:
        return self.folder / CURRENT

    def exists(self) -> bool:
        return os.path.lexists(self.current)

    def load(self) -> InstalledPair | None:
        """The installed pair, None when nothing is installed; OSError when it exists but cannot be read."""
        if not self.exists():
            return None
        # Resolve the link once: both files then come from the same pair even if an installation swaps it now.
        folder = self.folder / os.readlink(self.current)
        issued_for = folder / ISSUED_FOR
        return InstalledPair(folder, (folder / "cert.pem").read_bytes(), (folder / "key.pem").read_bytes(),
                             issued_for.read_bytes() if issued_for.exists() else None)

    def install(self, cert_pem: bytes, key_pem: bytes, issued_for: bytes | None = None,
                step: Callable[[str], None] = lambda name: None) -> InstalledPair:
        """Install a (certificate chain, key) PEM pair, with the record of what it was issued for when given;
        returns it as installed (no need to load it back)."""
        step("make_folder")
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        pair = Path(tempfile.mkdtemp(prefix=PAIR_PREFIX, dir=self.folder))  # mode 0700
        step("write_key")
        write_new_file(pair / "key.pem", key_pem, 0o600)
        step("write_cert")
        write_new_file(pair / "cert.pem", cert_pem, 0o644)
        if issued_for is not None:
            write_new_file(pair / ISSUED_FOR, issued_for, 0o600)
        step("flush_folder")
        fsync_dir(pair)
        step("make_link")
        link = self.folder / f".{CURRENT}.{pair.name}"
        os.symlink(pair.name, link)  # relative: the store folder may move
        step("swap_link")
        os.replace(link, self.current)  # the commit point
        step("flush_store")
        fsync_dir(self.folder)
        step("remove_old")
        self._remove_all_but(pair.name)
        return InstalledPair(pair, cert_pem, key_pem, issued_for)

    def tidy(self) -> None:
        """Remove what an interrupted installation left behind (call it while no installation runs)."""
        if self.exists():
            self._remove_all_but(os.readlink(self.current))

    def _remove_all_but(self, keep: str) -> None:
        for entry in self.folder.iterdir():
            if entry.name in (keep, CURRENT):
                continue
            if entry.name.startswith(PAIR_PREFIX) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(f".{CURRENT}."):
                entry.unlink(missing_ok=True)
