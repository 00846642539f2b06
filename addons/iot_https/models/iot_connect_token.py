"""Connection tokens: what an admin pastes on a box's homepage to pair it with this database (docs/protocols.md §3)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import issue_secret, secret_index, verify_secret

VALIDITY = timedelta(minutes=15)


class IotConnectToken(models.Model):
    _name = "iot.connect.token"
    _description = "IoT Connection Token"
    _order = "id desc"

    token_index = fields.Char(required=True, index=True, readonly=True)
    token_hash = fields.Char(required=True, readonly=True, groups=fields.NO_ACCESS)  # sudo only
    expires_at = fields.Datetime(string="Valid Until", required=True, readonly=True)
    used_at = fields.Datetime(string="Used On", readonly=True)
    box_identifier = fields.Char(string="Used By", readonly=True)

    @api.model
    def _issue(self, server_url: str | None = None) -> str:
        """Create a token and return the connection string a box takes; the secret is shown this once only.

        ``server_url`` is where boxes reach this server; by default the database's ``web.base.url``.
        """
        params = self.env["ir.config_parameter"].sudo()
        server_url = server_url or params.get_param("web.base.url")
        db_uuid = params.get_param("database.uuid")
        enterprise_code = params.get_param("database.enterprise_code")
        if not enterprise_code:
            raise UserError(
                _("Set the database's enterprise code first (iot-server config set database.enterprise_code "
                  "CODE).")
            )
        issued = issue_secret()
        self.create(
            {
                "token_index": issued.index,
                "token_hash": issued.hashed,
                "expires_at": fields.Datetime.now() + VALIDITY,
            }
        )
        query = urlencode({"token": issued.secret, "db_uuid": db_uuid, "enterprise_code": enterprise_code})
        return f"{server_url.rstrip('/')}?{query}"

    @api.model
    def _consume(self, secret: str, box_identifier: str) -> None:
        """Use up a token for the box ``box_identifier``, or raise UserError saying why it cannot be used."""
        index = secret_index(secret) if isinstance(secret, str) else None
        token = self.browse()
        if index:
            # Lock the row before reading it: of two boxes racing with one token, the second sees it used.
            self.env.cr.execute(
                "SELECT id FROM iot_connect_token WHERE token_index = %s FOR UPDATE", (index,)
            )
            row = self.env.cr.fetchone()
            token = self.browse(row[0]) if row else token
        if not token or not verify_secret(secret, token.token_hash):
            raise UserError(_("This connection token is invalid: create a new one in the database."))
        if token.used_at:
            raise UserError(_("This connection token was already used: create a new one in the database."))
        if token.expires_at <= fields.Datetime.now():
            raise UserError(_("This connection token has expired (valid 15 minutes): create a new one."))
        token.write({"used_at": fields.Datetime.now(), "box_identifier": box_identifier})

    @api.model
    def _cron_remove_expired(self) -> None:
        """Forget tokens a day after they expired: they can no longer be used and nobody needs them."""
        self.search([("expires_at", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
