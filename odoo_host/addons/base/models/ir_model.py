"""The list of models, external ids (``module.name`` -> record) and access rights per model and group."""

from __future__ import annotations

from typing import Any

from odoo_host import api, fields, models
from odoo_host.exceptions import AccessError, MissingError, ValidationError


class IrModel(models.Model):
    _name = "ir.model"
    _description = "Model"
    _order = "model"
    _rec_name = "model"

    name = fields.Char(string="Description", required=True)
    model = fields.Char(required=True, index=True)
    # Odoo's field, which client libraries (odooly) read to list the models; the host has no transient models.
    transient = fields.Boolean(string="Transient Model", compute="_compute_transient")

    _sql_constraints = [("model_unique", "unique (model)", "Each model must be listed once.")]

    def _compute_transient(self) -> None:
        for model in self:
            model.transient = False

    def _reflect(self, module: str, classes: list[type]) -> None:
        """List the models ``module`` declares, with the external ids ``<module>.model_<name>`` of Odoo."""
        for cls in classes:
            name = cls.__dict__["_name"]
            values = {"model": name, "name": self.env.registry.models[name]._description}
            xml_id = f"{module}.model_{name.replace('.', '_')}"
            self.env["ir.model.data"]._load_record(
                "ir.model", xml_id, values, noupdate=False, match=[("model", "=", name)]
            )


class IrModelData(models.Model):
    _name = "ir.model.data"
    _description = "External Identifier"
    _order = "module, name"

    name = fields.Char(required=True)
    module = fields.Char(required=True, index=True)
    model = fields.Char(required=True)
    res_id = fields.Integer(index=True)
    noupdate = fields.Boolean()

    _sql_constraints = [("module_name_uniq", "unique (module, name)", "External ids must be unique.")]

    def _xmlid_lookup(self, xml_id: str) -> tuple[str, int] | None:
        cache = self.env.registry.xmlid_cache
        if xml_id not in cache:
            module, _dot, name = xml_id.partition(".")
            self.env.cr.execute(
                "SELECT model, res_id FROM ir_model_data WHERE module = %s AND name = %s", (module, name)
            )
            row = self.env.cr.fetchone()
            if row is None:
                return None
            cache[xml_id] = (row[0], row[1])
        return cache[xml_id]

    def _record_xmlid(self, model: str, res_id: int) -> str | None:
        """The external id of a record (its first one), or None."""
        cache = self.env.registry.xmlid_cache
        key = (model, res_id)
        if key not in cache:
            self.env.cr.execute(
                "SELECT module, name FROM ir_model_data WHERE model = %s AND res_id = %s ORDER BY id LIMIT 1",
                (model, res_id),
            )
            row = self.env.cr.fetchone()
            cache[key] = f"{row[0]}.{row[1]}" if row else None
        return cache[key]

    def create(self, vals_list: Any) -> Any:
        self.env.registry.xmlid_cache.clear()
        return super().create(vals_list)

    def write(self, vals: dict) -> bool:
        self.env.registry.xmlid_cache.clear()
        return super().write(vals)

    def unlink(self) -> bool:
        self.env.registry.xmlid_cache.clear()
        return super().unlink()

    def _xmlid_to_res_id(self, xml_id: str, raise_if_not_found: bool = True) -> int | bool:
        found = self._xmlid_lookup(xml_id)
        if found is None:
            if raise_if_not_found:
                raise ValueError(f"External ID not found in the system: {xml_id}")
            return False
        return found[1]

    @api.model
    def check_object_reference(
        self, module: str, xml_id: str, raise_on_access_error: bool = False
    ) -> tuple[str, int | bool]:
        """``(model, id)`` of the external id ``module.xml_id`` for a user who may read that record (``id`` is
        False, or AccessError, otherwise): what client libraries call for ``env.ref``."""
        found = self._xmlid_lookup(f"{module}.{xml_id}")
        if found is None:
            raise MissingError(f"External ID not found in the system: {module}.{xml_id}")
        model, res_id = found
        if self.env[model].search([("id", "=", res_id)]):
            return model, res_id
        if raise_on_access_error:
            raise AccessError(f"Not enough access rights on the external ID '{module}.{xml_id}'")
        return model, False

    def _xmlid_to_record(self, xml_id: str, raise_if_not_found: bool = True) -> Any:
        found = self._xmlid_lookup(xml_id)
        record = self.env[found[0]].browse(found[1]).exists() if found else None
        if not record:
            if raise_if_not_found:
                raise ValueError(f"External ID not found in the system: {xml_id}")
            return None
        return record

    def _load_record(
        self, model: str, xml_id: str | None, values: dict, noupdate: bool, match: list | None = None
    ) -> Any:
        """Create or update the record of ``xml_id``; a ``noupdate`` record that exists is left as it is.
        ``match`` finds a record made before its external id (such as a model listed at schema creation)."""
        records = self.env[model].sudo().with_context(active_test=False)
        found = self._xmlid_lookup(xml_id) if xml_id else None
        existing = records.browse(found[1]).exists() if found else records.browse()
        if not existing and match:
            existing = records.search(match, limit=1)
        if existing:
            if not (noupdate and found):
                existing.write(values)
        else:
            existing = records.create(values)
        if xml_id and not found:
            module, _dot, name = xml_id.partition(".")
            self.sudo().search([("module", "=", module), ("name", "=", name)]).unlink()
            self.sudo().create(
                {"module": module, "name": name, "model": model, "res_id": existing.id, "noupdate": noupdate}
            )
        return existing


class IrModelAccess(models.Model):
    _name = "ir.model.access"
    _description = "Model Access"
    _order = "model_id, group_id, name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one("ir.model", string="Model", required=True, ondelete="cascade", index=True)
    group_id = fields.Many2one("res.groups", string="Group", ondelete="cascade", index=True)
    perm_read = fields.Boolean(string="Read Access")
    perm_write = fields.Boolean(string="Write Access")
    perm_create = fields.Boolean(string="Create Access")
    perm_unlink = fields.Boolean(string="Delete Access")

    def _allowed(self, uid: int | None, model: str, operation: str) -> bool:
        """Does a line give ``operation`` on ``model`` to everyone or to a group of user ``uid``?"""
        if operation not in ("read", "write", "create", "unlink"):
            raise ValidationError(f"Unknown access operation {operation!r}")
        group_ids = self.env["res.users"].browse(uid)._effective_group_ids() if uid else []
        self.env.cr.execute(
            f"SELECT 1 FROM ir_model_access a JOIN ir_model m ON m.id = a.model_id "  # noqa: S608 (column from a fixed set)
            f"WHERE m.model = %s AND a.active AND a.perm_{operation} "
            f"AND (a.group_id IS NULL OR a.group_id = ANY(%s)) LIMIT 1",
            (model, list(group_ids)),
        )
        return self.env.cr.fetchone() is not None
