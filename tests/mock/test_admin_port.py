"""The admin API (no authentication) answers only on its own port, on a loopback address by default; the public
port serves what a box and a database server call, and the root certificate."""

from __future__ import annotations

from pathlib import Path

import requests


def test_the_public_port_answers_the_admin_api_with_404_and_says_where_it_is(mock_odoo_com):
    mock_odoo_com.settings(validity_days=7)
    for method, path in [("POST", "/mock/reset"), ("GET", "/mock/"), ("PUT", "/mock/settings"),
                         ("POST", "/mock/faults"), ("GET", "/mock/requests")]:
        response = mock_odoo_com.session.request(method, f"{mock_odoo_com.url}{path}", json={}, timeout=30)
        assert response.status_code == 404, (method, path)
        assert "--admin-port" in response.json()["error"]["message"]
    assert mock_odoo_com.settings()["validity_days"] == 7  # the reset sent to the public port did nothing


def test_a_host_header_naming_the_admin_port_does_not_reach_it(mock_odoo_com):
    response = mock_odoo_com.session.get(
        f"{mock_odoo_com.url}/mock/requests", headers={"Host": f"127.0.0.1:{mock_odoo_com.admin_port}"}, timeout=30
    )
    assert response.status_code == 404
    assert "--admin-port" in response.json()["error"]["message"]  # refused as the admin API, not as a bad Host


def test_the_root_certificate_is_public_and_the_admin_port_serves_no_box(mock_odoo_com):
    public = mock_odoo_com.session.get(f"{mock_odoo_com.url}/mock/ca.pem", timeout=30)
    assert public.status_code == 200 and public.text == mock_odoo_com.ca_path.read_text()
    db_uuid, code = mock_odoo_com.eligible_database()
    body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"db_uuid": db_uuid, "enterprise_code": code}}
    on_admin = mock_odoo_com.session.post(f"{mock_odoo_com.admin_url}/odoo-enterprise/iot/x509", json=body,
                                          timeout=30)
    assert on_admin.status_code == 404
    assert mock_odoo_com.request_certificate(db_uuid, code).json()["result"]["x509_pem"]


def _listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel shows them) of the IPv4 sockets listening on ``port``."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            found.add(address)
    return found


def test_the_admin_api_listens_on_loopback_by_default(mock_odoo_com):
    log = mock_odoo_com.log_tail(200)
    assert f"admin API: https://127.0.0.1:{mock_odoo_com.admin_port}/mock/" in log
    assert _listening_addresses(mock_odoo_com.admin_port) == {"0100007F"}  # 127.0.0.1, nothing else
    assert requests.get(f"{mock_odoo_com.admin_url}/mock/", verify=str(mock_odoo_com.ca_path), timeout=30).ok
