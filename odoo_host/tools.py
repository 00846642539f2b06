"""``config``: the server's options, under Odoo 17's names (``http_interface``, ``http_port``, ``addons_path``,
``data_dir``, ``workers``, ``db_name``), and ``config.misc``: the sections Odoo reads from its configuration file
for addons (``[iot_https]``), here filled from the command line. docs/odoo17-compatibility.md."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

import psycopg2.extensions

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
DATABASE_NAME = "iot_https"  # the database of the embedded cluster

DEFAULTS: dict = {
    "data_dir": ".state/server",
    "http_interface": "127.0.0.1",
    "http_port": 8069,
    "db_dsn": None,
    "db_name": DATABASE_NAME,
    # The addons/ folder of the checkout, or in an installed copy the one its addons are installed in
    # (odoo_host/addons, which the wheel gives them); without any (the host alone) the server runs ``base`` only.
    "addons_path": [str(p) for p in [REPO_ROOT / "addons"] if p.is_dir()] or [str(PACKAGE_ROOT / "addons")],
    "workers": 2,
    "cron_interval": 60,
    "log_level": "warning",
}

# Command-line options that fill an addon's section of ``config.misc``: option -> (section, key).
MISC_OPTIONS = {
    "odoo_com_url": ("iot_https", "odoo_com_url"),
    "odoo_com_ca": ("iot_https", "odoo_com_ca"),
}


def add_common_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """The options every command takes, before or after the command's name (Odoo's names where Odoo has one)."""
    default = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument("--data-dir", help="state folder (the embedded PostgreSQL lives in DIR/pg)", **default)
    # --host and --port: the names every command of this project takes (docs/deployment.md), beside Odoo's.
    parser.add_argument("--http-interface", "--host", dest="http_interface",
                        help="address to listen on (default 127.0.0.1)", **default)
    parser.add_argument("-p", "--http-port", "--port", dest="http_port", type=int, help="HTTP port (default 8069)",
                        **default)
    parser.add_argument(
        "--db-dsn", help="PostgreSQL DSN (or IOT_HTTPS_DB_DSN; default: embedded cluster)", **default
    )
    parser.add_argument("--addons-path", help="comma-separated folders holding addons", **default)
    parser.add_argument(
        "--odoo-com-url", help="odoo.com base URL (the [iot_https] odoo_com_url option)", **default
    )
    parser.add_argument(
        "--odoo-com-ca", help="CA bundle (PEM) to verify odoo.com with ([iot_https] odoo_com_ca)", **default
    )
    parser.add_argument(
        "--workers", type=int, help="server worker processes (0: one process with threads)", **default
    )
    parser.add_argument("--log-level", help="debug, info, warning (default), error", **default)


class Config(dict):
    """A dict of the options, with defaults, and ``misc`` (section -> key -> value) for addons' options."""

    def __init__(self) -> None:
        super().__init__(DEFAULTS)
        self.misc: dict[str, dict[str, Any]] = {}

    def reset(self) -> None:
        self.clear()
        self.update(DEFAULTS)
        self.misc = {}

    def apply(self, args: argparse.Namespace) -> None:
        """Take the options given in ``args`` (those not given keep their value)."""
        for key, value in vars(args).items():
            if value is None:
                continue
            if key in MISC_OPTIONS:
                section, name = MISC_OPTIONS[key]
                self.misc.setdefault(section, {})[name] = value
            elif key == "addons_path" and isinstance(value, str):
                self[key] = [p.strip() for p in value.split(",") if p.strip()]
            elif key in DEFAULTS:
                self[key] = value
        if getattr(args, "db_dsn", None):
            self["db_name"] = psycopg2.extensions.parse_dsn(args.db_dsn).get("dbname") or DATABASE_NAME
        root = logging.getLogger()
        if not root.handlers:
            logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if getattr(args, "log_level", None):  # else the root logger's own level: warning, the default
            root.setLevel(self["log_level"].upper())

    def parse_config(self, args: list[str] | None = None) -> None:
        """Odoo 17's ``config.parse_config(args)``: read the server options in ``args`` (a command's arguments
        after its own), refusing any other."""
        parser = argparse.ArgumentParser(prog="iot-server", add_help=False)
        add_common_options(parser, suppress=True)
        self.apply(parser.parse_args(args or []))


config = Config()
