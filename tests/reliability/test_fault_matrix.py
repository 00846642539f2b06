"""docs/testing.md "faults": every fault mode of the mock odoo.com (docs/mock-odoo-com.md) against a real box
process, once on a box that has no certificate yet and once on a box renewing a valid one, in both key modes.

Each time: the homepage shows the documented code, the box keeps serving what it served before (checked with a
TLS handshake, verified against the mock's root when it was a real certificate) and its installed files are
unchanged. A clean check afterwards shows the box was really asking for a new certificate all along.
"""

from __future__ import annotations

import json
import ssl

import pytest
from reliability_tools import SOAK, BoxUser, box_system, served_certificate, start_offline_box

from iot_box.installer import CertStore
from iot_box.names import box_hostname
from iot_common.procs import wait_until

STATUS = "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS"
EXCEPTION = "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION"
NO_RESULT = "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"

# (fault as POST /mock/faults takes it, what the box's homepage must show)
MATRIX = [
    ({"mode": "status", "status": 404}, f"{STATUS} 404"),
    ({"mode": "status", "status": 500}, f"{STATUS} 500"),
    ({"mode": "status", "status": 503}, f"{STATUS} 503"),
    ({"mode": "drop"}, EXCEPTION),
    ({"mode": "delay", "seconds": 4}, EXCEPTION),  # the box waits 2 s (--odoo-com-timeout)
    ({"mode": "garbage"}, NO_RESULT),
    ({"mode": "refuse"}, NO_RESULT),
    ({"mode": "error"}, NO_RESULT),
    ({"mode": "bad_pem"}, NO_RESULT),
    ({"mode": "wrong_key"}, NO_RESULT),
    ({"mode": "wrong_name"}, NO_RESULT),
    ({"mode": "expired"}, NO_RESULT),
    ({"mode": "untrusted"}, NO_RESULT),
]
MODES = {fault["mode"] for fault, _ in MATRIX}
PLACEHOLDER = "CN=OdooTempIoTBoxCertificate"


def test_the_matrix_covers_every_fault_mode_of_the_mock(mock_odoo_com):
    assert MODES == set(mock_odoo_com.call("GET", "/mock/")["fault_modes"])


@pytest.mark.parametrize("key_mode", ["csr", "server"])
@pytest.mark.parametrize("start", ["without_certificate", "renewing"])
def test_every_fault_mode_gives_its_code_and_the_box_keeps_serving_what_it_had(tmp_path, mock_odoo_com, start,
                                                                               key_mode):
    db_uuid, code = mock_odoo_com.eligible_database()
    if start == "without_certificate":
        mock_odoo_com.set_fault("refuse", times=None)  # the box starts and stays without a certificate
    else:
        mock_odoo_com.settings(validity_days=5)  # valid, but inside the 10-day window: every check renews
    system = box_system(tmp_path, mock_odoo_com)
    box = start_offline_box(system, db_uuid, code, extra=("--key-mode", key_mode, "--odoo-com-timeout", "2"))
    try:
        user = BoxUser(box)
        hostname = box_hostname("127.0.0.1", db_uuid)
        if start == "renewing":
            box.wait_for_certificate()
        else:
            _wait_for_refusal(box)
        # The form's token is read now, after the start-up check and before the faults: after an error, loading the
        # homepage checks again by itself.
        user.form_token()
        if start != "renewing":
            mock_odoo_com.clear_faults()
        store = CertStore(box.data_dir / "certs")
        before = store.load()
        served_before = _served(box, hostname, mock_odoo_com.ca_path, start)

        failures = []
        for fault, shown in MATRIX:
            asked = len(mock_odoo_com.requests(endpoint="x509"))
            mock_odoo_com.set_fault(**fault, times=1)
            page = user.recheck(db_uuid).text
            status = box.status()
            after = store.load()
            outcome = {
                "shown on the homepage": shown in page,
                "in status.json": status["error_code"] == shown and bool(status["error_detail"]),
                "odoo.com was asked": _logged(mock_odoo_com, asked + 1),
                "same files installed": (after.cert_pem, after.key_pem) == (before.cert_pem, before.key_pem),
                "same certificate served": _still_serving(box, hostname, mock_odoo_com.ca_path, start, served_before),
            }
            failures += [f"{fault}: not {what}" for what, ok in outcome.items() if not ok]
        assert not failures, "\n".join(failures)

        # Without a fault, the same check gets a new trusted certificate: the faults were met by a box asking.
        assert "ERR_IOT_HTTPS" not in user.recheck(db_uuid).text
        renewed = served_certificate(box.https_port, hostname, mock_odoo_com.ca_path)
        assert renewed.serial_number != served_before.serial_number
    finally:
        box.service.stop()


def _wait_for_refusal(box) -> None:
    wait_until(lambda: box.status()["error_code"] == NO_RESULT, box.service)


def _logged(mock, count: int) -> bool:
    """Whether the mock's request log reaches ``count`` x509 requests (a delayed answer is logged when sent)."""
    wait_until(lambda: len(mock.requests(endpoint="x509")) >= count, interval=0.1)
    return len(mock.requests(endpoint="x509")) == count


def _still_serving(box, hostname: str, ca_path, start: str, served_before) -> bool:
    try:
        return _served(box, hostname, ca_path, start) == served_before
    except (ssl.SSLError, AssertionError):  # a handshake a client refuses, or no longer the placeholder
        return False


def _served(box, hostname: str, ca_path, start: str):
    """The certificate served on the box's HTTPS port: the placeholder, or a trusted one for its name."""
    if start == "without_certificate":
        served = served_certificate(box.https_port)
        assert served.subject.rfc4514_string() == PLACEHOLDER
        return served
    return served_certificate(box.https_port, hostname, ca_path)


# The database server asks odoo.com too (/publisher-warranty/), with a 10 s timeout: the delay fault outlasts it.
SERVER_FAULTS = [{"mode": "status", "status": 404}, {"mode": "status", "status": 503}, {"mode": "drop"},
                 {"mode": "garbage"}, {"mode": "error"}, *([{"mode": "delay", "seconds": 11}] if SOAK else [])]


def test_each_transport_fault_leaves_the_server_saying_it_could_not_check_and_keeping_its_facts(stack):
    facts = ["state", "database_kind", "production_database", "line_ids"]
    assert stack.server_cli("check-eligibility").returncode == 0
    before = stack.execute("iot.subscription", "search_read", [], fields=facts)
    odoo_com = stack.system.odoo_com_admin()
    for fault in SERVER_FAULTS:
        odoo_com.set_fault(**fault, endpoint="publisher-warranty", times=1)
        result = stack.server_cli("check-eligibility", "--json")
        verdict = json.loads(result.stdout.strip().splitlines()[-1])
        assert result.returncode == 2 and verdict["reason"] == "check_failed", (fault, result.stdout, result.stderr)
        assert "could not be checked" in verdict["message"] and "Traceback" not in result.stderr, fault
        assert stack.execute("iot.subscription", "search_read", [], fields=facts) == before, fault
    assert stack.server_cli("check-eligibility").returncode == 0  # the fault is gone: eligible again
