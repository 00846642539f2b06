"""Window actions: which model, which records (``domain``) and which views a menu opens."""

from __future__ import annotations

from odoo_host import fields, models


class IrActionsActWindow(models.Model):
    _name = "ir.actions.act_window"
    _description = "Window Action"

    name = fields.Char(string="Action Name", required=True)
    type = fields.Char(default="ir.actions.act_window")
    res_model = fields.Char(string="Destination Model", required=True)
    view_mode = fields.Char(default="list,form")
    domain = fields.Char(help="Optional domain filtering the records, as an Odoo domain literal")
    context = fields.Char(default="{}")
    view_id = fields.Many2one("ir.ui.view", string="View", ondelete="set null")
    search_view_id = fields.Many2one("ir.ui.view", string="Search View", ondelete="set null")
    limit = fields.Integer(default=80)
    help = fields.Text()
