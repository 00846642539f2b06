import datetime

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo_host.security import hash_secret


class DemoBox(models.Model):
    _name = "demo.box"
    _description = "Demo Box"
    _order = "name, id"

    name = fields.Char(required=True)
    identifier = fields.Char(required=True, index=True)
    ip = fields.Char(string="Address")
    ip_url = fields.Char(string="URL", compute="_compute_ip_url", store=True)
    owner_id = fields.Many2one("demo.owner", string="Owner", ondelete="cascade")
    end_date = fields.Datetime(string="Valid until")
    state = fields.Selection([("draft", "Draft"), ("paired", "Paired")], default="draft", required=True)
    certificate_state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired"), ("missing", "Missing")],
        compute="_compute_certificate_state",
        search="_search_certificate_state",
    )
    note = fields.Text()
    secret = fields.Char(groups=fields.NO_ACCESS)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("identifier_unique", "unique (identifier)", "A box with this identifier already exists."),
    ]

    @api.depends("ip")
    def _compute_ip_url(self):
        for box in self:
            box.ip_url = f"http://{box.ip}" if box.ip else False

    def _compute_certificate_state(self):
        now = fields.Datetime.now()
        for box in self:
            if not box.end_date:
                box.certificate_state = "missing"
            else:
                box.certificate_state = "valid" if box.end_date > now else "expired"

    def _search_certificate_state(self, operator, value):
        now = fields.Datetime.now()
        domains = {
            "valid": [("end_date", ">", now)],
            "expired": [("end_date", "<=", now)],
            "missing": [("end_date", "=", False)],
        }
        if operator != "=" or value not in domains:
            raise ValidationError(_("Search on the certificate state with '=' and a state"))
        return domains[value]

    @api.constrains("ip")
    def _check_ip(self):
        for box in self:
            if box.ip and " " in box.ip:
                raise ValidationError(_("The address %s contains a space", box.ip))

    def action_pair(self):
        self.write({"state": "paired"})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": _("Box paired"), "type": "success"},
        }

    def action_open_owner(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "demo.owner",
            "res_id": self.owner_id.id,
            "views": [[False, "form"]],
        }

    def action_share(self):
        """A notification with a value to copy: the web client shows it in a field of its own, with a Copy button."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": _("Send this name to the installer:"), "copy": self.name, "copy_label": _("Name")},
        }

    def action_visit(self):
        return {"type": "ir.actions.act_url", "url": self.ip_url or "/odoo"}

    def set_secret(self, secret):
        self.sudo().write({"secret": hash_secret(secret)})
        return True

    def _register_hook(self):
        """Counts the server starts; fails on demand (``host_demo.fail_at_start``), to show that the server
        starts anyway."""
        super()._register_hook()
        params = self.env["ir.config_parameter"].sudo()
        starts = int(params.get_param("host_demo.serve_starts", "0")) + 1
        params.set_param("host_demo.serve_starts", str(starts))
        if params.get_param("host_demo.fail_at_start"):
            raise ValidationError(_("The demo start hook fails, as asked"))

    def _cron_sweep(self):
        stale = self.search([("end_date", "<", fields.Datetime.now() - datetime.timedelta(days=1))])
        stale.write({"note": "swept"})
