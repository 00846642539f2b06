"""A non-editable install (``pip install .``) carries everything the server needs: the host, its base addon's
data files, the iot_https addon with its data, views, access rights and translations, the box's stylesheet; and it
runs from outside the checkout with the default addons path."""

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel ``pip install .`` would install, built from a clean copy (a checkout's build/ folder would
    hand it files the configuration no longer ships)."""
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "source"
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "node_modules")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = folder.glob("*.whl")
    return built


def test_the_wheel_holds_every_file_the_addons_load(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    # Addons go inside the host's addons folder, which the odoo alias serves as odoo.addons.
    for addon in (ROOT / "odoo_host" / "addons" / "base", ROOT / "addons" / "iot_https"):
        manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
        wanted = [*manifest.get("data", []), *manifest.get("demo", []), "__manifest__.py", "cli/__init__.py"]
        wanted += [str(po.relative_to(addon)) for po in addon.glob("i18n/*.po*")]
        wanted = [f for f in wanted if (addon / f).exists()]
        installed_as = f"odoo_host/addons/{addon.name}"
        missing = [f for f in wanted if f"{installed_as}/{f}" not in names]
        assert not missing, f"{installed_as}: not in the wheel: {missing}"
    assert {"iot_box/static/style.css", "iot_box/i18n/nl.po", "odoo_host/static/style.css",
            "odoo_host/static/copy.js"} <= names
    top_level = {name.split("/")[0] for name in names if "/" in name and ".dist-info" not in name}
    assert not {"addons", "iot_https", "bench"} & top_level, top_level


def test_an_installed_copy_runs_from_elsewhere_with_its_own_addons(wheel, tmp_path, fresh_db_dsn):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # The installed copy first on the path; run from a folder that is not the checkout.
    env = {**os.environ, "PYTHONPATH": str(site)}

    def iot_server(*args):
        return subprocess.run(
            [sys.executable, "-m", "odoo_host", *args], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=180, check=False,
        )

    help_text = iot_server("--help")
    assert help_text.returncode == 0, help_text.stderr
    assert "check-eligibility" in help_text.stdout and "connect-token" in help_text.stdout
    options = ["--db-dsn", fresh_db_dsn, "--data-dir", str(tmp_path / "data"), "--odoo-com-url", "http://127.0.0.1:9"]
    init = iot_server("init", "--demo", *options)
    assert init.returncode == 0, init.stderr
    assert "ready with addons: base, iot_https" in init.stdout
    where = iot_server("config", "get", "database.environment", *options)
    assert where.stdout.strip() == "production"
    addon = subprocess.run(
        [sys.executable, "-c", "import odoo_host, odoo.addons.iot_https as a; print(a.__name__, a.__file__)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=True,
    ).stdout.split()
    assert addon == ["odoo.addons.iot_https", str(site / "odoo_host" / "addons" / "iot_https" / "__init__.py")]
    source = subprocess.run(
        [sys.executable, "-c", "import odoo_host.tools as t; print(t.__file__, t.DEFAULTS['addons_path'])"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    assert source.count(str(site)) == 2, f"not the installed copy: {source}"
