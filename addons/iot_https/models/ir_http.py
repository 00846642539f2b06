"""The "box" route authentication: an IoT box proves who it is with the secret it got when it was paired."""

from odoo_host import _, api, models
from odoo_host.exceptions import AccessError
from odoo_host.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @api.model
    def _auth_method_box(self) -> None:
        """Set ``request.box`` from the ``Authorization: Bearer <box secret>`` header, or refuse the call."""
        scheme, _sep, secret = request.httprequest.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AccessError(_("This call needs the box secret: Authorization: Bearer <box secret>."))
        box = self.env["iot.box"].sudo()._authenticate_secret(secret.strip())
        if not box:
            raise AccessError(_("Unknown box secret: pair the IoT box again with a new connection token."))
        request.box = box
