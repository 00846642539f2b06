"""One line of the Odoo subscription, as odoo.com reported it at the last synchronisation."""

from odoo_host import fields, models


class IotSubscriptionLine(models.Model):
    _name = "iot.subscription.line"
    _description = "IoT Subscription Line"
    _order = "added_at, id"

    subscription_id = fields.Many2one("iot.subscription", required=True, ondelete="cascade", index=True)
    product = fields.Char(required=True, help="The product code at odoo.com; iot_box for an IoT box line.")
    quantity = fields.Integer(default=1)
    added_at = fields.Datetime(string="Added On")
