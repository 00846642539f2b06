"""Menus: a tree of entries opening actions, each visible to its groups (everyone when it has none)."""

from __future__ import annotations

from typing import Any

from odoo_host import api, fields, models


class IrUiMenu(models.Model):
    _name = "ir.ui.menu"
    _description = "Menu"
    _order = "sequence, id"

    name = fields.Char(string="Menu", required=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one("ir.ui.menu", string="Parent Menu", ondelete="cascade", index=True)
    child_ids = fields.One2many("ir.ui.menu", "parent_id", string="Child IDs")
    action_id = fields.Many2one("ir.actions.act_window", string="Action", ondelete="set null")
    group_ids = fields.Many2many("res.groups", "ir_ui_menu_group_rel", "menu_id", "gid", string="Groups")

    @api.model
    def _visible_tree(self) -> list[tuple[Any, list]]:
        """``[(menu, children)]`` from the roots down, keeping what the current user may see; worked out once
        per transaction (the menus page and its top bar both show it), again after a write."""
        key = ("visible_menus", self.env.uid, self.env.su)
        if key not in self.env.transaction.access:
            self.env.transaction.access[key] = self._build_visible_tree()
        return self.env.transaction.access[key]

    def _build_visible_tree(self) -> list[tuple[Any, list]]:
        user_groups = self.env.user._effective_group_ids()
        menus = self.sudo().search_fetch([], ["name", "parent_id", "action_id"])  # with their columns

        def visible(menu: Any) -> bool:
            return self.env.su or not menu.group_ids or bool(set(menu.group_ids.ids) & user_groups)

        def subtree(parent_id: int | bool) -> list[tuple[Any, list]]:
            result = []
            for menu in menus:
                if menu.parent_id.id == parent_id and visible(menu):
                    children = subtree(menu.id)
                    if menu.action_id or children:
                        result.append((menu, children))
            return result

        return subtree(False)
