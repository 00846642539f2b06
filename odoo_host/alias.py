"""The host importable as ``odoo``, so that an addon's source reads as on Odoo 17 (``from odoo import models``).

``install()`` puts a finder first on ``sys.meta_path`` that answers ``odoo`` and ``odoo.<name>`` with the host's
own module objects (``odoo.exceptions`` *is* ``odoo_host.exceptions``: one ``UserError`` class, not two).
``odoo.addons`` is ``odoo_host.addons``, whose ``__path__`` grows by the folders of the addons path, as Odoo's
``initialize_sys_path`` does: ``odoo.addons.iot_https`` is then imported by Python's own path finder, under that
name. It does nothing when a real Odoo is importable: a real ``odoo`` always wins. docs/odoo17-compatibility.md.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HOST = "odoo_host"
ALIAS = "odoo"
HOST_ADDONS = ("base",)  # the host's own addons: modules of odoo_host.addons, whatever the addons path holds


class RealOdooError(RuntimeError):
    """A real Odoo is importable as ``odoo``: the host's alias stays out of its way."""


class _AliasLoader(importlib.abc.Loader):
    """Hands out the host module ``target`` under the alias name: ``exec_module`` swaps it into ``sys.modules``,
    which is what the import system returns, so the host module keeps its own name and spec."""

    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return types.ModuleType(spec.name)  # a placeholder, replaced by exec_module

    def exec_module(self, module: types.ModuleType) -> None:
        sys.modules[module.__name__] = _facade() if self.target == HOST else importlib.import_module(self.target)


class _AliasFinder(importlib.abc.MetaPathFinder):
    """``odoo`` and ``odoo.x.y`` -> ``odoo_host`` and ``odoo_host.x.y``; ``odoo.addons.<addon>`` is left to the
    path finder (on ``odoo.addons.__path__``) except the host's own addons (``base``), which are host modules."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != ALIAS and not fullname.startswith(ALIAS + "."):
            return None
        parts = fullname.split(".")
        if len(parts) > 2 and parts[1] == "addons" and parts[2] not in HOST_ADDONS:
            return None
        host_name = HOST + fullname[len(ALIAS):]
        if importlib.util.find_spec(host_name) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(host_name), is_package=True)


_FINDER = _AliasFinder()


def registry(database_name: str) -> Any:
    """``odoo.registry(name)``: the registry of the host's database (Odoo 17's idiom in a ``cli/`` command)."""
    from .cli import open_registry  # the command line knows the database the command runs on

    return open_registry(database_name)


def _facade() -> types.ModuleType:
    """The module ``odoo``: the host package's names, plus what Odoo 17 defines in ``odoo/__init__.py`` that
    the host keeps elsewhere (``registry``)."""
    host = importlib.import_module(HOST)
    module = types.ModuleType(ALIAS, host.__doc__)
    module.__path__ = []  # a package: its submodules come from the finder
    module.__getattr__ = lambda name: getattr(host, name)  # PEP 562: the host's names, looked up when asked
    module.registry = registry
    return module


def install() -> bool:
    """Install the alias unless a real ``odoo`` is importable; returns whether the alias is in place."""
    if _FINDER in sys.meta_path:
        return True
    if ALIAS in sys.modules or importlib.util.find_spec(ALIAS) is not None:  # some other odoo package
        return False
    sys.meta_path.insert(0, _FINDER)
    return True


def add_addons_path(folders: Sequence[str | Path]) -> None:
    """Make the addons of ``folders`` importable as ``odoo.addons.<name>`` (Odoo extends ``odoo.addons.__path__``
    with its addons path the same way)."""
    addons = importlib.import_module(HOST + ".addons")
    for folder in folders:
        folder = str(Path(folder).resolve())
        if folder not in addons.__path__:
            addons.__path__.append(folder)


def require() -> None:
    """Install the alias or say why the host cannot run here."""
    if not install():
        found = importlib.util.find_spec(ALIAS)
        where = found.origin if found else "sys.modules"
        raise RealOdooError(
            f"a real Odoo is importable as 'odoo' ({where}): its addons run with odoo-bin, not iot-server; "
            "run iot-server in a Python environment without Odoo"
        )
