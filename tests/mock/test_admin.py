"""The admin API of docs/mock-odoo-com.md and the subscription facts of /publisher-warranty/."""

from __future__ import annotations

import uuid

import pytest
from cryptography import x509
from x509_checks import common_name

from mock_odoo_com.testing import MockError, MockOdooCom


def test_ca_pem_is_the_root_written_to_the_data_dir(mock_odoo_com):
    response = mock_odoo_com.session.get(f"{mock_odoo_com.url}/mock/ca.pem")
    assert response.text == mock_odoo_com.ca_path.read_text()
    root = x509.load_pem_x509_certificate(response.content)
    assert common_name(root.subject) == common_name(root.issuer) == "Mock Root X1"
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    root.verify_directly_issued_by(root)


def test_subscriptions_are_created_replaced_read_and_deleted(mock_odoo_com):
    stored = mock_odoo_com.call(
        "PUT",
        "/mock/subscriptions/M42",
        {
            "state": "draft",
            "lines": [
                {"product": "iot_box", "quantity": 2, "added_at": "2026-01-31T13:00:00+01:00"},
                {"product": "pos"},
            ],
        },
    )
    assert stored == {
        "code": "M42",
        "state": "draft",
        "lines": [
            {"product": "iot_box", "quantity": 2, "added_at": "2026-01-31T12:00:00Z"},
            {"product": "pos", "quantity": 1, "added_at": stored["lines"][1]["added_at"]},
        ],
    }
    assert stored["lines"][1]["added_at"].endswith("Z")
    assert mock_odoo_com.call("GET", "/mock/subscriptions/M42") == stored
    mock_odoo_com.add_subscription("M42", state="closed", iot_lines=0)
    assert mock_odoo_com.call("GET", "/mock/subscriptions/M42")["lines"] == []
    assert mock_odoo_com.call("DELETE", "/mock/subscriptions/M42") == {"deleted": True}
    with pytest.raises(MockError, match="404"):
        mock_odoo_com.call("GET", "/mock/subscriptions/M42")


def test_databases_are_registered_read_and_deleted(mock_odoo_com):
    db_uuid = str(uuid.uuid4())
    assert mock_odoo_com.call("PUT", f"/mock/databases/{db_uuid}", {"subscription": "M1"}) == {
        "db_uuid": db_uuid,
        "subscription": "M1",
        "kind": "production",
    }
    mock_odoo_com.add_database(db_uuid, "M2", kind="development")
    assert mock_odoo_com.call("GET", f"/mock/databases/{db_uuid}")["kind"] == "development"
    mock_odoo_com.call("DELETE", f"/mock/databases/{db_uuid}")
    with pytest.raises(MockError, match="404"):
        mock_odoo_com.call("DELETE", f"/mock/databases/{db_uuid}")


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        (
            "/mock/subscriptions/M1",
            {"state": "running"},
            "state must be one of draft, in_progress, paused, closed",
        ),
        ("/mock/subscriptions/M1", {"state": "draft", "lines": {}}, "lines must be a list"),
        (
            "/mock/subscriptions/M1",
            {"state": "draft", "lines": [{"product": "iot_box", "quantity": -1}]},
            "quantity",
        ),
        (
            "/mock/subscriptions/M1",
            {"state": "draft", "lines": [{"product": "iot_box", "added_at": "May"}]},
            "added_at must be an ISO 8601",
        ),
        ("/mock/subscriptions/M1", {"state": "draft", "colour": "red"}, "unknown keys: colour"),
        ("/mock/databases/d1", {"subscription": "M1", "kind": "copy"}, "kind must be one of production"),
        ("/mock/databases/d1", {"kind": "production"}, "subscription must be the enterprise code"),
        ("/mock/databases/d1", [1, 2], "must be a JSON object"),
    ],
)
def test_bad_admin_bodies_are_a_clear_400(mock_odoo_com, path, body, words):
    with pytest.raises(MockError, match="400") as error:
        mock_odoo_com.call("PUT", path, body)
    assert words in str(error.value)


def test_settings_have_defaults_and_change_by_subset(mock_odoo_com):
    assert mock_odoo_com.settings() == {
        "validity_days": 90,
        "key_type": "ecdsa-p256",
        "refusal_style": "auto",
        "rate_limit": {"per_db": None, "window_s": 3600},
        "dns_rebinding_protection": False,
    }
    changed = mock_odoo_com.settings(validity_days=30, rate_limit={"window_s": 60})
    assert changed["validity_days"] == 30 and changed["rate_limit"] == {"per_db": None, "window_s": 60}
    assert mock_odoo_com.settings() == changed


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"validity_days": 0}, "validity_days must be a whole number from 1 to 3650"),
        ({"validity_days": True}, "validity_days must be a whole number"),
        ({"key_type": "dsa"}, "key_type must be one of ecdsa-p256, rsa-2048"),
        ({"refusal_style": "polite"}, "refusal_style must be one of auto, false, error_object"),
        ({"rate_limit": {"per_db": 0}}, "rate_limit.per_db"),
        ({"rate_limit": {"burst": 3}}, "rate_limit must be an object"),
        ({"dns_rebinding_protection": "yes"}, "must be true or false"),
        ({"colour": "red"}, "unknown setting(s) colour; known: validity_days"),
    ],
)
def test_a_bad_setting_is_a_clear_400_and_changes_nothing(mock_odoo_com, changes, words):
    before = mock_odoo_com.settings()
    with pytest.raises(MockError, match="400") as error:
        mock_odoo_com.call("PUT", "/mock/settings", {"validity_days": 12, **changes})
    assert words in str(error.value)
    assert mock_odoo_com.settings() == before


def test_the_request_log_filters_by_endpoint_and_database(mock_odoo_com):
    first, code = mock_odoo_com.eligible_database()
    second, _ = mock_odoo_com.eligible_database()
    mock_odoo_com.request_certificate(first, code)
    mock_odoo_com.request_certificate(second, code)
    mock_odoo_com.publisher_warranty(first, code)
    assert [e["endpoint"] for e in mock_odoo_com.requests()] == ["x509", "x509", "publisher-warranty"]
    assert [e["outcome"] for e in mock_odoo_com.requests(endpoint="x509", db_uuid=second)] == ["refused"]
    entry = mock_odoo_com.requests(db_uuid=first, endpoint="x509")[0]
    assert entry["at"].endswith("Z") and entry["not_after"].endswith("Z") and entry["status"] == 200
    assert code not in str(mock_odoo_com.requests())


def test_reset_forgets_everything_but_the_ca(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.settings(validity_days=5)
    mock_odoo_com.set_fault("garbage", times=None)
    mock_odoo_com.request_certificate(db_uuid, code)
    root = mock_odoo_com.ca_path.read_text()
    mock_odoo_com.reset()
    assert mock_odoo_com.requests() == [] and mock_odoo_com.faults() == []
    assert mock_odoo_com.settings()["validity_days"] == 90
    assert (
        mock_odoo_com.request_certificate(db_uuid, code).headers["X-Odoo-Iot-Refusal"]
        == "unknown_subscription"
    )
    assert mock_odoo_com.session.get(f"{mock_odoo_com.url}/mock/ca.pem").text == root


def test_the_index_documents_calls_settings_and_fault_modes(mock_odoo_com):
    index = mock_odoo_com.call("GET", "/mock/")
    assert "PUT /mock/settings" in index["calls"]
    assert set(index["settings"]) == set(mock_odoo_com.settings())
    assert {
        "status",
        "drop",
        "delay",
        "garbage",
        "refuse",
        "error",
        "bad_pem",
        "wrong_key",
        "wrong_name",
        "expired",
        "untrusted",
    } == set(index["fault_modes"])


def test_publisher_warranty_gives_the_facts_of_a_production_database(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    facts = mock_odoo_com.publisher_warranty(db_uuid, code)
    assert facts["subscription"]["code"] == code and facts["subscription"]["state"] == "in_progress"
    assert facts["subscription"]["lines"][0]["product"] == "iot_box"
    assert facts["subscription"]["lines"][0]["quantity"] == 1
    assert facts["database"] == {"db_uuid": db_uuid, "subscription": code, "kind": "production"}
    assert facts["production_database"] is True
    assert mock_odoo_com.requests(endpoint="publisher-warranty")[-1]["outcome"] == "answered"


def test_publisher_warranty_for_unknown_and_non_production_databases(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    assert mock_odoo_com.publisher_warranty(db_uuid, "M-unknown") == {
        "subscription": None,
        "database": None,
        "production_database": False,
    }
    _other_db, other_code = mock_odoo_com.eligible_database()
    facts = mock_odoo_com.publisher_warranty(db_uuid, other_code)
    assert facts["subscription"]["code"] == other_code and facts["database"] is None
    mock_odoo_com.add_database(db_uuid, code, kind="staging")
    facts = mock_odoo_com.publisher_warranty(db_uuid, code)
    assert facts["database"]["kind"] == "staging" and facts["production_database"] is False


def test_a_client_attached_to_a_running_mock_drives_it(mock_odoo_com):
    attached = MockOdooCom.attach(
        mock_odoo_com.data_dir, mock_odoo_com.port, mock_odoo_com.admin_port, mock_odoo_com.dns_port
    )
    assert attached.url == mock_odoo_com.url and attached.dns_port == mock_odoo_com.dns_port
    assert attached.admin_url == mock_odoo_com.admin_url
    db_uuid, code = attached.eligible_database()
    attached.set_fault("status", status=502, times=1)
    assert mock_odoo_com.request_certificate(db_uuid, code).status_code == 502
    assert attached.requests(endpoint="x509")[-1]["fault"] == "status"  # before the body is read: no db_uuid
    attached.stop()  # it started nothing, so it stops nothing
    assert mock_odoo_com.request_certificate(db_uuid, code).status_code == 200
