"""The complete example test of docs/mock-odoo-com.md, kept here word for word so that it keeps working."""

import inspect
from pathlib import Path

import requests


def test_an_eligible_database_gets_a_certificate_and_a_staging_one_does_not(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    url = f"{mock_odoo_com.url}/odoo-enterprise/iot/x509"
    params = {"db_uuid": db_uuid, "enterprise_code": code}
    body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}

    answer = requests.post(url, json=body, verify=str(mock_odoo_com.ca_path), timeout=10).json()
    assert answer["result"]["subject_cn"] == f"*.{mock_odoo_com.subdomain(db_uuid)}.odoo-iot.com"

    mock_odoo_com.add_database(db_uuid, code, kind="staging")
    refused = requests.post(url, json=body, verify=str(mock_odoo_com.ca_path), timeout=10)
    assert refused.json()["result"] is False
    assert refused.headers["X-Odoo-Iot-Refusal"] == "database_not_production"

    mock_odoo_com.set_fault("status", status=503)
    assert requests.post(url, json=body, verify=str(mock_odoo_com.ca_path), timeout=10).status_code == 503
    assert [r["outcome"] for r in mock_odoo_com.requests(endpoint="x509")] == ["issued", "refused", "fault"]


def test_the_readme_shows_this_example_word_for_word():
    example = test_an_eligible_database_gets_a_certificate_and_a_staging_one_does_not
    assert inspect.getsource(example) in (Path(__file__).resolve().parents[2] / "docs" / "mock-odoo-com.md").read_text()
