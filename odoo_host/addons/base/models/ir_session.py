"""Web sessions kept in PostgreSQL, so that several workers and machines share them.

The session id travels in a cookie; only its SHA-256 is stored, so a copy of the database opens no session.
"""

from odoo_host import api, fields, models


class IrSession(models.Model):
    _name = "ir.session"
    _description = "Web Session"
    _log_access = False

    sid_hash = fields.Char(required=True, index=True)
    uid = fields.Many2one("res.users", ondelete="cascade")
    csrf_secret = fields.Char(required=True)
    context = fields.Text(default="{}")
    expiration = fields.Datetime(required=True, index=True)

    _sql_constraints = [("sid_hash_uniq", "unique (sid_hash)", "A session id is used once.")]

    @api.model
    def _gc(self) -> None:
        """Cron: delete the expired sessions."""
        self.env.cr.execute("DELETE FROM ir_session WHERE expiration < (now() at time zone 'UTC')")
