from odoo_host import models
from odoo_host.exceptions import AccessDenied
from odoo_host.http import request
from odoo_host.security import verify_secret


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def _auth_method_box(self):
        header = request.httprequest.headers.get("Authorization", "")
        identifier = request.httprequest.headers.get("X-Box", "")
        box = self.env["demo.box"].sudo().search([("identifier", "=", identifier)], limit=1)
        if not header.startswith("Bearer ") or not box or not verify_secret(header[7:], box.secret):
            raise AccessDenied("Unknown box or wrong box secret")
        self._auth_method_public()
        request.box = box
