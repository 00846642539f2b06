"""The issuing policy of docs/protocols.md §6: each reason code, their order, both refusal styles, the rate limit."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest


def refusal(mock, db_uuid, code):
    """(reason header, result) of a certificate request that must be refused with HTTP 200."""
    response = mock.request_certificate(db_uuid, code)
    assert response.status_code == 200, response.text
    return response.headers.get("X-Odoo-Iot-Refusal"), response.json()["result"]


def new_code() -> str:
    return f"M{uuid.uuid4().hex[:12]}"


# Each case breaks exactly one rule of an otherwise eligible database.
CASES = {
    "unknown_subscription": lambda mock, db, code: (db, new_code()),
    "unknown_database": lambda mock, db, code: (str(uuid.uuid4()), code),
    "database_not_production": lambda mock, db, code: (
        mock.add_database(db, code, kind="staging")["db_uuid"],
        code,
    ),
    "subscription_not_in_progress": lambda mock, db, code: (
        db,
        mock.add_subscription(code, state="paused")["code"],
    ),
    "no_iot_box_line": lambda mock, db, code: (db, mock.add_subscription(code, iot_lines=0)["code"]),
}


@pytest.mark.parametrize("reason", CASES)
def test_each_rule_refuses_with_its_reason_code(mock_odoo_com, reason):
    db_uuid, code = CASES[reason](mock_odoo_com, *mock_odoo_com.eligible_database())
    assert refusal(mock_odoo_com, db_uuid, code) == (reason, False)
    entry = mock_odoo_com.requests(endpoint="x509")[-1]
    assert (entry["outcome"], entry["reason"], entry["serial"]) == ("refused", reason, None)


@pytest.mark.parametrize("kind", ["staging", "development", "duplicate"])
def test_every_non_production_kind_is_refused(mock_odoo_com, kind):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.add_database(db_uuid, code, kind=kind)
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "database_not_production"


@pytest.mark.parametrize("state", ["draft", "paused", "closed"])
def test_every_state_but_in_progress_is_refused(mock_odoo_com, state):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.add_subscription(code, state=state)
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "subscription_not_in_progress"


def test_the_first_failing_rule_is_named(mock_odoo_com):
    code = new_code()
    mock_odoo_com.add_subscription(code, state="closed", iot_lines=0)
    db_uuid = str(uuid.uuid4())
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "unknown_database"
    mock_odoo_com.add_database(db_uuid, code, kind="development")
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "database_not_production"
    mock_odoo_com.add_database(db_uuid, code, kind="production")
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "subscription_not_in_progress"
    mock_odoo_com.add_subscription(code, state="in_progress", iot_lines=0)
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "no_iot_box_line"


def test_a_database_registered_with_another_subscription_is_unknown_to_this_one(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    _other_db, other_code = mock_odoo_com.eligible_database()
    assert refusal(mock_odoo_com, db_uuid, other_code)[0] == "unknown_database"


def test_an_iot_line_added_after_a_refusal_issues_on_the_next_request(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.add_subscription(code, iot_lines=0)
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "no_iot_box_line"
    mock_odoo_com.add_subscription(code, iot_lines=1)
    response = mock_odoo_com.request_certificate(db_uuid, code)
    assert "X-Odoo-Iot-Refusal" not in response.headers
    assert response.json()["result"]["subject_cn"] == f"*.{mock_odoo_com.subdomain(db_uuid)}.odoo-iot.com"


def test_an_iot_line_dated_in_the_future_does_not_count_yet(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    mock_odoo_com.add_subscription(code, added_at=tomorrow)
    assert refusal(mock_odoo_com, db_uuid, code)[0] == "no_iot_box_line"


def test_error_object_style_names_the_reason_and_explains_it(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.add_database(db_uuid, code, kind="duplicate")
    mock_odoo_com.settings(refusal_style="error_object")
    header, result = refusal(mock_odoo_com, db_uuid, code)
    assert header == "database_not_production"
    assert result["error"] == "database_not_production"
    assert "production" in result["message"] and "staging" in result["message"]
    mock_odoo_com.settings(refusal_style="false")
    assert refusal(mock_odoo_com, db_uuid, code) == ("database_not_production", False)


def test_the_rate_limit_answers_429_per_database_then_frees_up(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    other_db, other_code = mock_odoo_com.eligible_database()
    mock_odoo_com.settings(rate_limit={"per_db": 2, "window_s": 3600})
    for _ in range(2):
        assert mock_odoo_com.request_certificate(db_uuid, code).json()["result"]["x509_pem"]
    response = mock_odoo_com.request_certificate(db_uuid, code)
    assert response.status_code == 429
    assert response.headers["X-Odoo-Iot-Refusal"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 3600  # when the first of the two leaves the window
    assert "rate limited" in response.json()["error"]["message"]
    assert mock_odoo_com.requests(endpoint="x509", db_uuid=db_uuid)[-1]["outcome"] == "rate_limited"
    # Another database is not affected; refusals do not count; a wider limit lets the first one through again.
    assert mock_odoo_com.request_certificate(other_db, other_code).status_code == 200
    mock_odoo_com.settings(rate_limit={"per_db": 3})
    assert mock_odoo_com.request_certificate(db_uuid, code).json()["result"]["x509_pem"]
    mock_odoo_com.settings(rate_limit={"per_db": None})
    assert mock_odoo_com.request_certificate(db_uuid, code).status_code == 200


def test_a_refused_database_is_not_rate_limited(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.add_subscription(code, state="draft")
    mock_odoo_com.settings(rate_limit={"per_db": 1})
    for _ in range(3):
        assert refusal(mock_odoo_com, db_uuid, code)[0] == "subscription_not_in_progress"
