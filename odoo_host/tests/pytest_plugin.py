"""pytest plugin (entry point ``odoo_host``): the ``odoo`` alias in every test process, and an addon's test
modules imported as ``odoo.addons.<addon>.tests.<module>``, as Odoo's test runner imports them. Without it pytest
would import them as a top-level ``<addon>`` package: a second copy of the addon beside ``odoo.addons.<addon>``."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from .. import alias


def _addon_test_module(path: Path) -> str | None:
    """``odoo.addons.<addon>.tests.<module>`` for a test module of an addon's ``tests`` package, else None."""
    tests = path.parent
    addon = tests.parent
    if tests.name != "tests" or not (addon / "__manifest__.py").is_file() or not (tests / "__init__.py").is_file():
        return None
    return f"odoo.addons.{addon.name}.tests.{path.stem}"


class AddonTestModule(pytest.Module):
    """A test module of an addon, imported under its ``odoo.addons`` name."""

    def _getobj(self) -> ModuleType:
        alias.require()
        alias.add_addons_path([self.path.parent.parent.parent])
        return importlib.import_module(_addon_test_module(self.path))


def _addon_package(path: Path) -> str | None:
    """``odoo.addons.<addon>`` for an addon's folder, ``odoo.addons.<addon>.tests`` for its tests package."""
    if not (path / "__init__.py").is_file():
        return None
    if (path / "__manifest__.py").is_file():
        return f"odoo.addons.{path.name}"
    if path.name == "tests" and (path.parent / "__manifest__.py").is_file():
        return f"odoo.addons.{path.parent.name}.tests"
    return None


class AddonPackage(pytest.Package):
    """An addon's folder or its ``tests`` package. pytest's own would import its ``__init__.py`` (looking for
    ``setUpModule``) as a top-level ``<addon>``; this one imports it under its ``odoo.addons`` name. Odoo addons
    have no module-level set-up, so importing is all there is to do."""

    def setup(self) -> None:
        alias.require()
        addon = self.path if (self.path / "__manifest__.py").is_file() else self.path.parent
        alias.add_addons_path([addon.parent])
        importlib.import_module(_addon_package(self.path))


def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _addon_package(path) is None:
        return None
    return AddonPackage.from_parent(parent, path=path)


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if _addon_test_module(module_path) is None:
        return None
    return AddonTestModule.from_parent(parent, path=module_path)
