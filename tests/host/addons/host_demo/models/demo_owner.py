from odoo import api, fields, models


class DemoOwner(models.Model):
    _name = "demo.owner"
    _description = "Box Owner"
    _order = "name"

    name = fields.Char(required=True)
    box_ids = fields.One2many("demo.box", "owner_id", string="Boxes")
    box_count = fields.Integer(compute="_compute_box_count", store=True)
    paired_count = fields.Integer(compute="_compute_paired_count", store=True)

    @api.depends("box_ids")
    def _compute_box_count(self):
        for owner in self:
            owner.box_count = len(owner.box_ids)

    @api.depends("box_ids.state")
    def _compute_paired_count(self):
        for owner in self:
            owner.paired_count = len(owner.box_ids.filtered(lambda box: box.state == "paired"))
