"""Database parameters (``database.uuid``, ...): key/value pairs read and written with sudo rights."""

from __future__ import annotations

import datetime
import secrets
import uuid

from odoo_host import fields, models
from odoo_host.exceptions import UserError
from odoo_host.tools import config

READ_ONLY = ("database.uuid", "database.create_date")


class IrConfigParameter(models.Model):
    _name = "ir.config_parameter"
    _description = "System Parameter"
    _rec_name = "key"
    _order = "key"

    key = fields.Char(required=True, index=True)
    value = fields.Text(required=True)

    _sql_constraints = [("key_uniq", "unique (key)", "Key must be unique.")]

    def get_param(self, key: str, default: str | bool = False) -> str | bool:
        """Readable by any code (with sudo), as in Odoo: parameters are the addons' settings."""
        param = self.sudo().search_fetch([("key", "=", key)], ["value"], limit=1)  # one round trip
        return param.value if param else default

    def set_param(self, key: str, value: str | bool) -> str | bool:
        """Set (or remove, with a false value) a parameter; returns the previous value. Needs the write right
        on parameters (Settings group), as in Odoo: code acting for a box calls it through ``sudo()``."""
        self.check_access_rights("write")
        param = self.sudo().search_fetch([("key", "=", key)], ["value"], limit=1)  # one round trip
        old = param.value if param else False
        if key in READ_ONLY and param and value != old:
            raise UserError(f"{key} is read-only")
        if value is False or value is None:
            param.unlink()
        elif param:
            param.write({"value": str(value)})
        else:
            self.sudo().create({"key": key, "value": str(value)})
        return old

    def _init_database_params(self) -> None:
        """At the first init: the database's identity (``database.uuid``), creation date and secret."""
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
        for key, make in (
            ("database.uuid", lambda: str(uuid.uuid4())),
            ("database.create_date", lambda: now),
            ("database.secret", lambda: secrets.token_hex(32)),
            # Where users (and boxes) reach the server; Odoo 17's default, changed with `config set`.
            ("web.base.url", lambda: f"http://localhost:{config['http_port']}"),
        ):
            if not self.get_param(key):
                self.set_param(key, make())
