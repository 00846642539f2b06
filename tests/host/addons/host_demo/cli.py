import json

from odoo_host.cli import Command


class DemoCount(Command):
    name = "demo-count"
    help = "print how many demo boxes there are"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def run(self, env, args):
        count = env["demo.box"].search_count([])
        print(json.dumps({"boxes": count}) if args.json else f"{count} boxes")
        return 0 if count else 1
