"""Real IoT boxes of both generations against the mock, from their recorded requests, byte for byte: each gets
the refusal shape its code reads with no setting changed, and a certificate it can install."""

from __future__ import annotations

import json

import pytest
import requests
import urllib3
from real_boxes import GENERATIONS, READS, recording

from mock_odoo_com.wire import captured, comparable, exchange

X509 = "/odoo-enterprise/iot/x509"

OTHER_STYLE = {"odoo17_hw_drivers": "error_object", "odoo19_iot_drivers": "false"}
# What each generation makes of the refusal it reads.
REFUSAL_READ = {"odoo17_hw_drivers": "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT",
                "odoo19_iot_drivers": "refused: unknown_subscription"}


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
    assert READS[generation](answer.status, answer.body) == REFUSAL_READ[generation]
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

def test_the_odoo17_recording_is_what_hw_drivers_sends():
    record = recording("odoo17_hw_drivers")
    params = {"params": {"db_uuid": record["db_uuid"], "enterprise_code": record["enterprise_code"]}}

    def send(url: str) -> None:  # load_certificate()'s call, with the same library and arguments
        pool = urllib3.PoolManager(cert_reqs="CERT_NONE", retries=urllib3.Retry(4))
        pool.request("POST", url, body=json.dumps(params).encode("utf8"),
                     headers={"Content-type": "application/json", "Accept": "text/plain"})

    assert comparable(captured(send, X509)) == comparable(record["x509_request"].encode())


def test_the_odoo19_recording_is_what_iot_drivers_sends():
    record = recording("odoo19_iot_drivers")
    params = {"params": {"db_uuid": record["db_uuid"], "enterprise_code": record["enterprise_code"]}}
    # download_odoo_certificate()'s call, with the same library and arguments
    caught = captured(lambda url: requests.post(url, json=params, timeout=30), X509)
    assert comparable(caught) == comparable(record["x509_request"].encode())
