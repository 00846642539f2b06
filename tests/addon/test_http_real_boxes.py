"""The certificate report of a real Odoo 18.3+/19 box (no box secret), replayed byte for byte against the
running server: it updates the certificate of the paired box with that identifier and nothing else; a report
without the secret cannot move a box to another address, rename it, or create one (docs/threat-model.md)."""

import json
import uuid
from pathlib import Path

import pytest
import requests

from mock_odoo_com.wire import captured, comparable, exchange

from .test_http_access import login_session

REPORT = json.loads((Path(__file__).parent / "data" / "odoo19_iot_drivers_report.json").read_text())
ROUTE = "/iot/box/update_certificate_status"
NOT_CERTIFICATE = ["name", "identifier", "ip", "ip_url", "version", "connected_at", "box_secret_index"]
CERTIFICATE = ["ssl_certificate_end_date", "certificate_subject", "error_code", "error_detail", "certificate_state"]


def read_box(server, identifier: str) -> dict:
    admin = server.xmlrpc()
    records = admin("iot.box", "search_read", [("identifier", "=", identifier)], fields=NOT_CERTIFICATE + CERTIFICATE)
    assert len(records) == 1, records
    return records[0]


def test_a_19_box_report_updates_only_the_certificate_of_its_paired_box(server):
    identifier = REPORT["identifier"]
    secret = server.pair(identifier, name="Till box", ip="10.0.3.7:8069", version="25.10")
    failed = {"identifier": identifier, "subject": "*.abcd1234.odoo-iot.com", "ssl_certificate_end_date": None,
              "error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS", "error_detail": "503"}
    assert server.jsonrpc(ROUTE, failed, secret=secret)["result"] is True
    before = read_box(server, identifier)

    answer = exchange(server.url, REPORT["report_request"].encode())

    expected = REPORT["report_answer"]
    assert answer.status == expected["status"] and answer.headers["Content-Type"] == expected["headers"]["Content-Type"]
    assert answer.body == expected["body"].encode()
    after = read_box(server, identifier)
    assert {name: after[name] for name in NOT_CERTIFICATE} == {name: before[name] for name in NOT_CERTIFICATE}
    assert {name: after[name] for name in CERTIFICATE} == {
        "ssl_certificate_end_date": REPORT["ssl_certificate_end_date"],
        "certificate_subject": False,
        "error_code": False,
        "error_detail": False,
        "certificate_state": "valid",
    }
    moved = {"identifier": identifier, "ip": "10.0.3.8:8069", "ssl_certificate_end_date": "2099-01-01T00:00:00Z"}
    assert server.jsonrpc(ROUTE, moved, secret=secret)["result"] is True  # the secret still moves the box
    assert read_box(server, identifier)["ip_url"] == "http://10.0.3.8:8069"


def test_a_report_without_the_secret_cannot_redirect_the_admin(server):
    identifier = f"box-{uuid.uuid4().hex[:8]}"
    server.pair(identifier, name="Kitchen box", ip="10.0.4.7:8069")
    before = read_box(server, identifier)
    session = login_session(server, "admin", "admin")
    boxes = f"{server.url}/odoo/action-iot_https.iot_box_action"
    assert 'href="http://10.0.4.7:8069"' in session.get(boxes, timeout=30).text

    for forged in (
        {"ip": "203.0.113.9:443"},
        {"ip": "10-0-4-7.abcd1234.odoo-iot.com.evil.example", "ssl_certificate_end_date": "2099-01-01 00:00:00"},
        {"name": "Pay here"},
        {"version": "99.0"},
    ):
        answer = server.jsonrpc(ROUTE, {"identifier": identifier, **forged})
        assert "box secret" in answer["error"]["message"], answer
        assert sorted(forged)[0] in answer["error"]["message"]
    # Refused as a whole with HTTP 403 (docs/threat-model.md), where a refused value is a 200 JSON-RPC error.
    body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"identifier": identifier, "ip": "203.0.113.9"}}
    assert requests.post(f"{server.url}{ROUTE}", json=body, timeout=30).status_code == 403

    assert read_box(server, identifier) == before
    page = session.get(boxes, timeout=30).text
    assert 'href="http://10.0.4.7:8069"' in page
    assert "203.0.113.9" not in page and "evil.example" not in page and "Pay here" not in page


@pytest.mark.parametrize("identifier", ["b8:27:eb:00:00:99", "00:1a:2b:3c:4d:01"])
def test_a_report_without_the_secret_cannot_create_a_box_or_speak_for_an_unpaired_one(server, identifier):
    """An unknown identifier, and a box that never paired (a demo record has no secret)."""
    admin = server.xmlrpc()
    before = admin("iot.box", "search_read", [("identifier", "=", identifier)], fields=CERTIFICATE)
    report = {"identifier": identifier, "ssl_certificate_end_date": "2099-03-04 09:12:45"}
    answer = server.jsonrpc(ROUTE, report)
    assert "No IoT box with the identifier" in answer["error"]["message"]
    assert "connection token" in answer["error"]["message"]
    assert admin("iot.box", "search_read", [("identifier", "=", identifier)], fields=CERTIFICATE) == before


def test_a_wrong_secret_is_refused_even_for_a_report_that_needs_none(server):
    identifier = f"box-{uuid.uuid4().hex[:8]}"
    server.pair(identifier)
    answer = server.jsonrpc(
        ROUTE, {"identifier": identifier, "ssl_certificate_end_date": "2099-03-04 09:12:45"}, secret="not-the-secret"
    )
    assert "Unknown box secret" in answer["error"]["message"]
    assert read_box(server, identifier)["certificate_state"] == "missing"


def test_the_report_recording_is_what_iot_drivers_sends():
    # inform_database()'s call, with the same library and arguments
    params = {"identifier": REPORT["identifier"], "ssl_certificate_end_date": "2099-03-04 09:12:45+00:00"}
    caught = captured(lambda url: requests.post(url, json={"params": params}, timeout=5), ROUTE)
    assert comparable(caught) == comparable(REPORT["report_request"].encode())
