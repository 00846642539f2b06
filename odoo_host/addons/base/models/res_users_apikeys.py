"""API keys: a user's alternative to the password for the external API; only their hash is stored."""

from __future__ import annotations

import secrets

from odoo_host import api, fields, models
from odoo_host.security import hash_secret, verify_secret

INDEX_SIZE = 8  # the key's first characters, kept in clear to find the row (as Odoo does)


class ResUsersApikeys(models.Model):
    _name = "res.users.apikeys"
    _description = "Users API Keys"
    _order = "id desc"

    name = fields.Char(string="Description", required=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", index=True)
    scope = fields.Char(default="rpc")
    index = fields.Char(index=True, groups=fields.NO_ACCESS)
    key = fields.Char(groups=fields.NO_ACCESS)

    @api.model
    def _generate(self, scope: str | None, name: str) -> str:
        """Make a key for the current user; the only time the key is shown in clear."""
        key = secrets.token_hex(20)
        self.sudo().create(
            {
                "name": name,
                "user_id": self.env.uid,
                "scope": scope or "rpc",
                "index": key[:INDEX_SIZE],
                "key": hash_secret(key),
            }
        )
        return key

    @api.model
    def _check_credentials(self, scope: str, key: str) -> int | None:
        """The id of the active user owning ``key`` for ``scope``, or None."""
        self.env.cr.execute(
            "SELECT k.user_id, k.key FROM res_users_apikeys k JOIN res_users u ON u.id = k.user_id "
            "WHERE k.index = %s AND u.active AND (k.scope IS NULL OR k.scope = %s)",
            (key[:INDEX_SIZE], scope),
        )
        for user_id, hashed in self.env.cr.fetchall():
            if verify_secret(key, hashed):
                return user_id
        return None
