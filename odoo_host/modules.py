"""Addons on disk: find them in the addons path, read their manifests, order them by dependency, import them.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import alias

BASE_PATH = Path(__file__).resolve().parent / "addons" / "base"


class ModuleError(RuntimeError):
    """An addon is missing, its manifest is broken or its dependencies cannot be met."""


class NotOdoo17Error(ModuleError):
    """An addon uses a later Odoo's name (or way) where Odoo 17 has its own: the message names 17's."""


@dataclass
class Manifest:
    name: str
    path: Path
    package: str  # the Python package to import
    version: str = "1.0"
    depends: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    demo: list[str] = field(default_factory=list)
    installable: bool = True
    post_init_hook: str = ""  # a function of the addon's package, called with ``env`` after its first install


def read_manifest(path: Path, package: str) -> Manifest:
    manifest_file = path / "__manifest__.py"
    try:
        raw = ast.literal_eval(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, SyntaxError) as exc:
        raise ModuleError(f"cannot read {manifest_file}: {exc}") from exc
    if not isinstance(raw, dict):
        raise ModuleError(f"{manifest_file} must hold one dict literal")
    depends = list(raw.get("depends", []))
    if path.name != "base" and "base" not in depends:
        depends.insert(0, "base")
    return Manifest(
        name=path.name,
        path=path,
        package=package,
        version=str(raw.get("version", "1.0")),
        depends=depends,
        data=list(raw.get("data", [])),
        demo=list(raw.get("demo", [])),
        installable=bool(raw.get("installable", True)),
        post_init_hook=str(raw.get("post_init_hook") or ""),
    )


def available(addons_path: list[str]) -> dict[str, Manifest]:
    """Every addon found: the host's ``base`` and each folder with a ``__manifest__.py`` in the addons path.
    """
    found = {"base": read_manifest(BASE_PATH, "odoo_host.addons.base")}
    for folder in addons_path:
        root = Path(folder).resolve()
        if not root.is_dir():
            raise ModuleError(f"addons path {root} is not a folder")
        for manifest_file in sorted(root.glob("*/__manifest__.py")):
            name = manifest_file.parent.name
            if name not in found:
                found[name] = read_manifest(manifest_file.parent, f"odoo.addons.{name}")
    return found


def resolve(names: list[str], found: dict[str, Manifest]) -> list[Manifest]:
    """``names`` and their dependencies, each after what it depends on."""
    ordered: list[Manifest] = []
    visiting: set[str] = set()

    def visit(name: str, wanted_by: str | None) -> None:
        if any(m.name == name for m in ordered):
            return
        if name not in found:
            by = f" (needed by {wanted_by})" if wanted_by else ""
            raise ModuleError(f"addon '{name}'{by} not found in the addons path")
        if name in visiting:
            raise ModuleError(f"addon '{name}' depends on itself through its dependencies")
        visiting.add(name)
        for dependency in found[name].depends:
            visit(dependency, name)
        visiting.discard(name)
        ordered.append(found[name])

    for name in names:
        visit(name, None)
    return ordered


def post_init_hook(manifest: Manifest) -> Callable[[Any], None] | None:
    """The function the manifest names as ``post_init_hook`` (in the addon's package), or None."""
    if not manifest.post_init_hook:
        return None
    hook = getattr(importlib.import_module(manifest.package), manifest.post_init_hook, None)
    if not callable(hook):
        raise ModuleError(
            f"addon '{manifest.name}': post_init_hook '{manifest.post_init_hook}' is not a function of its package"
        )
    return hook


def import_addons(manifests: list[Manifest], addons_path: list[str]) -> None:
    """Import the addons' Python packages as ``odoo.addons.<name>`` (which declares their models, controllers and
    commands)."""
    alias.require()
    alias.add_addons_path(addons_path)
    for manifest in manifests:
        importlib.import_module(manifest.package)
