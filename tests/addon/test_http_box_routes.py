"""The routes boxes call, over real HTTP against the running server (docs/protocols.md §3)."""

import uuid

import pytest
import requests
from odoo.addons.iot_https.tests.common import box_params


def test_connect_token_prints_the_connection_string(server):
    result = server.command("connect-token", "--server-url", server.url)
    assert result.returncode == 0, result.stderr
    connection = result.stdout.strip()
    assert connection.startswith(f"{server.url}?token=")
    assert f"db_uuid={server.db_uuid()}" in connection and "enterprise_code=M-DEMO-IOT-0001" in connection
    default = server.command("connect-token").stdout.strip()
    base_url = server.xmlrpc()("ir.config_parameter", "get_param", "web.base.url")
    assert base_url == "http://localhost:8069"  # Odoo 17's default, set when the database is created
    assert default.startswith(f"{base_url}?token=")


@pytest.fixture
def paired(server):
    """A freshly paired box: (identifier, secret)."""
    identifier = f"box-{uuid.uuid4().hex[:8]}"
    return identifier, server.pair(identifier)


def box_record(server, identifier: str) -> dict:
    records = server.xmlrpc()(
        "iot.box",
        "search_read",
        [("identifier", "=", identifier)],
        fields=[
            "name",
            "ip",
            "ip_url",
            "version",
            "certificate_state",
            "error_code",
            "error_status",
            "error_explanation",
            "ssl_certificate_end_date",
            "certificate_subject",
        ],
    )
    assert len(records) == 1
    return records[0]


def test_pairing_with_a_token_gives_the_box_its_own_secret(server):
    answer = server.jsonrpc("/iot/setup", {**box_params("pair-1"), "token": server.new_token()})
    assert "result" in answer, answer
    result = answer["result"]
    assert result["identifier"] == "pair-1"
    assert len(result["box_secret"]) > 40
    record = box_record(server, "pair-1")
    assert (record["ip_url"], record["certificate_state"]) == ("http://10.0.0.5:8080", "missing")


def test_a_token_works_once(server):
    token = server.new_token()
    assert "result" in server.jsonrpc("/iot/setup", {**box_params("once-1"), "token": token})
    answer = server.jsonrpc("/iot/setup", {**box_params("once-2"), "token": token})
    assert "already used" in answer["error"]["message"]


def test_wrong_token_is_refused_with_a_clear_message(server):
    answer = server.jsonrpc("/iot/setup", {**box_params("wrong"), "token": "0123456789ab.not-the-secret"})
    assert "invalid" in answer["error"]["message"]
    answer = server.jsonrpc("/iot/setup", box_params("no-token"))
    assert "connection token is needed" in answer["error"]["message"]


def test_known_box_calling_again_updates_the_same_record(server, paired):
    identifier, secret = paired
    answer = server.jsonrpc(
        "/iot/setup", box_params(identifier, ip="10-0-0-5.abcd1234.odoo-iot.com:8443"), secret=secret
    )
    assert answer["result"] == {"identifier": identifier, "box_secret": None}
    record = box_record(server, identifier)
    assert record["ip_url"] == "https://10-0-0-5.abcd1234.odoo-iot.com:8443"


def test_certificate_report_needs_the_box_secret(server, paired):
    identifier, secret = paired
    report = {
        "identifier": identifier,
        "ip": "10-0-0-5.abcd1234.odoo-iot.com",
        "subject": "*.abcd1234.odoo-iot.com",
        "ssl_certificate_end_date": "2099-01-01T00:00:00Z",
        "error_code": None,
        "error_detail": None,
    }
    for wrong in (None, "", secret[:-3] + "xyz", "Bearer-less"):
        answer = server.jsonrpc("/iot/box/update_certificate_status", report, secret=wrong)
        assert "error" in answer and "box secret" in answer["error"]["message"]
    assert box_record(server, identifier)["certificate_state"] == "missing"
    answer = server.jsonrpc("/iot/box/update_certificate_status", report, secret=secret)
    assert answer["result"] is True
    record = box_record(server, identifier)
    assert (record["certificate_state"], record["certificate_subject"]) == (
        "valid",
        "*.abcd1234.odoo-iot.com",
    )
    assert record["ip_url"] == "https://10-0-0-5.abcd1234.odoo-iot.com"


def test_a_box_cannot_report_for_another_box(server, paired):
    _identifier, secret = paired
    answer = server.jsonrpc(
        "/iot/box/update_certificate_status",
        {"identifier": "00:11:22:33:44:55", "error_code": "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL"},
        secret=secret,
    )
    assert "another IoT box" in answer["error"]["message"]


def test_error_report_and_bad_values(server, paired):
    identifier, secret = paired
    answer = server.jsonrpc(
        "/iot/box/update_certificate_status",
        {
            "identifier": identifier,
            "ssl_certificate_end_date": None,
            "subject": None,
            "error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503",
            "error_status": 503,
            "error_detail": "odoo.com answered HTTP 503 Service Unavailable",
        },
        secret=secret,
    )
    assert answer["result"] is True
    record = box_record(server, identifier)
    assert (record["certificate_state"], record["error_status"]) == ("error", 503)
    for bad in (
        {"ssl_certificate_end_date": "soon"},
        {"error_code": 42},
        {"error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 5033"},
        {"error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503", "error_status": 404},
        {"error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS", "error_status": "503"},
        {"error_code": None, "error_status": 503},
        {"identifier": ["x"]},
        {"error_detail": "x" * 5000},
    ):
        answer = server.jsonrpc(
            "/iot/box/update_certificate_status", {"identifier": identifier, **bad}, secret=secret
        )
        assert answer["error"]["message"] and "Traceback" not in str(answer)
    record = box_record(server, identifier)  # a refused report changes nothing
    assert (record["certificate_state"], record["error_code"]) == ("error", "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503")


@pytest.mark.parametrize(
    "report",
    [
        {"error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404", "error_status": 404},  # what a box of ours sends
        {"error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404"},
        {"error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS", "error_status": 404},
    ],
)
def test_the_code_is_stored_as_the_documentation_writes_it_with_its_status(server, paired, report):
    identifier, secret = paired
    answer = server.jsonrpc(
        "/iot/box/update_certificate_status", {"identifier": identifier, **report}, secret=secret
    )
    assert answer["result"] is True
    record = box_record(server, identifier)
    assert (record["error_code"], record["error_status"]) == ("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404", 404)
    assert "404" in record["error_explanation"]  # the explanation of the code without its status


def test_malformed_requests_get_a_clear_error_never_a_traceback(server):
    for body in (b"not json", b"{}", b"[]", b'{"jsonrpc": "2.0", "params": "text"}'):
        response = requests.post(
            f"{server.url}/iot/setup", data=body, headers={"Content-Type": "application/json"}, timeout=30
        )
        assert response.status_code < 500
        assert "Traceback" not in response.text


def test_the_demo_box_that_met_a_404_shows_the_code_with_its_status(server):
    record = box_record(server, "00:1a:2b:3c:4d:04")
    assert (record["error_code"], record["error_status"]) == ("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404", 404)
    [demo] = server.xmlrpc()("iot.box", "search_read", [("identifier", "=", "00:1a:2b:3c:4d:04")],
                             fields=["error_detail"])
    assert demo["error_detail"] == "odoo.com answered HTTP 404 Not Found"  # a sentence, not a bare "404"
