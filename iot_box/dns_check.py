"""Does the box's own https name resolve to its address? (seed: "toegankelijk via het IP-adres maar niet via
de xxx.odoo-iot.com URL"). Asks the system resolver, or a given DNS server (e.g. the mock DNS) with dnslib."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

from dnslib import QTYPE, RCODE, DNSError, DNSRecord

TIMEOUT = 2.0


@dataclass(frozen=True)
class DnsResult:
    ok: bool
    detail: str


def resolve(name: str, dns_server: tuple[str, int] | None) -> list[str]:
    """The IPv4 addresses of ``name``; OSError (with the reason) when it does not resolve."""
    if dns_server is None:
        return _system_resolve(name)
    query = DNSRecord.question(name, "A")
    answer = DNSRecord.parse(query.send(dns_server[0], dns_server[1], timeout=TIMEOUT))
    if answer.header.rcode != RCODE.NOERROR:
        raise OSError(f"{RCODE.get(answer.header.rcode)} from {dns_server[0]}:{dns_server[1]}")
    return [str(record.rdata) for record in answer.rr if record.rtype == QTYPE.A]


def _system_resolve(name: str) -> list[str]:
    # getaddrinfo has no timeout of its own; a resolver that never answers must not hang the homepage.
    found: list = []

    def lookup() -> None:
        try:
            found.append(sorted({info[4][0] for info in socket.getaddrinfo(name, None, socket.AF_INET)}))
        except OSError as exc:
            found.append(exc)

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(TIMEOUT)
    if not found:
        raise OSError(f"no answer from the system resolver within {TIMEOUT:.0f} s")
    if isinstance(found[0], OSError):
        raise found[0]
    return found[0]


def check_dns(name: str, expected_ip: str, dns_server: tuple[str, int] | None = None) -> DnsResult:
    try:
        addresses = resolve(name, dns_server)
    except (OSError, DNSError) as exc:
        return DnsResult(False, f"{name} does not resolve: {exc}")
    if expected_ip in addresses:
        return DnsResult(True, f"{name} resolves to {expected_ip}")
    return DnsResult(False, f"{name} resolves to {', '.join(addresses) or 'no address'}, not {expected_ip}")
