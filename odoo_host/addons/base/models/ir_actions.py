"""Window actions: which model, which records (``domain``) and which views a menu opens."""

from __future__ import annotations

from odoo_host import api, fields, models
from odoo_host.exceptions import ValidationError

LATER_VIEW_MODES = {"list": "tree"}  # later versions' names -> Odoo 17's


class IrActionsActWindow(models.Model):
    _name = "ir.actions.act_window"
    _description = "Window Action"

    name = fields.Char(string="Action Name", required=True)
    type = fields.Char(default="ir.actions.act_window")
    res_model = fields.Char(string="Destination Model", required=True)
    view_mode = fields.Char(default="tree,form")
    domain = fields.Char(help="Optional domain filtering the records, as an Odoo domain literal")
    context = fields.Char(default="{}")
    view_id = fields.Many2one("ir.ui.view", string="View", ondelete="set null")
    search_view_id = fields.Many2one("ir.ui.view", string="Search View", ondelete="set null")
    limit = fields.Integer(default=80)
    help = fields.Text()

    def _view_modes(self) -> list[str]:
        return [mode.strip() for mode in (self.view_mode or "").split(",") if mode.strip()]

    @api.constrains("view_mode")
    def _check_view_mode(self) -> None:
        for action in self:
            for mode in action._view_modes():
                if mode in LATER_VIEW_MODES:
                    written = ",".join(LATER_VIEW_MODES.get(m, m) for m in action._view_modes())
                    raise ValidationError(
                        f"Action '{action.name}': view_mode '{mode}' is Odoo 18's name; Odoo 17 writes "
                        f"'{LATER_VIEW_MODES[mode]}' (view_mode {written})"
                    )
