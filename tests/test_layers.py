"""The packages lean one way: ``iot_stack`` (the glue) imports the parts, no part imports it, and the leaf
``iot_common`` imports no part. The mock's pytest plugin, loaded by any project that installs us, stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARTS = ["iot_common", "odoo_host", "mock_odoo_com", "iot_box", "addons"]
OUR_PACKAGES = {"iot_common", "odoo_host", "mock_odoo_com", "iot_box", "addons", "iot_stack", "bench", "odoo"}


def _imported_packages(package: str) -> dict[str, set[str]]:
    """Each source file of ``package`` and the top-level packages it imports (absolute imports only)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("package", PARTS)
def test_no_part_imports_the_glue(package):
    offenders = [path for path, names in _imported_packages(package).items() if "iot_stack" in names]
    assert offenders == [], f"{package} must not import iot_stack (it is the glue on top): {offenders}"


def test_the_leaf_module_imports_no_part_of_ours():
    offenders = {path: sorted(names & OUR_PACKAGES - {"iot_common"})
                 for path, names in _imported_packages("iot_common").items() if names & OUR_PACKAGES - {"iot_common"}}
    assert offenders == {}


def test_the_walk_sees_an_import_of_the_glue(tmp_path, monkeypatch):
    # The check above must be able to fail: a part that imports iot_stack is found.
    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "x.py").write_text("import os\nfrom iot_stack.system import System\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _imported_packages("part") == {"part/x.py": {"os", "iot_stack"}}


def test_the_mock_pytest_plugin_pulls_in_neither_psycopg2_nor_the_glue():
    code = (
        "import sys, mock_odoo_com.pytest_plugin\n"
        "print(sorted(m for m in ('psycopg2', 'iot_stack', 'odoo_host', 'iot_box') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
