"""The ``mock-odoo-com`` command: HTTPS from its own CA by default, plain HTTP on request, clear errors."""

from __future__ import annotations

import socket
import ssl
import subprocess

import pytest
import requests
from cryptography import x509
from x509_checks import check_box_certificate

from iot_common.net import free_port
from iot_common.procs import console


def test_help_documents_the_options():
    result = subprocess.run([*console("mock-odoo-com"), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for option in (
        "--data-dir",
        "--host",
        "--port",
        "--admin-port",
        "--admin-host",
        "--dns-port",
        "--plain-http",
        "--workers",
        "--dns-rebinding-protection",
    ):
        assert option in result.stdout


def test_it_says_where_it_listens_and_serves_https_for_127_0_0_1_and_localhost(mock_odoo_com):
    assert f"mock-odoo-com listening on https://127.0.0.1:{mock_odoo_com.port}" in mock_odoo_com.log_tail(200)
    for host in ("127.0.0.1", "localhost"):
        response = requests.get(
            f"https://{host}:{mock_odoo_com.port}/mock/ca.pem", verify=str(mock_odoo_com.ca_path), timeout=30
        )
        assert response.status_code == 200
    context = ssl.create_default_context(cafile=str(mock_odoo_com.ca_path))
    with socket.create_connection(("127.0.0.1", mock_odoo_com.port), timeout=30) as plain:
        with context.wrap_socket(plain, server_hostname="localhost") as sock:
            leaf = x509.load_der_x509_certificate(sock.getpeercert(binary_form=True))
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert "127.0.0.1" in [str(ip) for ip in names.get_values_for_type(x509.IPAddress)]


def test_plain_http_issues_too(mock_odoo_com_factory):
    mock = mock_odoo_com_factory(plain_http=True, dns=False)
    assert mock.url.startswith("http://")
    db_uuid, code = mock.eligible_database()
    result = mock.request_certificate(db_uuid, code).json()["result"]
    check_box_certificate(result["x509_pem"], mock.ca_path.read_text(), db_uuid)
    assert f"listening on http://127.0.0.1:{mock.port}" in mock.log_tail(200)


def test_a_busy_dns_port_is_a_clear_error(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as busy:
        busy.bind(("127.0.0.1", 0))
        port = busy.getsockname()[1]
        result = subprocess.run(
            [
                *console("mock-odoo-com"),
                "--data-dir",
                str(tmp_path),
                "--port",
                str(free_port()),
                "--admin-port",
                str(free_port()),
                "--dns-port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen for DNS on udp 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option", ["--port", "--admin-port"])
def test_a_busy_port_is_a_clear_error(tmp_path, option):
    other = "--admin-port" if option == "--port" else "--port"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*console("mock-odoo-com"), "--data-dir", str(tmp_path), option, str(port), other, str(free_port())],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use; choose another {option}" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_admin_port_must_differ_from_the_public_one(tmp_path):
    port = str(free_port())
    result = subprocess.run(
        [*console("mock-odoo-com"), "--data-dir", str(tmp_path), "--port", port, "--admin-port", port],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1 and f"--admin-port must differ from --port ({port})" in result.stderr
