"""``iot-box``: run one IoT box (homepage on HTTP and HTTPS, certificate check, reports to its database)."""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
from pathlib import Path

from iot_box.box import Box, BoxOptions, InvalidToken

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host, int(port)


def _default_ip() -> str:
    """The address of the interface that reaches the outside (no packet is sent), else loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: routing lookup only
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="iot-box", description=__doc__)
    p.add_argument("--data-dir", type=Path, default=Path(".state/box"),
                   help="state folder: odoo.conf, the certificate and its key (default: .state/box)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--http-port", type=int, default=8080)
    p.add_argument("--https-port", type=int, default=8443)
    p.add_argument("--odoo-com-url", default="https://www.odoo.com", help="where certificates are requested")
    p.add_argument("--odoo-com-ca", type=Path, default=None,
                   help="CA bundle that odoo.com's TLS certificate and issued certificates chain to "
                        "(default: the system store)")
    p.add_argument("--odoo-com-timeout", type=float, default=10.0, help="seconds to wait for odoo.com")
    p.add_argument("--advertise-ip", default=None,
                   help="the IPv4 address the box is reached at; its https name is derived from it "
                        "(default: the address of the outgoing interface)")
    p.add_argument("--connect", metavar="TOKEN",
                   help="pair with a database server at start, like pasting the token on the homepage")
    p.add_argument("--dns-server", type=_host_port, metavar="HOST:PORT",
                   help="DNS server for the homepage's DNS check (default: the system resolver)")
    p.add_argument("--key-mode", choices=("csr", "server"), default="csr",
                   help="csr: the key is made on the box and never leaves it (default); server: use the key "
                        "odoo.com sends, as the real odoo.com does")
    p.add_argument("--admin-password", help="set the box's local admin password (default: generated at first "
                                            "start and printed once)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Blocked here, before any thread starts, so every thread inherits the mask and the main thread's sigwait
    # gets Ctrl-C or SIGTERM; a handler could run on another thread and leave the main thread waiting forever.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    from iot_box import serving
    from iot_box.web import BoxWeb

    box = Box(BoxOptions(
        data_dir=args.data_dir, http_port=args.http_port, https_port=args.https_port,
        odoo_com_url=args.odoo_com_url, odoo_com_ca=args.odoo_com_ca,
        advertise_ip=args.advertise_ip or _default_ip(), key_mode=args.key_mode, dns_server=args.dns_server,
        odoo_com_timeout=args.odoo_com_timeout))
    new_password = box.ensure_admin_password(args.admin_password)
    if new_password:
        print(f"Box admin password: {new_password}", flush=True)
    if args.connect:
        try:
            box.save_connection(args.connect)
        except InvalidToken:
            print("iot-box: --connect expects a connection token: <server URL>?token=...&db_uuid=...&"
                  "enterprise_code=...", file=sys.stderr)
            return 2
    app = BoxWeb(box)
    servers = [serving.HttpsServer(args.host, args.https_port, app, box.served),
               serving.http_server(args.host, args.http_port, app)]
    for server in servers:
        serving.start(server)
    box.start_background()
    print(f"iot-box listening on http://{args.host}:{args.http_port} and https://{args.host}:{args.https_port}",
          flush=True)

    signal.sigwait(STOP_SIGNALS)
    box.stop()
    for server in servers:
        server.shutdown()
    return 0
