"""What the host's tests share: the demo addon's folder, and TransactionCase/HttpCase bound to it."""

from pathlib import Path

from odoo_host.tests import HttpCase, TransactionCase

DEMO_ADDONS = str(Path(__file__).resolve().parent / "addons")


class DemoCase(TransactionCase):
    addons_path = [DEMO_ADDONS]


class DemoHttpCase(HttpCase):
    addons_path = [DEMO_ADDONS]
