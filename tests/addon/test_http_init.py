"""Running ``iot-server init`` again (an upgrade) keeps what the admin set and the boxes paired."""

import pytest


@pytest.fixture
def staging(server):
    """The server's database marked as a neutralized staging copy, for one test."""
    server.set_identity(environment="staging", is_neutralized="True")
    yield
    server.set_identity(environment="production", is_neutralized="False")


def test_init_again_keeps_identity_boxes_and_demo_records(server, staging):
    secret = server.pair("upgrade-box")
    result = server.command("init")
    assert result.returncode == 0, result.stderr
    admin = server.xmlrpc()
    assert admin("ir.config_parameter", "get_param", "database.environment") == "staging"
    assert admin("ir.config_parameter", "get_param", "database.is_neutralized") == "True"
    assert admin("iot.box", "search_count", [("identifier", "=", "upgrade-box")]) == 1
    assert admin("iot.subscription", "search_count", []) == 1
    report = {"identifier": "upgrade-box", "error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"}
    assert server.jsonrpc("/iot/box/update_certificate_status", report, secret=secret)["result"] is True
