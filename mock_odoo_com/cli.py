"""``mock-odoo-com``: run the mock odoo.com (HTTPS by default) and, with ``--dns-port``, its DNS."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from iot_common.files import atomic_write
from mock_odoo_com import dns
from mock_odoo_com.ca import CertificateAuthority
from mock_odoo_com.server import GunicornServer, options
from mock_odoo_com.store import Store
from mock_odoo_com.wsgi import DataDir, MockApp


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mock-odoo-com",
        description="A mock of odoo.com for tests: issues IoT box certificates from its own CA (or refuses, "
        "as "
        "odoo.com does), answers /publisher-warranty/, and takes its orders under /mock/ on its admin port "
        "(see docs/mock-odoo-com.md).",
    )
    parser.add_argument(
        "--data-dir",
        default=".state/mock-odoo-com",
        type=Path,
        help="state folder: CA, SQLite store, certificates (default: %(default)s)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8070, help="HTTPS (or HTTP) port (default: %(default)s)")
    parser.add_argument(
        "--admin-port",
        type=int,
        default=8071,
        help="port of the admin API (/mock/...), which has no authentication (default: %(default)s)",
    )
    parser.add_argument(
        "--admin-host",
        default="127.0.0.1",
        help="address the admin API listens on; keep it a loopback one unless a container forwards it "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--dns-port",
        type=int,
        help="serve the *.odoo-iot.com DNS on this UDP port (default: no DNS; `make run` uses 5353)",
    )
    parser.add_argument(
        "--dns-rebinding-protection",
        action="store_true",
        help="start with the setting dns_rebinding_protection on (answers for private addresses "
        "dropped, as a router with DNS-rebinding protection does)",
    )
    parser.add_argument("--plain-http", action="store_true", help="serve plain HTTP instead of HTTPS")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, os.cpu_count() or 1),
        help="worker processes (default: %(default)s)",
    )
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (default: %(default)s)")
    parser.add_argument(
        "--server-name",
        action="append",
        default=[],
        metavar="NAME",
        help="another host name or address in the mock's own HTTPS certificate (repeatable); "
        "127.0.0.1, localhost, --host and this machine's name are always in it",
    )
    return parser


def prepare(data_dir: DataDir, server_names: list[str] | None) -> None:
    """Make the state folder, the store, the CA, ``ca.pem`` and, given names, the mock's own certificate."""
    data_dir.path.mkdir(parents=True, exist_ok=True)
    data_dir.path.chmod(0o700)  # it holds the CA's keys and the enterprise codes of the store
    Store(data_dir.database).initialise()
    ca = CertificateAuthority.load_or_create(data_dir.ca)
    atomic_write(data_dir.root_pem, ca.root_pem.encode(), 0o644)  # public: whoever trusts the mock reads it
    if server_names:
        ca.write_server_certificate(server_names, data_dir.server_cert, data_dir.server_key)


def _port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, if it cannot (gunicorn would retry for five seconds first)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # IPv6 in brackets


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = DataDir(args.data_dir)
    names = None
    if not args.plain_http:
        names = [
            "127.0.0.1",
            "localhost",
            *([args.host] if args.host not in ("0.0.0.0", "::") else []),  # noqa: S104
            socket.gethostname(),
            *args.server_name,
        ]
    if args.admin_port == args.port:
        print(f"mock-odoo-com: --admin-port must differ from --port ({args.port})", file=sys.stderr)
        return 1
    for host, port, option in ((args.host, args.port, "--port"), (args.admin_host, args.admin_port, "--admin-port")):
        busy = _port_problem(host, port)
        if busy:
            print(f"mock-odoo-com: cannot listen on {host}:{port}: {busy}; choose another {option}", file=sys.stderr)
            return 1
    prepare(data_dir, names)
    app = MockApp(data_dir, admin_port=args.admin_port)
    if args.dns_rebinding_protection:
        app.store.update_settings({"dns_rebinding_protection": True})
        app.store.close()

    dns_pid = None
    if args.dns_port is not None:
        try:
            dns_pid = dns.start(app.store, args.host, args.dns_port)
        except OSError as exc:
            print(
                f"mock-odoo-com: cannot listen for DNS on udp {args.host}:{args.dns_port}: {exc}",
                file=sys.stderr,
            )
            return 1

    scheme = "http" if args.plain_http else "https"
    address, admin_address = _address(args.host, args.port), _address(args.admin_host, args.admin_port)
    ready = (
        f"mock-odoo-com listening on {scheme}://{address} (admin API: {scheme}://{admin_address}/mock/; "
        f"CA: {data_dir.root_pem}"
        + (f"; DNS: udp {args.host}:{args.dns_port}" if dns_pid else "")
        + ")"
    )

    def when_ready(_arbiter: object) -> None:
        print(ready, flush=True)

    def on_exit(_arbiter: object) -> None:
        if dns_pid is not None:
            dns.stop(dns_pid)

    tls = None if args.plain_http else (str(data_dir.server_cert), str(data_dir.server_key))
    GunicornServer(
        app,
        options(
            [address, admin_address],
            args.workers,
            args.threads,
            str(data_dir.path),
            tls,
            when_ready,
            on_exit,
        ),
    ).run()
    return 0
