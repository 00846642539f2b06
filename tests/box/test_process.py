"""The ``iot-box`` command as a real process: it listens on both ports, shows its admin password once, and
serves the placeholder until it has a certificate."""

from __future__ import annotations

import socket
import ssl

import pytest
import requests
from boxhelpers import IP, closed_port_url
from cryptography import x509

from iot_box.names import box_hostname, subdomain
from iot_common.net import free_port
from iot_common.procs import Service, console, wait_until


def start_box(tmp_path, name="box", *extra):
    http_port, https_port = free_port(), free_port()
    argv = console("iot-box") + ["--data-dir", str(tmp_path / "data"), "--http-port", str(http_port),
                                 "--https-port", str(https_port), "--odoo-com-url", closed_port_url(),
                                 "--advertise-ip", IP, *extra]
    box = Service(name, argv, tmp_path / f"{name}.log")
    box.wait_for_port(https_port)
    box.wait_for_port(http_port)
    return box, http_port, https_port


def test_first_start_shows_the_password_once_and_serves_the_placeholder(tmp_path):
    box, http_port, https_port = start_box(tmp_path)
    try:
        status = requests.get(f"http://127.0.0.1:{http_port}/status.json", timeout=10).json()
        assert status["certificate"]["subject_cn"] == "OdooTempIoTBoxCertificate"
        unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
        with unverified.wrap_socket(socket.create_connection(("127.0.0.1", https_port))) as tls:
            served = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
        assert "OdooTempIoTBoxCertificate" in served.subject.rfc4514_string()
    finally:
        box.stop()
    log = box.log_path.read_text()
    assert log.count("Box admin password: ") == 1
    assert "iot-box listening on" in log
    password = log.split("Box admin password: ")[1].split()[0]

    again, _, _ = start_box(tmp_path, "box-again")
    again.stop()
    assert "Box admin password" not in again.log_path.read_text()
    assert password not in (tmp_path / "data" / "odoo.conf").read_text()  # only its hash is stored


def test_connect_at_start_obtains_and_serves_a_trusted_certificate(tmp_path, mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    server = closed_port_url().replace("https", "http")  # the database server is down: no matter
    token = f"{server}?token=tok-7f3a9&db_uuid={db_uuid}&enterprise_code={code}"
    box, http_port, https_port = start_box(
        tmp_path, "box", "--odoo-com-url", mock_odoo_com.url, "--odoo-com-ca", str(mock_odoo_com.ca_path),
        "--connect", token, "--dns-server", f"127.0.0.1:{mock_odoo_com.dns_port}", "--admin-password", "pw")
    try:
        hostname = box_hostname(IP, db_uuid)
        status_url = f"http://127.0.0.1:{http_port}/status.json"
        wait_until(lambda: requests.get(status_url, timeout=10).json()["https_url"], box)
        trusting = ssl.create_default_context(cafile=str(mock_odoo_com.ca_path))
        with trusting.wrap_socket(socket.create_connection(("127.0.0.1", https_port)),
                                  server_hostname=hostname) as tls:
            served = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
        assert served.subject.rfc4514_string() == f"CN=*.{subdomain(db_uuid)}.odoo-iot.com"
        status = requests.get(status_url, timeout=10).json()
        assert status == {**status, "https_url": f"https://{hostname}:{https_port}", "error_code": None,
                          "server": server}
    finally:
        box.stop()
    log = box.log_path.read_text()
    assert code not in log and "tok-7f3a9" not in log  # no secret in the log
    assert "Box admin password" not in log  # given on the command line


def _start_connected(tmp_path, mock_odoo_com, name: str, token: str | None = None) -> tuple[Service, dict]:
    """An ``iot-box`` process (with ``--connect token`` if given) once its start-up check has ended: its status."""
    extra = ["--connect", token] if token else []
    box, http_port, _ = start_box(
        tmp_path, name, "--odoo-com-url", mock_odoo_com.url, "--odoo-com-ca", str(mock_odoo_com.ca_path),
        "--dns-server", f"127.0.0.1:{mock_odoo_com.dns_port}", "--admin-password", "pw", *extra)
    status_url = f"http://127.0.0.1:{http_port}/status.json"

    def checked() -> dict | None:
        status = requests.get(status_url, timeout=10).json()
        return status if status["checked_at"] is not None else None

    return box, wait_until(checked, box)


def _x509_requests(mock_odoo_com, db_uuid: str) -> list[dict]:
    return mock_odoo_com.requests(endpoint="x509", db_uuid=db_uuid)


@pytest.mark.parametrize("change", ["enterprise code", "database server", "nothing"])
def test_a_restart_asks_odoo_com_when_the_credential_or_server_changed_since_the_certificate(
        tmp_path, mock_odoo_com, change):
    db_uuid, code = mock_odoo_com.eligible_database()
    server = closed_port_url().replace("https", "http")
    box, first = _start_connected(tmp_path, mock_odoo_com, "first",
                                  f"{server}?token=t1&db_uuid={db_uuid}&enterprise_code={code}")
    box.stop()
    assert first["https_url"] and first["error_code"] is None
    asked = len(_x509_requests(mock_odoo_com, db_uuid))  # 90 days left: the 10-day rule alone would not ask

    token = None
    if change == "enterprise code":  # the database moved to another subscription: a new code for the same UUID
        new_code = "M-NEW-CODE-0002"
        mock_odoo_com.add_subscription(new_code)
        mock_odoo_com.add_database(db_uuid, new_code)
        token = f"{server}?token=t2&db_uuid={db_uuid}&enterprise_code={new_code}"
    elif change == "database server":
        token = f"{closed_port_url().replace('https', 'http')}?token=t2&db_uuid={db_uuid}&enterprise_code={code}"
    again, status = _start_connected(tmp_path, mock_odoo_com, "again", token)
    again.stop()

    requests_now = _x509_requests(mock_odoo_com, db_uuid)
    if change == "nothing":
        assert len(requests_now) == asked
        assert status["certificate"]["serial"] == first["certificate"]["serial"]
    else:
        assert len(requests_now) == asked + 1 and requests_now[-1]["outcome"] == "issued"
        assert status["certificate"]["serial"] != first["certificate"]["serial"]
    assert status["error_code"] is None
