"""Real IoT boxes of both generations against the mock, from their recorded requests, byte for byte: each gets
the refusal shape its code reads with no setting changed, and a certificate it can install."""

from __future__ import annotations

import json
import re
import socket
import threading

import pytest
import requests
import urllib3
from real_boxes import GENERATIONS, READS, recording

from mock_odoo_com.wire import exchange

OTHER_STYLE = {"odoo17_hw_drivers": "error_object", "odoo19_iot_drivers": "false"}


def replay(mock, generation: str):
    return exchange(mock.url, recording(generation)["x509_request"].encode(), mock.ca_path)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_each_generation_gets_the_refusal_it_reads_with_no_setting_changed(mock_odoo_com, generation):
    assert mock_odoo_com.settings()["refusal_style"] == "auto"
    expected = recording(generation)["x509_refusal"]
    answer = replay(mock_odoo_com, generation)
    assert answer.status == expected["status"]
    for name, value in expected["headers"].items():
        assert answer.headers[name] == value
    assert answer.body == expected["body"].encode()
    reads = READS[generation](answer.status, answer.body)
    assert reads in ("ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT", "refused: unknown_subscription")
    assert mock_odoo_com.requests(endpoint="x509")[-1]["outcome"] == "refused"


@pytest.mark.parametrize("generation", GENERATIONS)
def test_the_other_generations_refusal_crashes_the_box_and_the_setting_still_forces_it(mock_odoo_com, generation):
    mock_odoo_com.settings(refusal_style=OTHER_STYLE[generation])
    answer = replay(mock_odoo_com, generation)
    assert answer.headers["X-Odoo-Iot-Refusal"] == "unknown_subscription"
    with pytest.raises((KeyError, AttributeError)):
        READS[generation](answer.status, answer.body)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_an_eligible_database_gives_both_generations_a_certificate(mock_odoo_com, generation):
    record = recording(generation)
    mock_odoo_com.add_subscription(record["enterprise_code"])
    mock_odoo_com.add_database(record["db_uuid"], record["enterprise_code"])
    answer = replay(mock_odoo_com, generation)
    subject = f"*.{mock_odoo_com.subdomain(record['db_uuid'])}.odoo-iot.com"
    assert READS[generation](answer.status, answer.body) == f"installed {subject}"


def test_a_json_rpc_call_keeps_result_false_and_the_reason_header(mock_odoo_com):
    response = mock_odoo_com.request_certificate("8d3b6a52-1c4f-4e0a-9b7d-2f5e61a4c930", "M24120034567")
    assert response.json() == {"jsonrpc": "2.0", "id": 1, "result": False}
    assert response.headers["X-Odoo-Iot-Refusal"] == "unknown_subscription"


# -- the recordings are what the boxes' code sends -------------------------------------------------------------

def _captured(send) -> bytes:
    """The bytes ``send(url)`` puts on the wire, caught by a loopback listener that answers a refusal."""
    listener = socket.create_server(("127.0.0.1", 0))
    caught: list[bytes] = []

    def serve() -> None:
        connection, _address = listener.accept()
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            head, _sep, body = data.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(body) < length:
                body += connection.recv(65536)
            caught.append(head + b"\r\n\r\n" + body)
            answer = b'{"jsonrpc":"2.0","id":null,"result":false}'
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                               b"Connection: close\r\n\r\n%s" % (len(answer), answer))

    thread = threading.Thread(target=serve)
    thread.start()
    with listener:
        send(f"http://127.0.0.1:{listener.getsockname()[1]}/odoo-enterprise/iot/x509")
        thread.join(timeout=30)
    return caught[0]


def _comparable(raw: bytes) -> bytes:
    """A request without what differs from one machine to another: the host it went to, the library's version,
    the compressions it can undo (requests adds br and zstd when their libraries are installed)."""
    raw = re.sub(rb"\r\nHost: [^\r]*", b"\r\nHost: -", raw)
    raw = re.sub(rb"\r\nAccept-Encoding: gzip, deflate[^\r]*", b"\r\nAccept-Encoding: gzip, deflate", raw)
    return re.sub(rb"\r\nUser-Agent: (python-[a-z0-9]+)/[^\r]*", rb"\r\nUser-Agent: \1/-", raw)


def test_the_odoo17_recording_is_what_hw_drivers_sends():
    record = recording("odoo17_hw_drivers")
    params = {"params": {"db_uuid": record["db_uuid"], "enterprise_code": record["enterprise_code"]}}

    def send(url: str) -> None:  # load_certificate()'s call, with the same library and arguments
        pool = urllib3.PoolManager(cert_reqs="CERT_NONE", retries=urllib3.Retry(4))
        pool.request("POST", url, body=json.dumps(params).encode("utf8"),
                     headers={"Content-type": "application/json", "Accept": "text/plain"})

    assert _comparable(_captured(send)) == _comparable(record["x509_request"].encode())


def test_the_odoo19_recording_is_what_iot_drivers_sends():
    record = recording("odoo19_iot_drivers")
    params = {"params": {"db_uuid": record["db_uuid"], "enterprise_code": record["enterprise_code"]}}
    # download_odoo_certificate()'s call, with the same library and arguments
    caught = _captured(lambda url: requests.post(url, json=params, timeout=30))
    assert _comparable(caught) == _comparable(record["x509_request"].encode())
