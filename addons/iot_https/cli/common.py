"""What the addon's commands share: their own options, then the server's, and the database's environment."""

import argparse
import contextlib
import inspect
import sys
from pathlib import Path

import odoo
from odoo.tools import config


def parse_args(command, cmdargs):
    """The command's own options (its ``_add_arguments(parser)``); the rest are the server's (``--db-dsn``, ...)."""
    parser = argparse.ArgumentParser(
        prog=f"{Path(sys.argv[0]).name} {command.name}",
        description=inspect.cleandoc(command.__doc__ or ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command._add_arguments(parser)
    args, server_args = parser.parse_known_args(cmdargs)
    config.parse_config(server_args)
    return args


@contextlib.contextmanager
def environment():
    """A superuser environment on the configured database, committed when the block ends normally."""
    with odoo.registry(config["db_name"]).cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
