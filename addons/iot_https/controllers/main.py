"""The routes IoT boxes call (docs/protocols.md §3): pairing, and reports of their certificate state."""

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request


class IotBoxController(http.Controller):
    # auth="public": the connection token (or the box secret) is the credential, not a user session.
    @http.route("/iot/setup", type="json", auth="public", methods=["POST"], csrf=False)
    def setup(self, token=None, **params):
        """Pair a box with a connection token, or refresh a paired box (``Authorization: Bearer``)."""
        if request.httprequest.headers.get("Authorization"):
            request.env["ir.http"]._auth_method_box()
            request.box._update_from_setup(params)
            return {"identifier": request.box.identifier, "box_secret": None}
        if not token:
            raise UserError(_("A connection token is needed to pair an IoT box: create one in the database."))
        box, secret = request.env["iot.box"].sudo()._pair_with_token(token, params)
        return {"identifier": box.identifier, "box_secret": secret}

    # auth="public": a box that sends its secret is authenticated as on /iot/setup; an 18.3+/19 box sends none,
    # and may then change only the certificate fields of a paired box (docs/threat-model.md).
    @http.route(
        "/iot/box/update_certificate_status", type="json", auth="public", methods=["POST"], csrf=False
    )
    def update_certificate_status(self, **params):
        if request.httprequest.headers.get("Authorization"):
            request.env["ir.http"]._auth_method_box()
            request.box._report_certificate_status(params)
        else:
            request.env["iot.box"].sudo()._report_certificate_status_without_secret(params)
        return True
