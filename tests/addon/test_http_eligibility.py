"""Eligibility over the real processes: the CLI's verdicts and exit codes, the external API, and the contract
test: for every reason code, the server's verdict equals the mock odoo.com's refusal for the same database."""

import json
import xmlrpc.client

import pytest
import trustme

CODE = "M-DEMO-IOT-0001"
OTHER = "M-OTHER-0002"


@pytest.fixture
def odoo_com(mock_odoo_com, server):
    """The mock (reset by its fixture) knows the server's database as eligible; its identity is reset."""
    mock_odoo_com.add_subscription(CODE, added_at="2026-01-05T09:00:00Z")
    mock_odoo_com.add_database(server.db_uuid(), CODE)
    server.set_identity(enterprise_code=CODE, environment="production", is_neutralized="False")
    return mock_odoo_com


# Each situation: what the mock is told (on top of the eligible start), the enterprise code the server holds
# (the database is the server's own), and the verdict both must give. Every refusal reason of docs/protocols.md §6 is
# here but rate_limited, odoo.com's alone (HTTP 429, not a refusal: the server cannot know what was issued).
SITUATIONS = {
    "eligible": (lambda mock, uuid: None, CODE, False),
    "unknown code": (lambda mock, uuid: None, "M-UNKNOWN-0000", "unknown_subscription"),
    "database of another subscription": (
        lambda mock, uuid: (mock.add_subscription(OTHER), mock.add_database(uuid, OTHER)),
        CODE,
        "unknown_database",
    ),
    "staging": (lambda mock, uuid: mock.add_database(uuid, CODE, "staging"), CODE, "database_not_production"),
    "development": (
        lambda mock, uuid: mock.add_database(uuid, CODE, "development"),
        CODE,
        "database_not_production",
    ),
    "duplicate": (
        lambda mock, uuid: mock.add_database(uuid, CODE, "duplicate"),
        CODE,
        "database_not_production",
    ),
    "paused": (
        lambda mock, uuid: mock.add_subscription(CODE, "paused"),
        CODE,
        "subscription_not_in_progress",
    ),
    "draft": (lambda mock, uuid: mock.add_subscription(CODE, "draft"), CODE, "subscription_not_in_progress"),
    "closed": (lambda mock, uuid: mock.add_subscription(CODE, "closed"), CODE, "subscription_not_in_progress"),
    "no IoT box line": (lambda mock, uuid: mock.add_subscription(CODE, iot_lines=0), CODE, "no_iot_box_line"),
    # The edges of the IoT box line rule (subscription lines have no end date: a line counts from its added_at on).
    "IoT box line of quantity 0": (
        lambda mock, uuid: set_lines(mock, {"product": "iot_box", "quantity": 0, "added_at": PAST}),
        CODE,
        "no_iot_box_line",
    ),
    "IoT box line dated in the future": (
        lambda mock, uuid: set_lines(mock, {"product": "iot_box", "quantity": 1, "added_at": FUTURE}),
        CODE,
        "no_iot_box_line",
    ),
    "a line of another product only": (
        lambda mock, uuid: set_lines(mock, {"product": "pos_terminal", "quantity": 3, "added_at": PAST}),
        CODE,
        "no_iot_box_line",
    ),
    "IoT box line added now": (
        lambda mock, uuid: set_lines(mock, {"product": "iot_box", "quantity": 1}),  # odoo.com dates it now
        CODE,
        False,
    ),
    "a future IoT box line beside a current one": (
        lambda mock, uuid: set_lines(
            mock,
            {"product": "iot_box", "quantity": 1, "added_at": FUTURE},
            {"product": "iot_box", "quantity": 1, "added_at": PAST},
        ),
        CODE,
        False,
    ),
}
PAST, FUTURE = "2026-01-05T09:00:00Z", "2999-01-01T00:00:00Z"


def set_lines(mock, *lines: dict) -> None:
    """The subscription, In Progress, with exactly these lines."""
    mock.call("PUT", f"/mock/subscriptions/{CODE}", {"state": "in_progress", "lines": list(lines)})


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_server_verdict_equals_the_mocks_refusal(server, odoo_com, situation):
    uuid = server.db_uuid()
    change, enterprise_code, expected = SITUATIONS[situation]
    change(odoo_com, uuid)
    server.set_identity(enterprise_code=enterprise_code)
    answer = odoo_com.request_certificate(uuid, enterprise_code)
    assert answer.status_code == 200
    mock_reason = answer.headers.get("X-Odoo-Iot-Refusal", False)
    assert bool(answer.json()["result"]) is (mock_reason is False)

    verdict = server.xmlrpc()("iot.eligibility", "check")
    assert (verdict["eligible"], verdict["reason"]) == (mock_reason is False, mock_reason)
    assert mock_reason == expected
    assert verdict["message"]
    assert enterprise_code not in verdict["message"]


def verdicts(server, odoo_com) -> tuple:
    """(the mock's refusal reason or False, the server's reason or False) for the server's own database."""
    uuid = server.db_uuid()
    answer = odoo_com.request_certificate(uuid, CODE)
    verdict = server.xmlrpc()("iot.eligibility", "check")
    return answer.headers.get("X-Odoo-Iot-Refusal", False), verdict["reason"]


def test_an_iot_box_line_added_after_a_refusal_makes_both_say_eligible(server, odoo_com):
    set_lines(odoo_com)
    assert verdicts(server, odoo_com) == ("no_iot_box_line", "no_iot_box_line")
    set_lines(odoo_com, {"product": "iot_box", "quantity": 1})
    assert verdicts(server, odoo_com) == (False, False)


def test_cli_exit_codes(server, odoo_com):
    assert server.command("check-eligibility").returncode == 0
    odoo_com.add_subscription(CODE, "closed")
    result = server.command("check-eligibility")
    assert result.returncode == 1
    assert "subscription_not_in_progress" in result.stdout and "In Progress" in result.stdout


def test_cli_says_it_could_not_check_when_odoo_com_is_unreachable(server, odoo_com):
    result = server.command("check-eligibility", "--json", odoo_com_url="https://127.0.0.1:9")
    assert result.returncode == 2
    verdict = json.loads(result.stdout)
    assert verdict["reason"] == "check_failed" and "could not be reached" in verdict["message"]


def test_cli_refuses_tls_it_cannot_verify(server, odoo_com, tmp_path):
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    result = server.command("check-eligibility", odoo_com_ca=str(other_ca))
    assert result.returncode == 2
    assert "not trusted" in result.stdout


def test_neutralized_or_non_production_server_is_not_production(server, odoo_com):
    assert server.command("config", "set", "database.is_neutralized", "True").returncode == 0
    verdict = server.xmlrpc()("iot.eligibility", "check")
    assert verdict["reason"] == "database_not_production"
    assert "neutralized" in verdict["message"]
    server.set_identity(is_neutralized="False", environment="staging")
    verdict = server.xmlrpc()("iot.eligibility", "check")
    assert verdict["reason"] == "database_not_production"
    assert "environment is staging" in verdict["message"]


def test_config_set_validates_the_identity(server):
    result = server.command("config", "set", "database.environment", "prod")
    assert result.returncode != 0
    assert "production, staging or development" in result.stdout + result.stderr
    result = server.command("config", "set", "database.uuid", "x")
    assert result.returncode != 0 and "read-only" in result.stdout + result.stderr


def test_external_api_check_and_fields(server, odoo_com):
    admin = server.xmlrpc()
    verdict = admin("iot.eligibility", "check")
    assert verdict["eligible"] is True and verdict["reason"] is False
    assert verdict["checked_at"].endswith("Z")
    fields = admin("iot.box", "fields_get", attributes=["type"])
    for name in (
        "name",
        "identifier",
        "ip",
        "ip_url",
        "version",
        "ssl_certificate_end_date",
        "certificate_subject",
        "certificate_state",
        "error_code",
        "error_detail",
    ):
        assert name in fields
    states = admin(
        "iot.box",
        "search_read",
        [("certificate_state", "in", ["valid", "expiring", "expired"])],
        fields=["certificate_state"],
    )
    assert {"valid", "expiring", "expired"} <= {record["certificate_state"] for record in states}
    assert admin("iot.box", "search_count", [("certificate_state", "=", "error")]) >= 1
    with pytest.raises(xmlrpc.client.Fault) as fault:
        admin("iot.box", "no_such_method")
    assert "Traceback" not in fault.value.faultString
