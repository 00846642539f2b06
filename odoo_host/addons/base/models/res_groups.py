"""Groups of users; a group implies others (Settings implies Internal User)."""

from odoo_host import fields, models


class ResGroups(models.Model):
    _name = "res.groups"
    _description = "Access Groups"
    _order = "name"

    name = fields.Char(required=True)
    comment = fields.Text()
    implied_ids = fields.Many2many("res.groups", "res_groups_implied_rel", "gid", "hid", string="Inherits")
    users = fields.Many2many("res.users", "res_groups_users_rel", "gid", "uid")
