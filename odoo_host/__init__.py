"""A small Odoo-style host: it runs addons written for Odoo 17, which import it as ``odoo``.

``from odoo import api, fields, models, http, _`` gives an addon what it needs: importing the host installs the
``odoo`` alias (``odoo_host.alias``) unless a real Odoo is importable. docs/odoo17-compatibility.md.
"""

from . import alias as _alias
from . import (  # noqa: F401 (the public modules)
    api,
    exceptions,
    fields,
    http,  # noqa: E402, F401, I001 (after models: the base addon's controllers use both)
    models,
    tools,
)
from .api import SUPERUSER_ID  # noqa: F401
from .i18n import _, _lt  # noqa: F401

if _alias.install():
    _alias.add_addons_path(tools.DEFAULTS["addons_path"])
