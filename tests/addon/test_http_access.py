"""Who may do what, over the real server: anonymous visitors, a plain internal user, an admin and a box."""

import xmlrpc.client

import pytest
import requests
from odoo.addons.iot_https.tests.common import box_params, token_from_connection_string


@pytest.fixture(scope="module")
def plain_user(server):
    """An internal user, no IoT administrator, who reads Dutch: (login, password)."""
    admin = server.xmlrpc()
    login = "plain.user@example.com"
    if not admin("res.users", "search", [("login", "=", login)]):
        group_user = admin("res.groups", "search", [("name", "=", "Internal User")])[0]
        admin(
            "res.users",
            "create",
            {
                "name": "Plain User",
                "login": login,
                "password": "plain-pw-1234",
                "groups_id": [(6, 0, [group_user])],
                "lang": "nl_NL",
            },
        )
    return login, "plain-pw-1234"


def test_anonymous_sees_the_login_page_not_the_boxes(server):
    response = requests.get(f"{server.url}/odoo/action-iot_https.iot_box_action", timeout=30, allow_redirects=False)
    assert response.status_code in (302, 303)
    assert "/web/login" in response.headers["Location"]
    assert server.xmlrpc("admin", "wrong password").uid is False


def test_plain_user_reads_boxes_but_changes_nothing(server, plain_user):
    user = server.xmlrpc(*plain_user)
    assert user.uid
    boxes = user("iot.box", "search_read", [], fields=["name", "certificate_state"])
    assert {"Shop counter", "Kitchen printer"} <= {box["name"] for box in boxes}
    assert "M-DEMO-IOT-0001" not in str(user("iot.subscription", "search_read", []))
    verdict = user("iot.eligibility", "check")  # monitoring may run as a plain user
    assert verdict["reason"] and "M-DEMO-IOT-0001" not in verdict["message"]
    for call in (
        ("iot.box", "write", [boxes[0]["id"]], {"name": "hacked"}),
        ("iot.box", "create", {"name": "x", "identifier": "x"}),
        ("iot.box", "unlink", [boxes[0]["id"]]),
        ("iot.connect.token", "search_read", []),
        ("iot.subscription", "action_connect_box", []),
    ):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            user(*call)
        assert "Traceback" not in fault.value.faultString
    for call in (
        ("ir.config_parameter", "set_param", "database.environment", "development"),
        ("ir.config_parameter", "get_param", "database.enterprise_code"),
        ("iot.subscription", "search_read", [], ["code"]),
    ):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            user(*call)
        assert "not allowed" in fault.value.faultString


def test_admin_connects_a_box_from_the_subscription_page(server):
    admin = server.xmlrpc()
    subscription = admin("iot.subscription", "search", [])
    action = admin("iot.subscription", "action_connect_box", subscription)
    # The sentence, then the connection string apart: the web client shows it in a field with a Copy button.
    assert "within 15 minutes" in action["params"]["message"]
    assert "?token=" not in action["params"]["message"]
    connection = action["params"]["copy"]
    assert "?token=" in connection and connection.endswith("enterprise_code=M-DEMO-IOT-0001")


def test_only_the_synchronisation_writes_the_subscription(server, mock_odoo_com):
    mock_odoo_com.add_subscription("M-DEMO-IOT-0001", state="paused")
    server.set_identity(enterprise_code="M-DEMO-IOT-0001")
    admin = server.xmlrpc()
    [subscription] = admin("iot.subscription", "search", [])
    notification = admin("iot.subscription", "action_synchronise", [subscription])  # an admin may do this
    assert notification["params"]["title"] == "Synchronised with odoo.com"
    [line] = admin("iot.subscription.line", "search", [])
    for call in (
        ("iot.subscription", "write", [subscription], {"state": "in_progress"}),
        ("iot.subscription", "create", {"name": "Another"}),
        ("iot.subscription", "unlink", [subscription]),
        ("iot.subscription.line", "create", {"subscription_id": subscription, "product": "iot_box"}),
        ("iot.subscription.line", "write", [line], {"quantity": 9}),
        ("iot.subscription.line", "unlink", [line]),
    ):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            admin(*call)
        assert "not allowed" in fault.value.faultString, call
    assert admin("iot.subscription", "read", [subscription], ["state"])[0]["state"] == "paused"


def test_box_secret_opens_no_admin_door(server):
    secret = server.pair("access-box")
    assert server.xmlrpc("access-box", secret).uid is False
    response = requests.get(
        f"{server.url}/odoo/action-iot_https.iot_box_action",
        timeout=30,
        headers={"Authorization": f"Bearer {secret}"},
        allow_redirects=False,
    )
    assert response.status_code in (302, 303)


def test_secrets_never_appear_on_pages_in_the_api_or_in_the_log(server):
    token = token_from_connection_string(server.command("connect-token").stdout.strip())
    secret = server.jsonrpc("/iot/setup", {**box_params("secret-box"), "token": token})["result"]["box_secret"]
    admin = server.xmlrpc()
    with pytest.raises(xmlrpc.client.Fault) as fault:
        admin("iot.box", "search_read", [], fields=["box_secret_hash"])
    assert "not allowed" in fault.value.faultString
    box = admin("iot.box", "search_read", [("identifier", "=", "secret-box")])
    subscription = admin("iot.subscription", "search", [])[0]
    session = login_session(server, "admin", "admin")
    pages = [
        session.get(f"{server.url}/odoo/action-iot_https.iot_box_action/{box[0]['id']}", timeout=30).text,
        session.get(f"{server.url}/odoo/action-iot_https.iot_subscription_action", timeout=30).text,
        session.get(f"{server.url}/odoo/action-iot_https.iot_subscription_action/{subscription}", timeout=30).text,
    ]
    for text in (str(box), *pages, server.service.log_path.read_text()):
        for secret_text in (secret, token, "M-DEMO-IOT-0001"):
            assert secret_text not in text


def login_session(server, login: str, password: str) -> requests.Session:
    """A browser session logged in through the login form (with its CSRF token)."""
    session = requests.Session()
    page = session.get(f"{server.url}/web/login", timeout=30)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = session.post(
        f"{server.url}/web/login",
        timeout=30,
        data={"login": login, "password": password, "csrf_token": csrf},
    )
    assert response.status_code == 200 and "/web/login" not in response.url
    return session


def test_admin_box_list_with_filters_and_form(server):
    session = login_session(server, "admin", "admin")
    page = session.get(f"{server.url}/odoo/action-iot_https.iot_box_action", timeout=30)
    assert page.status_code == 200
    for text in (
        "Shop counter",
        "Kitchen printer",
        "Expiring",
        "In Error",
        "Never Certified",
        "https://10-0-0-11.demo0001.odoo-iot.com",
    ):
        assert text in page.text
    admin = server.xmlrpc()
    failing = admin("iot.box", "search", [("identifier", "=", "00:1a:2b:3c:4d:04")])[0]
    form = session.get(f"{server.url}/odoo/action-iot_https.iot_box_action/{failing}", timeout=30)
    assert "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS" in form.text
    assert "open a support ticket" in form.text


def test_dutch_user_reads_the_explanation_in_dutch(server, plain_user):
    failing = server.xmlrpc()("iot.box", "search", [("identifier", "=", "00:1a:2b:3c:4d:04")])[0]
    page = login_session(server, *plain_user).get(
        f"{server.url}/odoo/action-iot_https.iot_box_action/{failing}", timeout=30
    )
    assert "open dan een supportticket" in page.text
    assert "Wat te doen" in page.text
