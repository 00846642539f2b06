from odoo import models
from odoo.exceptions import AccessDenied
from odoo.http import request

from odoo_host.security import verify_secret


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _auth_method_box(cls):
        header = request.httprequest.headers.get("Authorization", "")
        identifier = request.httprequest.headers.get("X-Box", "")
        box = request.env["demo.box"].sudo().search([("identifier", "=", identifier)], limit=1)
        if not header.startswith("Bearer ") or not box or not verify_secret(header[7:], box.secret):
            raise AccessDenied("Unknown box or wrong box secret")
        cls._auth_method_public()
        request.box = box
