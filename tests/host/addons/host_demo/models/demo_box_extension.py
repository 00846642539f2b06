from odoo import fields, models


class DemoBox(models.Model):
    _inherit = "demo.box"

    version = fields.Char()

    def action_pair(self):
        result = super().action_pair()
        self.write({"version": "17.0"})
        return result
