from odoo import _, models
from odoo.exceptions import UserError


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    def set_param(self, key, value):
        if key == "demo.mode" and value not in ("on", "off"):
            raise UserError(_("demo.mode must be on or off"))
        return super().set_param(key, value)
