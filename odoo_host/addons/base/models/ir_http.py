"""How a route's ``auth`` is checked: ``_auth_method_<auth>`` on ``ir.http``; addons add their own methods
(``_auth_method_box``) by inheriting this model."""

from odoo_host import models, service
from odoo_host.exceptions import AccessDenied, MissingError
from odoo_host.http import SessionExpired, request


class IrHttp(models.AbstractModel):
    _name = "ir.http"
    _description = "HTTP Routing"

    # Class methods, as Odoo 17 has them: the host calls them on the class, with ``request.env``.
    @classmethod
    def _auth_method_none(cls) -> None:
        request.update_env(uid=None)

    @classmethod
    def _auth_method_public(cls) -> None:
        uid = request.session.uid or request.env["ir.model.data"]._xmlid_to_res_id("base.public_user")
        request.update_env(uid=uid)

    @classmethod
    def _auth_method_user(cls) -> None:
        if not request.session.uid:
            raise SessionExpired("Session expired: please log in again")
        user = request.env["res.users"].sudo().browse(request.session.uid)
        try:
            active = user.active
        except MissingError:
            active = False
        if not active:
            request.session.logout()
            raise AccessDenied()
        request.update_env(uid=user.id)

    def session_info(self) -> dict:
        """What ``/web/session/authenticate`` and ``/web/session/get_session_info`` answer, as Odoo 17 does, with
        the keys this host has (no companies, partners or currencies here)."""
        user = self.env.user
        version = service.version_info()
        is_system = user.has_group("base.group_system")  # the host has no group of its own for is_admin
        return {
            "uid": user.id,
            "is_system": is_system,
            "is_admin": is_system,
            "user_context": self.env["res.users"].context_get(),
            "db": self.env.registry.db_name,
            "server_version": version["server_version"],
            "server_version_info": version["server_version_info"],
            "name": user.name,
            "username": user.login,
            "partner_display_name": user.name,
            "web.base.url": self.env["ir.config_parameter"].sudo().get_param("web.base.url", ""),
        }
