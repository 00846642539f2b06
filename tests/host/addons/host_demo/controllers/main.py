from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo_host.web import E, layout


class DemoController(http.Controller):
    @http.route("/demo/echo", type="json", auth="none")
    def echo(self, text, times=1):
        return {"text": text * times}

    @http.route("/demo/fail", type="json", auth="none")
    def fail(self, kind):
        if kind == "user":
            raise UserError(_("This cannot be done"))
        return 1 / 0

    @http.route("/demo/box/report", type="json", auth="box")
    def report(self, ip):
        request.box.write({"ip": ip})
        return {"identifier": request.box.identifier, "ip_url": request.box.ip_url}

    @http.route("/demo/whoami", type="json", auth="user")
    def whoami(self):
        return {"login": request.env.user.login, "lang": request.env.lang}

    @http.route("/demo/hello", type="http", auth="public", methods=["GET"])
    def hello(self, name="world"):
        return layout(_("Hello"), E.p(_("Hello"), " ", name), request)

    @http.route("/demo/note", type="http", auth="user", methods=["POST"])
    def note(self, box_id, note):
        request.env["demo.box"].browse(int(box_id)).write({"note": note})
        return request.redirect(f"/odoo/action-host_demo.action_demo_box/{int(box_id)}")
