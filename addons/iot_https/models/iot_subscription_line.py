"""One line of the Odoo subscription, as odoo.com reported it at the last synchronisation."""

from datetime import datetime

from odoo import _, api, fields, models


class IotSubscriptionLine(models.Model):
    _name = "iot.subscription.line"
    _description = "IoT Subscription Line"
    _order = "added_at, id"

    subscription_id = fields.Many2one(
        "iot.subscription", required=True, ondelete="cascade", index=True, readonly=True
    )
    product = fields.Char(
        required=True, readonly=True, help="The product code at odoo.com; iot_box for an IoT box line."
    )
    quantity = fields.Integer(default=1, readonly=True)
    added_at = fields.Datetime(string="Added On", readonly=True)
    name = fields.Char(string="Line", compute="_compute_name")

    @api.depends("product", "quantity", "added_at")
    def _compute_name(self):
        for line in self:
            added = line.added_at.strftime("%Y-%m-%d") if line.added_at else "?"
            line.name = _("%s x %s (added on %s)", line.product, line.quantity, added)

    def _iot_box_lines_at(self, now: datetime):
        """The lines that give IoT boxes at ``now``: odoo.com's rule (docs/protocols.md), a line for the IoT box
        product with a quantity, already added; a line dated in the future does not count yet."""
        return self.filtered(
            lambda line: line.product == "iot_box" and line.quantity > 0 and (not line.added_at or line.added_at <= now)
        )
