"""The addon's ``iot-server`` subcommands: ``connect-token`` and ``check-eligibility``."""

from __future__ import annotations

import argparse
import json
import sys

from odoo_host import cli
from odoo_host.exceptions import UserError

from .models.iot_eligibility import CHECK_FAILED

EXIT_ELIGIBLE, EXIT_NOT_ELIGIBLE, EXIT_COULD_NOT_CHECK = 0, 1, 2


class ConnectToken(cli.Command):
    """Print a new connection token (single use, valid 15 minutes) to paste on an IoT box's homepage."""

    name = "connect-token"
    help = "print a new connection token for an IoT box (single use, valid 15 minutes)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--server-url",
            help="the address boxes reach this server at (default: http://HOST:PORT of this server)",
        )

    def run(self, env, args: argparse.Namespace) -> int:
        try:
            print(env["iot.connect.token"]._issue(args.server_url))
        except UserError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0


class CheckEligibility(cli.Command):
    """Synchronise with odoo.com and say whether this database's IoT boxes can get HTTPS certificates.

    Exit status: 0 eligible, 1 not eligible, 2 could not check (e.g. odoo.com unreachable).
    """

    name = "check-eligibility"
    help = "say whether odoo.com gives this database's IoT boxes HTTPS certificates (exit 0 yes, 1 no, 2 unknown)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the verdict as one JSON object")

    def run(self, env, args: argparse.Namespace) -> int:
        verdict = env["iot.eligibility"].check()
        if args.json:
            print(json.dumps(verdict))
        elif verdict["eligible"]:
            print(f"eligible: {verdict['message']}")
        else:
            print(f"{'could not check' if verdict['reason'] == CHECK_FAILED else 'not eligible'} "
                  f"({verdict['reason']}): {verdict['message']}")
        if verdict["eligible"]:
            return EXIT_ELIGIBLE
        return EXIT_COULD_NOT_CHECK if verdict["reason"] == CHECK_FAILED else EXIT_NOT_ELIGIBLE
