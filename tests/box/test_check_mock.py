"""Every row of docs/protocols.md §7 against the mock odoo.com: issuance, refusals and each fault mode give their code
with a detail that says what happened, and the box keeps serving its previous certificate."""

from __future__ import annotations

import pytest
from boxhelpers import IP

from iot_box import errors
from iot_box.box import Box, BoxOptions
from iot_box.names import box_hostname, subdomain
from iot_common.procs import wait_until


def make_box(tmp_path, mock, clock=None, **options) -> Box:
    options = {"data_dir": tmp_path / "box", "http_port": 8080, "https_port": 8443, "odoo_com_url": mock.url,
               "odoo_com_ca": mock.ca_path, "advertise_ip": IP, "dns_server": ("127.0.0.1", mock.dns_port),
               "odoo_com_timeout": 2.0, **options}
    box = Box(BoxOptions(**options), **({"clock": clock} if clock else {}))
    box.config.update(remote_server="http://127.0.0.1:9")  # a server is configured (never reached here)
    return box


@pytest.fixture
def eligible(mock_odoo_com):
    return mock_odoo_com.eligible_database()


@pytest.fixture
def box(tmp_path, mock_odoo_com, eligible):
    box = make_box(tmp_path, mock_odoo_com)
    box.config.update(db_uuid=eligible[0], enterprise_code=eligible[1])
    yield box
    box.stop()


@pytest.mark.parametrize("key_mode", ["csr", "server"])
def test_an_eligible_box_gets_verifies_installs_and_serves_its_certificate(tmp_path, mock_odoo_com, eligible,
                                                                           key_mode):
    box = make_box(tmp_path, mock_odoo_com, key_mode=key_mode)
    box.config.update(db_uuid=eligible[0], enterprise_code=eligible[1])
    try:
        result = box.check()
        assert result.error_code is None and result.installed is not None
        wildcard = f"*.{subdomain(eligible[0])}.odoo-iot.com"
        assert box.served.info.subject_cn == wildcard == box.config.get("subject")
        assert box.https_url() == f"https://{box_hostname(IP, eligible[0])}:8443"
        assert box.status()["certificate"]["issuer"] == "Mock R12"
        log = mock_odoo_com.requests(endpoint="x509")
        assert log[-1]["outcome"] == "issued" and log[-1]["csr"] is (key_mode == "csr")
        # A second check finds a good certificate and asks nothing.
        assert box.check().installed is None and len(mock_odoo_com.requests(endpoint="x509")) == len(log)
    finally:
        box.stop()


FAULTS = [
    ({"mode": "status", "status": 404}, errors.REQUEST_STATUS, "HTTP 404"),
    ({"mode": "status", "status": 503}, errors.REQUEST_STATUS, "HTTP 503"),
    ({"mode": "drop"}, errors.REQUEST_EXCEPTION, "ConnectionError"),
    ({"mode": "delay", "seconds": 4}, errors.REQUEST_EXCEPTION, "timed out"),
    ({"mode": "garbage"}, errors.NO_RESULT, "not JSON"),
    ({"mode": "error", "message": "Odoo Server Error"}, errors.NO_RESULT, "Odoo Server Error"),
    ({"mode": "refuse", "reason": "no_iot_box_line"}, errors.NO_RESULT, "refused the certificate "
                                                                       "(no_iot_box_line)"),
    ({"mode": "bad_pem"}, errors.NO_RESULT, "not valid PEM"),
    ({"mode": "wrong_key"}, errors.NO_RESULT, "does not match"),
    ({"mode": "wrong_name"}, errors.NO_RESULT, "not 10-0-0-5."),
    ({"mode": "expired"}, errors.NO_RESULT, "expired on"),
    ({"mode": "untrusted"}, errors.NO_RESULT, "does not chain to a trusted root"),
]


@pytest.mark.parametrize("fault, code, detail", FAULTS,
                         ids=[f"{fault['mode']}{fault.get('status', '')}" for fault, _, _ in FAULTS])
def test_each_fault_gives_its_code_and_the_old_certificate_stays(box, mock_odoo_com, fault, code, detail):
    mock_odoo_com.settings(validity_days=5)  # inside the renewal window: every check asks again
    assert box.check().error_code is None
    before = box.served.info

    mock_odoo_com.set_fault(**fault)
    result = box.check()
    assert result.error_code == code
    assert detail in result.error_detail
    status = fault.get("status") if code == errors.REQUEST_STATUS else None
    # The code as the documentation writes it, "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404"; the status on its own too.
    assert result.headline == (f"{code} {status}" if status else code)
    assert box.served.info == before and box.store.load().cert_pem  # still the previous certificate
    assert (box.status()["error_code"], box.status()["error_status"]) == (result.headline, status)
    # The fault is gone: the next check gets a new certificate again.
    assert box.check().error_code is None and box.served.info.serial != before.serial


@pytest.mark.parametrize("style", ["false", "error_object"])
def test_a_refusal_by_policy_says_why_in_both_styles(tmp_path, mock_odoo_com, style):
    mock_odoo_com.settings(refusal_style=style)
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.add_database(db_uuid, code, kind="staging")
    box = make_box(tmp_path, mock_odoo_com)
    box.config.update(db_uuid=db_uuid, enterprise_code=code)
    try:
        result = box.check()
        assert result.error_code == errors.NO_RESULT
        assert "database_not_production" in result.error_detail
        assert box.served.info.is_placeholder
    finally:
        box.stop()


def test_odoo_com_with_a_certificate_the_box_does_not_trust_is_a_request_exception(tmp_path, mock_odoo_com,
                                                                                   eligible):
    box = make_box(tmp_path, mock_odoo_com, odoo_com_ca=None)  # the system store does not know the mock's CA
    box.config.update(db_uuid=eligible[0], enterprise_code=eligible[1])
    try:
        result = box.check()
        assert result.error_code == errors.REQUEST_EXCEPTION and "SSLError" in result.error_detail
    finally:
        box.stop()


def test_dns_check_both_outcomes(box, mock_odoo_com):
    assert box.dns_check() is None  # no https name yet
    box.check()
    ok = box.dns_check()
    assert ok.ok and f"resolves to {IP}" in ok.detail
    mock_odoo_com.settings(dns_rebinding_protection=True)  # a router that drops private answers
    blocked = box.dns_check(max_age=0)  # not the answer cached a moment ago
    assert not blocked.ok and "NXDOMAIN" in blocked.detail


def test_homepage_with_a_certificate_shows_the_url_the_banner_and_the_dns_advice(box, mock_odoo_com):
    from werkzeug.test import Client

    from iot_box.web import BoxWeb

    client = Client(BoxWeb(box))
    page = client.get("/", headers={"Accept-Language": "en"}).text
    url = f"https://{box_hostname(IP, box.config.get('db_uuid'))}:8443"
    assert f'<a href="{url}">{url}</a>' in page
    assert "Click the URL to establish a secure HTTPS connection." in page
    info = box.served.info
    assert "Valid from" in page and info.not_before.strftime("%Y-%m-%d %H:%M UTC") in page
    assert "Valid until" in page and info.not_after.strftime("%Y-%m-%d %H:%M UTC") in page
    assert "The secure address resolves to this IoT system" in page

    mock_odoo_com.settings(dns_rebinding_protection=True)
    box.dns_check(max_age=0)
    dutch = client.get("/", headers={"Accept-Language": "nl"}).text
    assert ("De homepage van het IoT-systeem is toegankelijk via het IP-adres maar niet via de "
            "xxx.odoo-iot.com") in dutch
    assert "Google DNS" in dutch and "DNS_PROBE_FINISHED_NXDOMAIN" in dutch
    assert "vallen buiten de scope van Odoo-ondersteuningsdiensten" in dutch


def test_homepage_loads_in_quick_succession_ask_odoo_com_once(tmp_path, mock_odoo_com):
    from werkzeug.test import Client

    from iot_box.web import BoxWeb

    box = make_box(tmp_path, mock_odoo_com, clock=lambda: 1000.0)  # the loads come within the same instant
    box.config.update(db_uuid="not-registered", enterprise_code="unknown")
    try:
        client = Client(BoxWeb(box))
        for _ in range(3):
            assert "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT" in client.get("/").text
        assert len(mock_odoo_com.requests(endpoint="x509")) == 1
        assert "unknown_subscription" in box.status()["error_detail"]
    finally:
        box.stop()


def test_a_box_moved_to_another_database_gets_a_certificate_for_it(box, mock_odoo_com):
    first = box.check().certificate
    db_uuid, code = mock_odoo_com.eligible_database()
    box.set_credential(db_uuid, code)
    assert box.served.info.subject_cn == f"*.{subdomain(db_uuid)}.odoo-iot.com" != first.subject_cn


def test_the_box_checks_again_every_day(box, mock_odoo_com, monkeypatch):
    import iot_box.box

    monkeypatch.setattr(iot_box.box, "DAILY", 0.2)  # a "day" of 0.2 s
    mock_odoo_com.settings(validity_days=5)  # inside the renewal window: every check asks odoo.com
    box.start_background()
    wait_until(lambda: len(mock_odoo_com.requests(endpoint="x509")) >= 3)
