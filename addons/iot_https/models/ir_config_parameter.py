"""The database's identity parameters: validated whoever sets them (``iot-server config set``, the API), and
guarded by the parameters' access rights (settings admins), since the enterprise code is a secret."""

import re

from odoo import _, api, models
from odoo.exceptions import ValidationError

IDENTITY_KEYS = ("database.enterprise_code", "database.environment", "database.is_neutralized")
ENVIRONMENTS = ("production", "staging", "development")
ENTERPRISE_CODE_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def get_param(self, key, default=False):
        if key in IDENTITY_KEYS:
            self.check_access_rights("read")
        return super().get_param(key, default)

    @api.model
    def set_param(self, key, value):
        if key in IDENTITY_KEYS:
            self.check_access_rights("write")
        return super().set_param(key, _validated(key, value))


def _validated(key: str, value):
    """``value`` as it is stored for ``key`` (normalised), or ValidationError saying what is accepted."""
    if value is None or value is False:
        return value
    text = str(value).strip()
    if key == "database.environment":
        if text.lower() not in ENVIRONMENTS:
            raise ValidationError(
                _("database.environment must be production, staging or development, not %r.", text)
            )
        return text.lower()
    if key == "database.is_neutralized":
        if text.lower() not in ("true", "false"):
            raise ValidationError(_("database.is_neutralized must be True or False, not %r.", text))
        return "True" if text.lower() == "true" else "False"
    if key == "database.enterprise_code":
        if text and not ENTERPRISE_CODE_SHAPE.match(text):
            raise ValidationError(
                _("database.enterprise_code must be the subscription code (letters, digits, '-', '_', '.').")
            )
        return text or False  # an empty code removes the parameter
    return value
