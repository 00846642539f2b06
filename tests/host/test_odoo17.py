"""The host as Odoo 17: importable as ``odoo`` (unless a real Odoo is), addons as ``odoo.addons.<name>``, and the
names of later Odoo versions refused with the name Odoo 17 uses (docs/odoo17-compatibility.md)."""

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

import odoo_host
from odoo_host import cron, http
from odoo_host.data import XmlLoader
from odoo_host.exceptions import AccessError, ValidationError
from odoo_host.modules import NotOdoo17Error

from .common import DemoCase


def test_the_host_is_importable_as_odoo_with_odoo_17s_module_names():
    import odoo
    from odoo import _, api, fields, http, models  # noqa: F401 (importable is the point)
    from odoo.cli import Command
    from odoo.exceptions import UserError
    from odoo.tests.common import HttpCase, TransactionCase, tagged
    from odoo.tools import config

    assert UserError is odoo_host.exceptions.UserError, "one module object under two names, not a copy"
    assert models is odoo_host.models and api is odoo_host.api and config is odoo_host.tools.config
    assert odoo.SUPERUSER_ID == 1 and Command.__module__ == "odoo_host.cli"
    assert odoo.registry is odoo_host.alias.registry, "odoo.registry(name) opens the host's database"
    assert issubclass(HttpCase, TransactionCase)
    assert tagged("post_install", "-at_install")(type("T", (), {})).test_tags == {"post_install", "-at_install"}


def test_addons_are_odoo_addons_and_the_hosts_base_is_one_module():
    import odoo.addons.base.models.ir_http as base_ir_http
    from odoo.addons.iot_https.models import iot_box

    assert iot_box.__name__ == "odoo.addons.iot_https.models.iot_box"
    import odoo_host.addons.base.models.ir_http

    assert base_ir_http is odoo_host.addons.base.models.ir_http
    assert "iot_https" not in sys.modules, "the addon is not importable as a top-level package"


def run_python(code: str, pythonpath: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def real_odoo(tmp_path):
    """A folder holding a package ``odoo`` that is not the host (as a real Odoo's source folder would)."""
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo" / "__init__.py").write_text("REAL = True\n")
    return str(tmp_path)


def test_a_real_odoo_wins_over_the_alias(real_odoo):
    host_root = os.path.dirname(os.path.dirname(odoo_host.__file__))
    result = run_python(
        """
        import odoo_host, odoo
        from odoo_host import alias
        print(odoo.REAL, alias.install())
        """,
        [real_odoo, host_root],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_iot_server_says_why_it_cannot_run_beside_a_real_odoo(real_odoo):
    host_root = os.path.dirname(os.path.dirname(odoo_host.__file__))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([real_odoo, host_root])}
    result = subprocess.run(
        [sys.executable, "-m", "odoo_host", "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "a real Odoo is importable as 'odoo'" in result.stderr
    assert "run iot-server in a Python environment without Odoo" in result.stderr


def test_without_a_real_odoo_a_fresh_process_gets_the_alias():
    host_root = os.path.dirname(os.path.dirname(odoo_host.__file__))
    result = run_python(
        """
        import odoo_host
        from odoo.addons.iot_https.cli.connect_token import ConnectToken
        from odoo.cli import Command
        print(issubclass(ConnectToken, Command), ConnectToken.name)
        """,
        [host_root],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "connect-token"]


# -- later versions' names, refused ------------------------------------------------------------------------------
@pytest.mark.parametrize("later, odoo17", [("jsonrpc", "json")])
def test_a_route_of_a_later_type_is_refused_naming_odoo_17s(later, odoo17):
    with pytest.raises(NotOdoo17Error, match=f"type='{later}' is a later Odoo's name; Odoo 17 writes type='{odoo17}'"):
        http.route("/x", type=later)
    with pytest.raises(NotOdoo17Error, match="Odoo 17 knows type='http' and type='json'"):
        http.route("/x", type="rest")


def test_an_auth_method_that_is_not_a_class_method_is_refused():
    class IrHttp:
        def _auth_method_box(self):
            return self.env

    with pytest.raises(NotOdoo17Error, match=r"_auth_method_box must be a @classmethod .*use request.env"):
        http.check_auth_methods(IrHttp)


class TestLaterNamesInData(DemoCase):
    def test_a_list_view_is_refused_naming_tree(self):
        with self.assertRaisesRegex(ValidationError, "<list> is Odoo 18's name; Odoo 17 writes <tree>"):
            self.env["ir.ui.view"].create(
                {"name": "later", "model": "demo.box", "arch": '<list><field name="name"/></list>'}
            )

    def test_a_tree_view_is_the_tree_type(self):
        view = self.env["ir.ui.view"].create(
            {"name": "17", "model": "demo.box", "arch": '<tree><field name="name"/></tree>'}
        )
        self.assertEqual(view.type, "tree")

    def test_a_list_view_mode_is_refused_naming_tree_form(self):
        refused = "'list' is Odoo 18's name; Odoo 17 writes 'tree' .view_mode tree,form"
        with self.assertRaisesRegex(ValidationError, refused):
            self.env["ir.actions.act_window"].create(
                {"name": "later", "res_model": "demo.box", "view_mode": "list,form"}
            )


class TestCronNumbercall(DemoCase):
    """Odoo 17's ``numbercall``: runs left (default 1: once), -1 without limit."""

    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.tmp = Path(folder.name)

    def run_jobs(self):
        self.registry.test_cr = self.cr
        try:
            return cron.run_due_jobs(self.registry)
        finally:
            self.registry.test_cr = None

    def job(self, **values):
        self.cr.execute("UPDATE ir_cron SET active = false")
        return self.env["ir.cron"].create(
            {
                "name": "counted",
                "model_id": self.env.ref("host_demo.model_demo_box").id,
                "code": "model._cron_sweep()",
                "nextcall": "2000-01-01 00:00:00",
                **values,
            }
        )

    def test_a_job_without_numbercall_runs_once_as_on_odoo_17(self):
        job = self.job()
        self.assertEqual(job.numbercall, 1)
        self.assertEqual(self.run_jobs(), 1)
        self.env.invalidate_all()
        self.assertEqual((job.numbercall, job.active), (0, False))
        job.write({"nextcall": "2000-01-01 00:00:00"})
        self.assertEqual(self.run_jobs(), 0, "no run left")

    def test_numbercall_minus_one_runs_at_every_slot(self):
        job = self.job(numbercall=-1)
        for _slot in range(2):
            self.assertEqual(self.run_jobs(), 1)
            self.env.invalidate_all()
            job.write({"nextcall": "2000-01-01 00:00:00"})
        self.assertEqual((job.numbercall, job.active), (-1, True))

    def test_a_cron_record_without_numbercall_is_loaded_with_a_warning_naming_odoo_17s_field(self):
        data = self.tmp / "cron.xml"
        data.write_text(
            '<odoo><record id="later_cron" model="ir.cron"><field name="name">later</field>'
            '<field name="model_id" ref="host_demo.model_demo_box"/><field name="code">model._cron_sweep()</field>'
            '<field name="interval_number">1</field><field name="interval_type">days</field></record></odoo>'
        )
        with self.assertLogs("odoo_host.data", "WARNING") as logs:
            XmlLoader(self.env, "host_demo", data).load()
        self.assertIn("has no numbercall: Odoo 17 runs it once", logs.output[0])
        self.assertIn('<field name="numbercall">-1</field>', logs.output[0])
        self.assertEqual(self.env.ref("host_demo.later_cron").numbercall, 1)

    def test_numbercall_counts_down(self):
        job = self.job(numbercall=2)
        self.run_jobs()
        self.env.invalidate_all()
        self.assertEqual((job.numbercall, job.active), (1, True))


class TestNoAccess(DemoCase):
    def test_a_no_access_field_is_read_by_sudo_only_even_an_admin_is_refused(self):
        self.assertEqual(odoo_host.fields.NO_ACCESS, ".")
        box = self.env["demo.box"].create({"name": "B", "identifier": "no-access-1"})
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("base.group_system"))
        with self.assertRaisesRegex(AccessError, "not allowed to access the field 'secret'"):
            box.with_user(admin).read(["secret"])
        self.assertEqual(box.sudo().read(["secret"])[0]["secret"], box.secret)


def test_pytest_imports_an_addons_tests_under_their_odoo_addons_name(tmp_path):
    """The plugin's point: an addon's test module is ``odoo.addons.<addon>.tests.<module>``, never a second,
    top-level copy of the addon."""
    addon = tmp_path / "plugin_probe"
    (addon / "tests").mkdir(parents=True)
    (addon / "__manifest__.py").write_text("{'name': 'Plugin probe', 'depends': ['base']}\n")
    (addon / "__init__.py").write_text("")
    (addon / "tests" / "__init__.py").write_text("")
    (addon / "tests" / "test_probe.py").write_text(
        textwrap.dedent(
            """
            import sys

            import odoo.addons.plugin_probe


            def test_names():
                assert __name__ == "odoo.addons.plugin_probe.tests.test_probe"
                assert sys.modules[__name__].__file__ == __file__
                assert "plugin_probe" not in sys.modules and "tests" not in sys.modules
                assert odoo.addons.plugin_probe.__file__.startswith(ADDON_DIR)
            """
        ).replace("ADDON_DIR", repr(str(addon)))
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(addon / "tests")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
