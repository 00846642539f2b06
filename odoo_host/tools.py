"""``config``: the options the host parses for every command, read by addons as ``config["odoo_com_url"]``."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict = {
    "data_dir": ".state/server",
    "host": "127.0.0.1",
    "port": 8069,
    "db_dsn": None,
    # The addons/ folder beside odoo_host: the checkout's, or the installed copy's (pyproject ships it as the
    # namespace package ``addons``); without it (the host alone) the server runs ``base`` only.
    "addons_path": [str(p) for p in [REPO_ROOT / "addons"] if p.is_dir()],
    "odoo_com_url": "https://www.odoo.com",
    "odoo_com_ca": None,
    "workers": 2,
    "cron_interval": 60,
}


class Config(dict):
    """A dict of the options, with defaults; ``config.update(...)`` is done once by the command line."""

    def __init__(self) -> None:
        super().__init__(DEFAULTS)

    def reset(self) -> None:
        self.clear()
        self.update(DEFAULTS)


config = Config()
