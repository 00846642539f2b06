"""``python -m mock_odoo_com``: the same as the ``mock-odoo-com`` command."""

from mock_odoo_com.cli import main

raise SystemExit(main())
