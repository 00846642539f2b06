"""Views: ``<tree>``, ``<form>`` and ``<search>`` archs of a model (Odoo 17's names), checked when they are loaded."""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml.builder import E

from odoo_host import api, fields, models
from odoo_host.exceptions import ValidationError

VIEW_TYPES = [("tree", "Tree"), ("form", "Form"), ("search", "Search")]
# Later versions' names, refused so that they do not creep into an Odoo 17 addon: name -> Odoo 17's.
LATER_VIEW_TAGS = {"list": "tree"}


class IrUiView(models.Model):
    _name = "ir.ui.view"
    _description = "View"
    _order = "priority, name, id"

    name = fields.Char(required=True)
    model = fields.Char(required=True, index=True)
    type = fields.Selection(VIEW_TYPES, string="View Type")
    arch = fields.Text(string="View Architecture", required=True)
    priority = fields.Integer(default=16)

    def create(self, vals_list: Any) -> Any:
        vals_list = [vals_list] if isinstance(vals_list, dict) else list(vals_list)
        self.env.registry.view_cache.clear()
        return super().create([self._with_type(vals) for vals in vals_list])

    def write(self, vals: dict) -> bool:
        self.env.registry.view_cache.clear()
        return super().write(self._with_type(vals))

    def unlink(self) -> bool:
        self.env.registry.view_cache.clear()
        return super().unlink()

    def _with_type(self, vals: dict) -> dict:
        if "arch" not in vals:
            return vals
        root = self._parse(vals["arch"])
        if root.tag in LATER_VIEW_TAGS:
            raise ValidationError(
                f"View '{vals.get('name')}': <{root.tag}> is Odoo 18's name; Odoo 17 writes "
                f"<{LATER_VIEW_TAGS[root.tag]}>"
            )
        if root.tag not in dict(VIEW_TYPES):
            raise ValidationError(f"View '{vals.get('name')}': <{root.tag}> is not a tree, form or search view")
        return {**vals, "type": root.tag}

    @staticmethod
    def _parse(arch: str) -> etree._Element:
        try:
            return etree.fromstring(arch.strip())
        except etree.XMLSyntaxError as exc:
            raise ValidationError(f"Invalid view architecture: {exc}") from exc

    @api.constrains("arch", "model")
    def _check_fields(self) -> None:
        """Every ``<field name=...>`` must exist on the model, so a typo fails at install, not in the browser.
        """
        for view in self:
            if view.model not in self.env:
                raise ValidationError(f"View '{view.name}': unknown model '{view.model}'")
            known = self.env[view.model]._fields
            for element in self._parse(view.arch).iter("field"):
                if element.get("name") not in known:
                    raise ValidationError(
                        f"View '{view.name}': field '{element.get('name')}' does not exist on {view.model}"
                    )

    @api.model
    def _get_arch(self, model: str, view_type: str, view_id: int | None = None) -> etree._Element:
        """The arch of ``view_id``, else of the model's first view of that type, else a default one (a fresh
        tree each call: callers may change it)."""
        key = (model, view_type, view_id)
        cache = self.env.registry.view_cache
        if key not in cache:
            cache[key] = self._find_arch(model, view_type, view_id)
        return etree.fromstring(cache[key])

    def _find_arch(self, model: str, view_type: str, view_id: int | None) -> str:
        view = (
            self.sudo().browse(view_id)
            if view_id
            else self.sudo().search([("model", "=", model), ("type", "=", view_type)], limit=1)
        )
        if view:
            return view.arch.strip()
        # No view of that type: Odoo's default, the record's name alone.
        field = E.field(name=self.env[model]._rec_name_field())
        if view_type == "search":
            default = E.search(field)
        elif view_type == "form":
            default = E.form(E.sheet(E.group(field)))
        else:
            default = E.tree(field)
        return etree.tostring(default, encoding="unicode")
