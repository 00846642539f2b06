import json
import sys

from odoo.cli import Command

from ..models.iot_eligibility import CHECK_FAILED
from .common import environment, parse_args

EXIT_ELIGIBLE, EXIT_NOT_ELIGIBLE, EXIT_COULD_NOT_CHECK = 0, 1, 2


class CheckEligibility(Command):
    """Say whether odoo.com gives this database's IoT boxes HTTPS certificates (exit 0 yes, 1 no, 2 unknown).

    It synchronises the subscription with odoo.com first; "could not check" (2) means odoo.com could not be
    reached or gave no usable answer.
    """

    name = "check-eligibility"

    def run(self, cmdargs):
        args = parse_args(self, cmdargs)
        with environment() as env:
            verdict = env["iot.eligibility"].check()
        if args.json:
            print(json.dumps(verdict))
        elif verdict["eligible"]:
            print(f"eligible: {verdict['message']}")
        else:
            state = "could not check" if verdict["reason"] == CHECK_FAILED else "not eligible"
            print(f"{state} ({verdict['reason']}): {verdict['message']}")
        if verdict["eligible"]:
            return
        sys.exit(EXIT_COULD_NOT_CHECK if verdict["reason"] == CHECK_FAILED else EXIT_NOT_ELIGIBLE)

    @staticmethod
    def _add_arguments(parser):
        parser.add_argument("--json", action="store_true", help="print the verdict as one JSON object")
