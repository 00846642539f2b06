"""The mock DNS of docs/protocols.md §2: box names answer their address; with rebinding protection, private ones not."""

from __future__ import annotations

import socket

import pytest
from dnslib import RCODE, DNSRecord

H = "1a2b3c4d"


def ask(mock, name: str, qtype: str = "A") -> tuple[str, list[str]]:
    """(rcode name, answers) of one UDP query to the mock's DNS."""
    reply = DNSRecord.parse(DNSRecord.question(name, qtype).send("127.0.0.1", mock.dns_port, timeout=10))
    return RCODE.get(reply.header.rcode), [str(rr.rdata) for rr in reply.rr]


@pytest.mark.parametrize(
    ("name", "address"),
    [
        (f"10-0-0-5.{H}.odoo-iot.com", "10.0.0.5"),
        (f"192-168-1-20.{H}.odoo-iot.com", "192.168.1.20"),
        (f"8-8-4-4.{H}.odoo-iot.com", "8.8.4.4"),
        (f"10-0-0-5.{H.upper()}.ODOO-IOT.COM", "10.0.0.5"),
    ],
)
def test_box_names_answer_their_address(mock_odoo_com, name, address):
    assert ask(mock_odoo_com, name) == ("NOERROR", [address])


@pytest.mark.parametrize(
    "name",
    [
        "odoo-iot.com",
        f"{H}.odoo-iot.com",
        "10-0-0-5.odoo-iot.com",
        f"300-0-0-1.{H}.odoo-iot.com",
        f"10-0-0.{H}.odoo-iot.com",
        "10-0-0-5.zzzzzzzz.odoo-iot.com",
        f"10-0-0-5.{H}.odoo-iot.net",
        "www.odoo.com",
        f"a.10-0-0-5.{H}.odoo-iot.com",
    ],
)
def test_other_names_are_nxdomain(mock_odoo_com, name):
    assert ask(mock_odoo_com, name) == ("NXDOMAIN", [])


def test_other_record_types_of_a_box_name_have_no_data(mock_odoo_com):
    assert ask(mock_odoo_com, f"10-0-0-5.{H}.odoo-iot.com", "AAAA") == ("NOERROR", [])


def test_rebinding_protection_drops_private_answers_only(mock_odoo_com):
    mock_odoo_com.settings(dns_rebinding_protection=True)
    for private in ("10-0-0-5", "192-168-1-20", "172-16-0-1", "127-0-0-1", "169-254-1-1"):
        assert ask(mock_odoo_com, f"{private}.{H}.odoo-iot.com") == ("NXDOMAIN", [])
    assert ask(mock_odoo_com, f"8-8-4-4.{H}.odoo-iot.com") == ("NOERROR", ["8.8.4.4"])
    mock_odoo_com.settings(dns_rebinding_protection=False)
    assert ask(mock_odoo_com, f"10-0-0-5.{H}.odoo-iot.com") == ("NOERROR", ["10.0.0.5"])


def test_the_command_line_flag_turns_rebinding_protection_on(mock_odoo_com_factory):
    mock = mock_odoo_com_factory(extra_args=["--dns-rebinding-protection"])
    assert mock.settings()["dns_rebinding_protection"] is True
    assert ask(mock, f"10-0-0-5.{H}.odoo-iot.com") == ("NXDOMAIN", [])


def test_a_garbage_packet_does_not_stop_the_dns(mock_odoo_com):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"\x00\x01garbage", ("127.0.0.1", mock_odoo_com.dns_port))
    assert ask(mock_odoo_com, f"10-0-0-5.{H}.odoo-iot.com") == ("NOERROR", ["10.0.0.5"])
