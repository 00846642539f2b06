"""``make run``: the whole system on this machine, on the default ports, until Ctrl-C.

State lives in ``.state/run`` (override with ``--state-dir``): the PostgreSQL cluster, the mock's CA and store, the
server's files, the demo box's certificate and configuration, and every process's log under ``logs/``.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
from pathlib import Path

from iot_common.net import free_port
from iot_common.procs import ProcessFailed
from iot_stack.register import DEMO_ENTERPRISE_CODE
from iot_stack.system import Ports, System
from odoo_host.postgres import PostgresError

DEMO_BOX_PASSWORD = "box-admin"  # the demo box's local admin password; a real box generates its own


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m iot_stack", description=__doc__.splitlines()[0])
    parser.add_argument("--state-dir", type=Path, default=Path(".state/run"))
    parser.add_argument("--db-dsn", help="an existing PostgreSQL database (default: IOT_HTTPS_DB_DSN, else embedded)")
    parser.add_argument("--free-ports", action="store_true", help="listen on free ports instead of the defaults")
    args = parser.parse_args(argv)

    ports = Ports.free() if args.free_ports else _available(Ports())
    system = System(args.state_dir, ports, db_dsn=args.db_dsn)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        print("Starting PostgreSQL ...", flush=True)
        system.start_postgres()
        print(f"Starting the mock odoo.com on {system.odoo_com_url} ...", flush=True)
        system.start_odoo_com()
        print("Initialising the database server (demo data) ...", flush=True)
        system.init_server(demo=True)
        db_uuid = system.register_database_on_odoo_com(DEMO_ENTERPRISE_CODE)
        system.start_server()
        print("Starting the demo box and pairing it with the server ...", flush=True)
        box = system.start_box("demo-box", admin_password=DEMO_BOX_PASSWORD)
        status = box.wait_for_certificate()
        _print_summary(system, box.http_url, status, db_uuid, args.state_dir)
        stop.wait()
    except KeyboardInterrupt:
        pass
    except (PostgresError, ProcessFailed) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        print("\nStopping ...", flush=True)
        system.stop()
    return 0


def _available(ports: Ports) -> Ports:
    """The default ports of docs/deployment.md, each replaced by a free one when something else listens there."""
    chosen = {}
    for name, port in vars(ports).items():
        try:
            kind = socket.SOCK_DGRAM if name == "dns" else socket.SOCK_STREAM
            with socket.socket(socket.AF_INET, kind) as probe:
                probe.bind(("127.0.0.1", port))
            chosen[name] = port
        except OSError:
            chosen[name] = free_port()
            print(f"port {port} is busy: using {chosen[name]} for {name}", flush=True)
    return Ports(**chosen)


def _print_summary(system: System, box_http_url: str, status: dict, db_uuid: str, state_dir: Path) -> None:
    https_url = status["https_url"]
    host_name = https_url.split("//", 1)[1].split(":", 1)[0]
    print(f"""
The system is up. Open:
  Database server   {system.server_url}/web/login      login: admin  password: admin
  Mock odoo.com     {system.odoo_com_url}  (its root CA: {system.odoo_com_ca})
                    admin API: {system.odoo_com_admin_url}/mock/requests
  Demo box          {box_http_url}/                local admin password: {DEMO_BOX_PASSWORD}
  Demo box (HTTPS)  {https_url}
                    {host_name} resolves through the mock DNS on 127.0.0.1:{system.ports.dns}; or try:
                    curl --cacert {system.odoo_com_ca} \\
                      --resolve {host_name}:{system.ports.box_https}:127.0.0.1 {https_url}/
Database uuid {db_uuid}, subscription {DEMO_ENTERPRISE_CODE}. Logs in {state_dir / 'logs'}.
Press Ctrl-C to stop everything.""", flush=True)


if __name__ == "__main__":
    sys.exit(main())
