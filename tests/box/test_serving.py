"""Hot reload: a new certificate is served to new TLS connections at once, without a restart and without
dropping the connections in flight (docs/protocols.md §7)."""

from __future__ import annotations

import http.client
import socket
import ssl

import pytest
from boxhelpers import BOX_HOST, issue
from cryptography import x509

from iot_box import serving
from iot_box.installer import CertStore
from iot_box.names import subdomain
from iot_common.net import free_port


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


@pytest.fixture
def https(tmp_path, ca):
    store = CertStore(tmp_path / "certs")
    served = serving.ServedCertificate()

    def install(chain_key):
        served.use(store.install(*chain_key))

    install(issue(ca))
    server = serving.HttpsServer("127.0.0.1", free_port(), hello, served)
    serving.start(server)
    yield server, install
    server.shutdown()


def client_context(ca) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def connect(server, ca) -> http.client.HTTPSConnection:
    """A keep-alive client that checks the box's name, connected by IP (as a device on the LAN would)."""
    conn = http.client.HTTPSConnection(BOX_HOST, server.port, context=client_context(ca))
    conn.sock = client_context(ca).wrap_socket(socket.create_connection(("127.0.0.1", server.port)),
                                               server_hostname=BOX_HOST)
    return conn


def get(conn: http.client.HTTPSConnection) -> bytes:
    conn.request("GET", "/")
    return conn.getresponse().read()


def serial(conn: http.client.HTTPSConnection) -> int:
    return x509.load_der_x509_certificate(conn.sock.getpeercert(binary_form=True)).serial_number


def test_new_connections_get_the_new_certificate_and_old_ones_keep_going(https, ca):
    server, install = https
    in_flight = connect(server, ca)  # handshake done on the old certificate, request not sent yet
    old_serial = serial(in_flight)

    install(issue(ca))
    after = connect(server, ca)
    assert serial(after) != old_serial
    assert get(after) == b"hello"
    # The connection opened before the swap is still served, on its own certificate.
    assert serial(in_flight) == old_serial and get(in_flight) == b"hello"
    in_flight.close()
    after.close()


def test_a_client_that_never_finishes_its_handshake_blocks_nobody(https, ca):
    server, _ = https
    silent = socket.create_connection(("127.0.0.1", server.port))
    try:
        conn = connect(server, ca)
        assert get(conn) == b"hello"
        conn.close()
    finally:
        silent.close()


def test_a_wrong_name_fails_the_handshake_for_a_verifying_client(https, ca):
    server, _ = https
    sock = socket.create_connection(("127.0.0.1", server.port))
    with pytest.raises(ssl.SSLCertVerificationError):
        client_context(ca).wrap_socket(sock, server_hostname=f"1-2-3-4.{subdomain('other')}.odoo-iot.com")
    sock.close()
