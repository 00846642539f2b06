"""The "box" route authentication: an IoT box proves who it is with the secret it got when it was paired."""

from odoo import _, models
from odoo.exceptions import AccessError
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _auth_method_box(cls):
        """Set ``request.box`` from the ``Authorization: Bearer <box secret>`` header, or refuse the call.

        A class method, as Odoo 17 calls every ``_auth_method_*``: the request's environment is ``request.env``.
        """
        scheme, _sep, secret = request.httprequest.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AccessError(_("This call needs the box secret: Authorization: Bearer <box secret>."))
        box = request.env["iot.box"].sudo()._authenticate_secret(secret.strip())
        if not box:
            raise AccessError(_("Unknown box secret: pair the IoT box again with a new connection token."))
        request.box = box
