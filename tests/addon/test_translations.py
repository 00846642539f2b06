"""Dutch for every user-visible string of the addon: labels, help, selection values, messages, views."""

import ast
from pathlib import Path

from lxml import etree
from odoo.addons import iot_https
from odoo.addons.iot_https.models.iot_box import BOX_ERRORS, LATE_SUBSCRIPTION_ADVICE, UNKNOWN_ERROR
from odoo.addons.iot_https.models.iot_eligibility import NOT_PRODUCTION
from odoo.tests.common import TransactionCase

from odoo_host.i18n import parse_po

ADDON = Path(iot_https.__file__).resolve().parent
MODELS = ["iot.box", "iot.subscription", "iot.subscription.line", "iot.connect.token"]
AUTOMATIC = ("id", "create_uid", "create_date", "write_uid", "write_date", "display_name")
VISIBLE_ATTRIBUTES = ("string", "name")  # name: of menus and of the records' <field name="name">


def message_literals() -> set[str]:
    """Every string literal passed to _() in the addon's Python code."""
    found = set()
    for path in ADDON.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args:
                if isinstance(node.args[0], ast.Constant):
                    found.add(node.args[0].value)
    return found


def view_strings() -> set[str]:
    """Labels in views, menus, actions, groups and cron names."""
    found = set()
    for path in [*ADDON.glob("views/*.xml"), *ADDON.glob("security/*.xml"), *ADDON.glob("data/ir_cron*.xml")]:
        root = etree.parse(str(path)).getroot()
        found |= {node.get("string") for node in root.iter() if node.get("string")}
        found |= {node.get("name") for node in root.iter("menuitem")}
        found |= {
            node.text
            for node in root.iter("field")
            if node.get("name") == "name" and node.text and "." not in node.text
        }
    return found


class TestDutch(TransactionCase):
    def test_every_visible_string_has_a_dutch_translation(self):
        catalog = parse_po((ADDON / "i18n" / "nl.po").read_text(encoding="utf-8"))
        wanted = message_literals() | view_strings()
        wanted |= {LATE_SUBSCRIPTION_ADVICE, NOT_PRODUCTION, *UNKNOWN_ERROR}
        for explanation, remedy in BOX_ERRORS.values():
            wanted |= {explanation, remedy}
        for model_name in MODELS:
            model = self.env[model_name]
            wanted.add(model._description)
            for field in model._fields.values():
                if field.name in AUTOMATIC:
                    continue
                wanted.add(field.string)
                if field.help:
                    wanted.add(field.help)
                if field.type == "selection":
                    wanted |= {label for _value, label in field.get_values(model)}
        missing = sorted(text for text in wanted if text not in catalog)
        self.assertEqual(missing, [], "strings without a Dutch translation in i18n/nl.po")
