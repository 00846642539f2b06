"""The ``iot-box`` command as a real process: it listens on both ports, shows its admin password once, and
serves the placeholder until it has a certificate."""

from __future__ import annotations

import socket
import ssl

import requests
from boxhelpers import IP, closed_port_url
from cryptography import x509

from iot_stack.postgres import free_port
from iot_stack.procs import Service, console


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
