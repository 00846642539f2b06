"""Register the server's database and its demo subscription with the mock odoo.com (``make run`` and compose).

On the real odoo.com this is the customer's contract; on the mock it is two calls to its admin API:
``python -m iot_stack.register --server-data-dir DIR --odoo-com-url URL --odoo-com-admin-url URL --odoo-com-ca FILE``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import uuid

import requests

from iot_common.procs import console

DEMO_ENTERPRISE_CODE = "M-DEMO-IOT-0001"  # the code `iot-server init --demo` configures


def register_database(admin_url: str, odoo_com_ca: str, db_uuid: str,
                      enterprise_code: str = DEMO_ENTERPRISE_CODE) -> None:
    """An In Progress subscription with one IoT box line, and the database linked to it as its production one,
    through the mock's admin API at ``admin_url``."""
    calls = [
        (f"/mock/subscriptions/{enterprise_code}",
         {"state": "in_progress", "lines": [{"product": "iot_box", "quantity": 1}]}),
        (f"/mock/databases/{db_uuid}", {"subscription": enterprise_code, "kind": "production"}),
    ]
    for path, body in calls:
        answer = requests.put(admin_url + path, json=body, verify=odoo_com_ca, timeout=10)
        answer.raise_for_status()


def register_new_database(admin_url: str, odoo_com_ca: str, code_prefix: str) -> tuple[str, str]:
    """A new production database on a new subscription with one IoT box line: ``(db_uuid, enterprise_code)``."""
    db_uuid, code = str(uuid.uuid4()), f"{code_prefix}-{uuid.uuid4().hex[:8]}"
    register_database(admin_url, odoo_com_ca, db_uuid, code)
    return db_uuid, code


def server_db_uuid(server_options: list[str]) -> str:
    """The server's ``database.uuid``, read with ``iot-server config get``."""
    argv = [*console("iot-server"), "config", "get", "database.uuid", *server_options]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"iot-server config get database.uuid failed: {result.stderr.strip()}")
    return result.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m iot_stack.register", description=__doc__.splitlines()[0])
    parser.add_argument("--server-data-dir", required=True)
    parser.add_argument("--odoo-com-url", required=True)
    parser.add_argument("--odoo-com-admin-url", required=True, help="the mock's admin API (its --admin-port)")
    parser.add_argument("--odoo-com-ca", required=True)
    parser.add_argument("--enterprise-code", default=DEMO_ENTERPRISE_CODE)
    args = parser.parse_args(argv)
    db_uuid = server_db_uuid(["--data-dir", args.server_data_dir, "--odoo-com-url", args.odoo_com_url,
                              "--odoo-com-ca", args.odoo_com_ca])
    register_database(args.odoo_com_admin_url, args.odoo_com_ca, db_uuid, args.enterprise_code)
    print(f"registered database {db_uuid} with subscription {args.enterprise_code} on {args.odoo_com_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
