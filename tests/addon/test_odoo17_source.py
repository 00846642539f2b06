"""The addons' source is Odoo 17's, file by file: a walk through their Python and XML fails on any name of a later
Odoo (or of the host) where Odoo 17 has its own (docs/odoo17-compatibility.md)."""

import ast
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
IOT_HTTPS = ROOT / "addons" / "iot_https"
HOST_DEMO = ROOT / "tests" / "host" / "addons" / "host_demo"
# host_demo tests the host itself: its pages and secret hashes come from the host's own helpers.
HOST_ONLY_IMPORTS = {IOT_HTTPS: set(), HOST_DEMO: {"odoo_host.web", "odoo_host.security"}}

# Keys of Odoo 17's configuration (odoo.tools.config) an addon may read; addons' own options live in config.misc.
ODOO17_CONFIG_KEYS = {"http_interface", "http_port", "data_dir", "addons_path", "db_name", "workers", "log_level"}
LATER_CRON_LESS_FIELDS = ("numbercall", "interval_number", "interval_type")  # Odoo 17 has them; 18 dropped one


def python_files(addon: Path) -> list[Path]:
    return sorted(addon.rglob("*.py"))


def xml_files(addon: Path) -> list[Path]:
    return sorted(addon.rglob("*.xml"))


def python_problems(path: Path, host_only: set[str], root: Path = ROOT) -> list[str]:
    """What in one Python file is not Odoo 17: each a message naming Odoo 17's way."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            module = node.module or ""
            if module.split(".")[0] == "odoo_host" and module not in host_only:
                problems.append(f"{where}: 'from {module} import': Odoo 17 addons import from odoo")
            if module.split(".")[0] in ("iot_https", "host_demo"):
                problems.append(f"{where}: 'from {module} import': an addon is odoo.addons.{module}")
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "odoo_host":
                    problems.append(f"{where}: 'import {alias.name}': Odoo 17 addons import odoo")
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "route":
            for keyword in node.keywords:
                if keyword.arg == "type" and isinstance(keyword.value, ast.Constant):
                    if keyword.value.value not in ("http", "json"):
                        problems.append(f"{where}: route type={keyword.value.value!r}: Odoo 17 has 'http' and 'json'")
        if isinstance(node, ast.keyword) and node.arg == "groups":
            if isinstance(node.value, ast.Constant) and "base.group_no_one" in str(node.value.value):
                problems.append(f"{where}: groups='base.group_no_one' is Technical Features; nobody: fields.NO_ACCESS")
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_auth_method_"):
            decorators = {getattr(d, "id", None) for d in node.decorator_list}
            if "classmethod" not in decorators:
                problems.append(f"{where}: {node.name} must be a @classmethod (Odoo 17 calls it on the class)")
        if (
            isinstance(node, ast.Subscript)
            and getattr(node.value, "id", None) == "config"
            and isinstance(node.slice, ast.Constant)
            and node.slice.value not in ODOO17_CONFIG_KEYS
        ):
            problems.append(f"{where}: config[{node.slice.value!r}] is no Odoo 17 option (addons: config.misc)")
        if isinstance(node, ast.Attribute) and node.attr == "_" and getattr(node.value, "attr", None) == "env":
            problems.append(f"{where}: env._ is Odoo 18's; Odoo 17 translates with _() from odoo")
    return problems


def xml_problems(path: Path, base: Path = ROOT) -> list[str]:
    """What in one XML data file is not Odoo 17."""
    root = etree.parse(str(path)).getroot()
    problems = []
    name = path.relative_to(base)
    for element in root.iter("list"):
        problems.append(f"{name}:{element.sourceline}: <list> is Odoo 18's; Odoo 17 writes <tree>")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("attrs", "states"):
            if attribute in element.attrib:
                problems.append(f"{name}:{element.sourceline}: {attribute}= was removed in Odoo 17 (invisible=...)")
        if element.tag == "chatter":
            problems.append(f"{name}:{element.sourceline}: <chatter/> is Odoo 18's")
    for field in root.iter("field"):
        if field.get("name") == "view_mode" and "list" in (field.text or "").split(","):
            problems.append(f"{name}:{field.sourceline}: view_mode {field.text}: Odoo 17 writes 'tree'")
    for record in root.iter("record"):
        if record.get("model") == "ir.cron":
            given = {f.get("name") for f in record.iter("field")}
            for missing in (f for f in LATER_CRON_LESS_FIELDS if f not in given):
                problems.append(
                    f"{name}:{record.sourceline}: cron {record.get('id')} has no {missing} "
                    "(Odoo 17: without numbercall a job runs once; -1 repeats it)"
                )
    return problems


@pytest.mark.parametrize("addon", [IOT_HTTPS, HOST_DEMO], ids=lambda p: p.name)
def test_the_addon_is_odoo_17_source(addon):
    problems = [p for path in python_files(addon) for p in python_problems(path, HOST_ONLY_IMPORTS[addon])]
    problems += [p for path in xml_files(addon) for p in xml_problems(path)]
    assert not problems, "\n".join(problems)


def test_the_walk_finds_each_later_name(tmp_path):
    """The walk is no rubber stamp: a file with each later name gets one complaint per name."""
    later_py = tmp_path / "later.py"
    later_py.write_text(
        "from odoo_host import models\n"
        "from odoo import http\n"
        "from odoo.tools import config\n"
        "class C(http.Controller):\n"
        "    @http.route('/x', type='jsonrpc')\n"
        "    def x(self):\n"
        "        return config['odoo_com_url'], self.env._('x')\n"
        "class H(models.AbstractModel):\n"
        "    secret = fields.Char(groups='base.group_no_one')\n"
        "    def _auth_method_box(self):\n"
        "        pass\n"
    )
    later_xml = tmp_path / "later.xml"
    later_xml.write_text(
        "<odoo><record id='v' model='ir.ui.view'><field name='arch' type='xml'>"
        "<list><field name='a' attrs=\"{'invisible': 1}\"/></list></field></record>"
        "<record id='a' model='ir.actions.act_window'><field name='view_mode'>list,form</field></record>"
        "<record id='c' model='ir.cron'><field name='interval_number'>1</field>"
        "<field name='interval_type'>days</field></record></odoo>"
    )
    found = python_problems(later_py, set(), tmp_path) + xml_problems(later_xml, tmp_path)
    wanted = [
        "'from odoo_host import'", "type='jsonrpc'", "config['odoo_com_url']", "env._ is Odoo 18's",
        "base.group_no_one", "_auth_method_box must be a @classmethod", "<list> is Odoo 18's", "attrs= was removed",
        "view_mode list,form", "has no numbercall",
    ]
    for text in wanted:
        assert sum(text in p for p in found) == 1, (text, found)
    assert len(found) == len(wanted), found


def test_the_tests_package_imports_every_test_module():
    imported = {
        alias.name
        for node in ast.walk(ast.parse((IOT_HTTPS / "tests" / "__init__.py").read_text()))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {p.stem for p in (IOT_HTTPS / "tests").glob("test_*.py")}


def test_the_commands_are_odoo_17_commands_of_a_cli_package():
    assert not (IOT_HTTPS / "cli.py").exists()
    init = ast.parse((IOT_HTTPS / "__init__.py").read_text())
    imported = {a.name for n in ast.walk(init) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert "cli" in imported, "Odoo 17 finds an addon's commands by importing the addon"
    from odoo.addons.iot_https.cli import check_eligibility, connect_token
    from odoo.cli import Command

    assert issubclass(connect_token.ConnectToken, Command) and connect_token.ConnectToken.name == "connect-token"
    assert check_eligibility.CheckEligibility.name == "check-eligibility"
    assert ast.literal_eval((IOT_HTTPS / "__manifest__.py").read_text())["version"].startswith("17.0.")
