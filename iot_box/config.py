"""The box's configuration, ``<data-dir>/odoo.conf`` section ``[iot.box]`` (docs/protocols.md §3).

Every change rewrites the whole file atomically (mode 0600: it holds the box secret and the enterprise code);
keys and sections this box does not know are kept as they were.
"""

from __future__ import annotations

import configparser
import io
import threading
from pathlib import Path

from iot_common.files import atomic_write

SECTION = "iot.box"


class BoxConfig:
    """Thread-safe access to ``odoo.conf``; values are strings, a missing or empty key reads as None."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._parser = configparser.ConfigParser(interpolation=None)
        self._parser.optionxform = str  # keep keys exactly as written
        if self.path.exists():
            self._parser.read(self.path, encoding="utf-8")

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._parser.get(SECTION, key, fallback=None)
        return value or None

    def update(self, **values: str | None) -> None:
        """Set the given keys (None removes one) and write the file atomically."""
        with self._lock:
            if not self._parser.has_section(SECTION):
                self._parser.add_section(SECTION)
            for key, value in values.items():
                if value is None:
                    self._parser.remove_option(SECTION, key)
                else:
                    self._parser.set(SECTION, key, value)
            text = io.StringIO()
            self._parser.write(text)
            atomic_write(self.path, text.getvalue().encode("utf-8"), 0o600)
