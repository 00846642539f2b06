import sys

from odoo.cli import Command
from odoo.exceptions import UserError

from .common import environment, parse_args


class ConnectToken(Command):
    """Print a new connection token for an IoT box (single use, valid 15 minutes).

    Paste it on the box's homepage. The box reaches this server at --server-url, by default the database's
    web.base.url parameter.
    """

    name = "connect-token"

    def run(self, cmdargs):
        args = parse_args(self, cmdargs)
        try:
            with environment() as env:
                token = env["iot.connect.token"]._issue(args.server_url)
        except UserError as exc:
            sys.exit(f"error: {exc}")
        print(token)

    @staticmethod
    def _add_arguments(parser):
        parser.add_argument(
            "--server-url",
            help="the address boxes reach this server at (default: the web.base.url parameter)",
        )
