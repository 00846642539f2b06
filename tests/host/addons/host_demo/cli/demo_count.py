import argparse
import json
import sys

import odoo
from odoo.cli import Command
from odoo.tools import config


class DemoCount(Command):
    """Print how many demo boxes there are (exit 1 when there are none)."""

    name = "demo-count"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog=f"iot-server {self.name}", description=self.__doc__)
        parser.add_argument("--json", action="store_true")
        args, server_args = parser.parse_known_args(cmdargs)
        config.parse_config(server_args)
        with odoo.registry(config["db_name"]).cursor() as cr:
            count = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["demo.box"].search_count([])
        print(json.dumps({"boxes": count}) if args.json else f"{count} boxes")
        if not count:
            sys.exit(1)
