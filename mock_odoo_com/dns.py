"""The mock DNS for ``*.odoo-iot.com`` (docs/protocols.md §2), on UDP, built on dnslib.

``a-b-c-d.<h>.odoo-iot.com`` answers ``A a.b.c.d``; every other name is NXDOMAIN. With the setting
``dns_rebinding_protection`` on, the mock acts as the resolver of a router that drops answers pointing at
private addresses: a box's LAN name then does not resolve (a browser shows
``DNS_PROBE_FINISHED_NXDOMAIN``).

It runs in a process of its own, next to gunicorn's workers, and reads the setting from the store's facts on
every query (SQLite only after a change), so a change through the admin API applies at once."""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import signal
import threading
from collections.abc import Callable

from dnslib import QTYPE, RCODE, RR, A, DNSRecord
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from mock_odoo_com.store import Store

BOX_NAME = re.compile(r"^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.[0-9a-f]{8}\.odoo-iot\.com\.?$")
TTL = 60
log = logging.getLogger("mock_odoo_com.dns")


def box_address(name: str) -> ipaddress.IPv4Address | None:
    """The address a box name stands for, or None when the name does not have the shape of a box's name."""
    match = BOX_NAME.match(name.lower())
    if match is None or any(
        int(octet) > 255 or (len(octet) > 1 and octet[0] == "0") for octet in match.groups()
    ):
        return None
    return ipaddress.IPv4Address(".".join(match.groups()))


class BoxNameResolver(BaseResolver):
    """Answers box names; ``rebinding_protection()`` says whether answers for private addresses drop."""

    def __init__(self, rebinding_protection: Callable[[], bool]) -> None:
        self.rebinding_protection = rebinding_protection

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        reply = request.reply()
        question = request.q
        address = box_address(str(question.qname))
        # "Not global" covers what routers treat as private: RFC 1918, loopback, link-local, shared, reserved.
        if address is None or (not address.is_global and self.rebinding_protection()):
            reply.header.rcode = RCODE.NXDOMAIN
        elif question.qtype in (QTYPE.A, QTYPE.ANY):
            reply.add_answer(RR(question.qname, QTYPE.A, rdata=A(str(address)), ttl=TTL))
        return reply  # other record types of a box name: no data, as a zone with only A records answers


class _Logger(DNSLogger):
    """dnslib's logger, quiet but for errors, which go to the mock's log."""

    def __init__(self) -> None:
        super().__init__(log="-recv,-send,-request,-reply,-truncated,-data", logf=log.warning)


def start(store: Store, host: str, port: int) -> int:
    """Bind ``host:port`` (UDP) here, so that a busy port fails at once, and serve it from a child process.

    Returns the child's pid. A plain fork rather than multiprocessing: gunicorn forks its workers from this
    process later, and multiprocessing's exit handler would try to join the DNS process from each of them.
    """
    resolver = BoxNameResolver(lambda: store.facts().settings()["dns_rebinding_protection"])
    server = DNSServer(resolver, address=host, port=port, logger=_Logger())
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            _serve(server, parent)
        finally:
            os._exit(0)
    server.server.server_close()  # the child has its own copy of the socket
    return pid


def stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass  # already gone (gunicorn's master may have reaped it)


def _serve(server: DNSServer, parent_pid: int) -> None:
    """Serve until the parent (gunicorn's master) is gone, so that no DNS process outlives its mock."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the master stops us
    threading.Thread(target=server.start, daemon=True).start()
    stop_event = threading.Event()
    while os.getppid() == parent_pid:
        stop_event.wait(1.0)
