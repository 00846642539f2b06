"""The rows of docs/protocols.md §7 that need no odoo.com, and the renewal window: the check stops at the right row."""

from __future__ import annotations

import pytest
from boxhelpers import DB_UUID, IP, closed_port_url, issue

from iot_box import certs, errors
from iot_box.check import CertificateCheck
from iot_box.config import BoxConfig
from iot_box.installer import CertStore
from iot_box.odoo_com import OdooCom


@pytest.fixture
def check(tmp_path, ca):
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    config = BoxConfig(tmp_path / "odoo.conf")
    config.update(remote_server="http://127.0.0.1:9", db_uuid=DB_UUID, enterprise_code="CODE")
    return CertificateCheck(config=config, store=CertStore(tmp_path / "certs"),
                            odoo_com=OdooCom(closed_port_url(), None, 2.0), advertise_ip=IP,
                            ca_file=ca_file)


def test_no_server_comes_first(check):
    check.config.update(remote_server=None, db_uuid=None)
    result = check.run()
    assert result.error_code == errors.NO_SERVER and "not connected" in result.error_detail


def test_an_unreadable_certificate_is_reported_not_replaced(check):
    check.store.install(b"-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n", b"key")
    result = check.run()
    assert result.error_code == errors.CERT_READ_EXCEPTION
    assert "could not be read" in result.error_detail


@pytest.mark.parametrize("missing", [("db_uuid",), ("enterprise_code",), ("db_uuid", "enterprise_code")])
def test_missing_credential_names_what_is_missing(check, missing):
    check.config.update(**dict.fromkeys(missing))
    result = check.run()
    assert result.error_code == errors.NO_CREDENTIAL
    assert result.error_detail == f"{' and '.join(missing)} not set on this IoT system"


def test_odoo_com_unreachable_carries_the_exception_text(check):
    result = check.run()
    assert result.error_code == errors.REQUEST_EXCEPTION
    assert "ConnectionError" in result.error_detail and "refused" in result.error_detail.lower()


def test_a_certificate_with_more_than_ten_days_left_is_kept_without_asking(check, ca):
    check.store.install(*issue(ca, days=10.5))
    result = check.run()  # odoo.com is not reachable: asking would have failed
    assert result.error_code is None and result.installed is None
    assert result.certificate.not_after > certs.utcnow()


def test_a_certificate_without_a_record_of_what_it_was_issued_for_is_asked_for_again_at_start(check, ca):
    check.store.install(*issue(ca, days=80))  # as an earlier version of the box installed it: no issued-for.json
    assert check.run().error_code is None  # the periodic check keeps it
    assert check.run(ask_if_changed=True).error_code == errors.REQUEST_EXCEPTION  # a (re)start asks odoo.com


@pytest.mark.parametrize("days", [9.5, -1])
def test_an_expiring_or_expired_certificate_is_renewed(check, ca, days):
    check.store.install(*issue(ca, days=days, start_days_ago=80))
    before = check.store.load()
    result = check.run()
    assert result.error_code == errors.REQUEST_EXCEPTION  # it asked odoo.com (which is not there)
    assert check.store.load() == before  # and kept what it had


def test_the_placeholder_is_never_good_enough(check):
    check.store.install(*certs.make_placeholder())
    assert check.run().error_code == errors.REQUEST_EXCEPTION


def test_a_ca_bundle_that_is_not_there_yet_is_a_request_exception(tmp_path, check):
    check.odoo_com.ca_file = tmp_path / "later" / "ca.pem"  # e.g. the mock has not written it yet
    result = check.run()
    assert result.error_code == errors.REQUEST_EXCEPTION and "later/ca.pem" in result.error_detail
