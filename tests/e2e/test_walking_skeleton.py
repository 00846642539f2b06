"""The walking skeleton: PostgreSQL, the mock odoo.com, the server and a box as real processes on free ports.

A box paired with a connection token obtains its certificate from odoo.com, serves it on its odoo-iot.com name
(checked with a real, verified TLS handshake using SNI) and reports the end date to the server's box record.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
import xmlrpc.client
from datetime import UTC, datetime

import psycopg2
from cryptography import x509

from iot_common.procs import wait_until
from iot_stack.system import Ports, System


def test_a_paired_box_serves_a_trusted_certificate_and_the_server_records_it(tmp_path, fresh_db_dsn):
    with System(tmp_path, Ports.free(), db_dsn=fresh_db_dsn) as system:
        db_uuid = system.start_demo_server()
        box = system.start_box()

        status = box.wait_for_certificate()
        sub_domain = hashlib.sha256(db_uuid.encode()).hexdigest()[:8]
        host_name = f"127-0-0-1.{sub_domain}.odoo-iot.com"
        assert status["https_url"] == f"https://{host_name}:{box.https_port}"
        assert status["error_code"] is None

        served = _handshake(box.https_port, host_name, system.odoo_com_ca)
        assert served.subject.rfc4514_string() == f"CN=*.{sub_domain}.odoo-iot.com"
        names = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert f"*.{sub_domain}.odoo-iot.com" in names.get_values_for_type(x509.DNSName)
        assert served.not_valid_after_utc > datetime.now(UTC)

        record = _wait_for_box_record(system, fresh_db_dsn, served.not_valid_after_utc)
        assert record["ip_url"] == f"https://{host_name}:{box.https_port}"
        assert record["certificate_state"] == "valid"


def _handshake(port: int, server_name: str, ca_file) -> x509.Certificate:
    """A TLS handshake that verifies the box's chain against the mock's root and its name (SNI)."""
    context = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def _wait_for_box_record(system: System, dsn: str, not_after: datetime) -> dict:
    """Read the box through Odoo's external API until its certificate end date is the one served."""
    dbname = psycopg2.extensions.parse_dsn(dsn)["dbname"]
    common = xmlrpc.client.ServerProxy(f"{system.server_url}/xmlrpc/2/common")
    uid = common.authenticate(dbname, "admin", "admin", {})
    assert uid, "the demo admin login (admin/admin) must work"
    models = xmlrpc.client.ServerProxy(f"{system.server_url}/xmlrpc/2/object")
    fields = ["name", "ip_url", "ssl_certificate_end_date", "certificate_state"]
    expected = not_after.strftime("%Y-%m-%d %H:%M:%S")

    def served_record() -> dict | None:
        records = models.execute_kw(dbname, uid, "admin", "iot.box", "search_read", [[]], {"fields": fields})
        return next((record for record in records if record["ssl_certificate_end_date"] == expected), None)

    return wait_until(served_record, interval=0.2)
