"""Every fault mode of docs/mock-odoo-com.md, for ``times`` requests or until cleared, on both public endpoints."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from test_issuing import make_csr
from x509_checks import check_box_certificate, key_of, public_bytes

from mock_odoo_com.testing import MockError


def certificate(mock, db_uuid, code, csr=None) -> dict:
    response = mock.request_certificate(db_uuid, code, csr)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def last_entry(mock, endpoint="x509") -> dict:
    return mock.requests(endpoint=endpoint)[-1]


@pytest.fixture
def eligible(mock_odoo_com):
    return mock_odoo_com.eligible_database()


def test_status_answers_that_status_for_times_requests(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("status", status=404, times=2)
    for _ in range(2):
        response = mock_odoo_com.request_certificate(*eligible)
        assert response.status_code == 404 and response.text == "404 NOT FOUND\n"
    assert mock_odoo_com.request_certificate(*eligible).status_code == 200
    assert [e["status"] for e in mock_odoo_com.requests(endpoint="x509")] == [404, 404, 200]
    assert last_entry(mock_odoo_com)["outcome"] == "issued"


def test_status_defaults_to_503(mock_odoo_com, eligible):
    assert mock_odoo_com.set_fault("status")["status"] == 503
    assert mock_odoo_com.request_certificate(*eligible).status_code == 503


def test_drop_closes_the_connection_without_an_answer(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("drop")
    with pytest.raises(requests.ConnectionError):
        mock_odoo_com.request_certificate(*eligible)
    assert (last_entry(mock_odoo_com)["outcome"], last_entry(mock_odoo_com)["fault"]) == ("fault", "drop")
    assert mock_odoo_com.request_certificate(*eligible).status_code == 200


def test_delay_holds_the_answer_past_a_clients_timeout_then_answers_as_usual(mock_odoo_com_factory):
    # A mock of its own: the held request would otherwise write its log entry into a later test's log.
    mock = mock_odoo_com_factory(dns=False)
    db_uuid, code = mock.eligible_database()
    mock.set_fault("delay", seconds=30)
    body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"db_uuid": db_uuid, "enterprise_code": code}}
    with pytest.raises(requests.ReadTimeout):  # as a box with a short timeout sees it
        mock.session.post(f"{mock.url}/odoo-enterprise/iot/x509", json=body, timeout=(30, 1))
    assert mock.faults() == []  # that request took the fault
    mock.set_fault("delay", seconds=0.1)
    assert certificate(mock, db_uuid, code)["x509_pem"]
    assert (last_entry(mock)["outcome"], last_entry(mock)["fault"]) == ("issued", "delay")


def test_garbage_is_200_with_a_body_that_is_not_json(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("garbage")
    response = mock_odoo_com.request_certificate(*eligible)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_error_is_a_json_rpc_error_object(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("error", code=418, message="maintenance")
    body = mock_odoo_com.request_certificate(*eligible).json()
    assert "result" not in body and body["error"]["code"] == 418 and body["error"]["message"] == "maintenance"


@pytest.mark.parametrize("style", ["false", "error_object"])
def test_refuse_refuses_an_eligible_database(mock_odoo_com, eligible, style):
    mock_odoo_com.settings(refusal_style=style)
    mock_odoo_com.set_fault("refuse", reason="no_iot_box_line")
    response = mock_odoo_com.request_certificate(*eligible)
    assert response.headers["X-Odoo-Iot-Refusal"] == "no_iot_box_line"
    result = response.json()["result"]
    assert result is False if style == "false" else result["error"] == "no_iot_box_line"
    assert (last_entry(mock_odoo_com)["outcome"], last_entry(mock_odoo_com)["fault"]) == ("refused", "refuse")


def test_bad_pem_does_not_parse(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("bad_pem")
    result = certificate(mock_odoo_com, *eligible)
    assert "BEGIN CERTIFICATE" in result["x509_pem"]
    with pytest.raises(ValueError):
        x509.load_pem_x509_certificates(result["x509_pem"].encode())


def test_wrong_key_in_server_key_mode_sends_a_key_that_is_not_the_certificates(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("wrong_key")
    result = certificate(mock_odoo_com, *eligible)
    leaf = check_box_certificate(result["x509_pem"], mock_odoo_com.ca_path.read_text(), eligible[0])
    assert public_bytes(leaf.public_key()) != public_bytes(key_of(result["private_key_pem"]).public_key())


def test_wrong_key_in_csr_mode_certifies_another_key(mock_odoo_com, eligible):
    key = ec.generate_private_key(ec.SECP256R1())
    mock_odoo_com.set_fault("wrong_key")
    result = certificate(mock_odoo_com, *eligible, make_csr(key))
    leaf = check_box_certificate(result["x509_pem"], mock_odoo_com.ca_path.read_text(), eligible[0])
    assert public_bytes(leaf.public_key()) != public_bytes(key.public_key())


def test_wrong_name_is_for_another_sub_domain(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("wrong_name")
    result = certificate(mock_odoo_com, *eligible)
    with pytest.raises(x509.verification.VerificationError):
        check_box_certificate(result["x509_pem"], mock_odoo_com.ca_path.read_text(), eligible[0])
    assert mock_odoo_com.subdomain(eligible[0]) not in result["x509_pem"]
    leaf = x509.load_pem_x509_certificates(result["x509_pem"].encode())[0]
    assert leaf.subject.rfc4514_string().endswith(".odoo-iot.com")


def test_expired_ended_before_now(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("expired")
    result = certificate(mock_odoo_com, *eligible)
    leaf = x509.load_pem_x509_certificates(result["x509_pem"].encode())[0]
    assert leaf.not_valid_after_utc < dt.datetime.now(dt.UTC)
    with pytest.raises(x509.verification.VerificationError):
        check_box_certificate(result["x509_pem"], mock_odoo_com.ca_path.read_text(), eligible[0])
    # Valid and well-formed otherwise: it passes every check at a time inside its validity.
    check_box_certificate(
        result["x509_pem"],
        mock_odoo_com.ca_path.read_text(),
        eligible[0],
        now=leaf.not_valid_after_utc - dt.timedelta(days=1),
    )


def test_untrusted_chains_to_a_root_that_is_not_the_mocks(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("untrusted")
    result = certificate(mock_odoo_com, *eligible)
    with pytest.raises(ValueError, match="Issuer certificate subject does not match"):
        check_box_certificate(result["x509_pem"], mock_odoo_com.ca_path.read_text(), eligible[0])
    leaf, intermediate = x509.load_pem_x509_certificates(result["x509_pem"].encode())
    leaf.verify_directly_issued_by(intermediate)  # a consistent chain, to someone else's root


def test_a_fault_without_times_lasts_until_cleared(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("status", status=500, times=None)
    assert [mock_odoo_com.request_certificate(*eligible).status_code for _ in range(3)] == [500] * 3
    assert mock_odoo_com.faults()[0]["remaining"] is None
    assert mock_odoo_com.clear_faults() == 1
    assert mock_odoo_com.request_certificate(*eligible).status_code == 200


def test_faults_queue_in_order(mock_odoo_com, eligible):
    mock_odoo_com.set_fault("status", status=502)
    mock_odoo_com.set_fault("garbage")
    assert [f["mode"] for f in mock_odoo_com.faults()] == ["status", "garbage"]
    assert mock_odoo_com.request_certificate(*eligible).status_code == 502
    assert mock_odoo_com.request_certificate(*eligible).headers["Content-Type"].startswith("text/html")
    assert mock_odoo_com.faults() == []


@pytest.mark.parametrize("mode", ["status", "drop", "garbage", "error", "delay"])
def test_transport_faults_hit_publisher_warranty_and_not_x509(mock_odoo_com, eligible, mode):
    params = {"seconds": 0.1} if mode == "delay" else {}
    mock_odoo_com.set_fault(mode, endpoint="publisher-warranty", **params)
    assert mock_odoo_com.request_certificate(*eligible).status_code == 200
    if mode == "delay":
        assert mock_odoo_com.publisher_warranty(*eligible)["production_database"] is True
    else:
        with pytest.raises((requests.RequestException, ValueError, KeyError)):
            mock_odoo_com.publisher_warranty(*eligible)
    assert last_entry(mock_odoo_com, "publisher-warranty")["fault"] == mode


def test_clearing_one_endpoints_faults_keeps_the_others(mock_odoo_com):
    mock_odoo_com.set_fault("garbage", endpoint="publisher-warranty")
    mock_odoo_com.set_fault("garbage")
    assert mock_odoo_com.clear_faults("x509") == 1
    assert [f["endpoint"] for f in mock_odoo_com.faults()] == ["publisher-warranty"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"mode": "explode"}, "mode must be one of"),
        ({"mode": "status", "status": 200}, "status 200 is not valid"),
        ({"mode": "status", "endpoint": "nowhere"}, "endpoint must be one of"),
        ({"mode": "bad_pem", "endpoint": "publisher-warranty"}, "only applies to the x509 endpoint"),
        ({"mode": "drop", "times": 0}, "times must be"),
        ({"mode": "delay", "seconds": "soon"}, "not valid for mode delay"),
        ({"mode": "garbage", "status": 500}, "takes no parameter status"),
    ],
)
def test_a_fault_that_cannot_be_injected_is_a_clear_400(mock_odoo_com, body, words):
    with pytest.raises(MockError, match="400") as error:
        mock_odoo_com.call("POST", "/mock/faults", body)
    assert words in str(error.value)
    assert mock_odoo_com.faults() == []
