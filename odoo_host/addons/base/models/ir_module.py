"""Which addons are installed in this database, and at which version."""

from odoo_host import fields, models


class IrModuleModule(models.Model):
    _name = "ir.module.module"
    _description = "Module"
    _order = "id"

    name = fields.Char(required=True, index=True)
    state = fields.Selection(
        [("installed", "Installed"), ("uninstalled", "Not Installed")], default="uninstalled"
    )
    latest_version = fields.Char()
    demo = fields.Boolean()

    _sql_constraints = [("name_uniq", "unique (name)", "An addon is listed once.")]

    def _mark_installed(self, name: str, version: str, demo: bool) -> None:
        module = self.sudo().search([("name", "=", name)], limit=1)
        values = {"state": "installed", "latest_version": version, "demo": demo or module.demo}
        if module:
            module.write(values)
        else:
            self.sudo().create({"name": name, **values})
