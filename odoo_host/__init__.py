"""A small Odoo-style host: it runs addons written as for Odoo 17, with ``odoo`` replaced by ``odoo_host``.

``from odoo_host import api, fields, models, http, _`` gives an addon what it needs.
"""

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
