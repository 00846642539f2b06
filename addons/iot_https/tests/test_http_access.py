"""Who may do what, over the real server: anonymous visitors, a plain internal user, an admin and a box."""

import xmlrpc.client

import pytest
import requests

from .common import box_params


@pytest.fixture(scope="module")
def plain_user(server):
    """An internal user who is no IoT administrator: (login, password)."""
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
            },
        )
    return login, "plain-pw-1234"


def test_anonymous_sees_the_login_page_not_the_boxes(server):
    response = requests.get(
        f"{server.url}/odoo/action-iot_https.iot_box_action", timeout=30, allow_redirects=False
    )
    assert response.status_code in (302, 303)
    assert "/web/login" in response.headers["Location"]
    assert server.xmlrpc("admin", "wrong password").uid is False


def test_plain_user_reads_boxes_but_changes_nothing(server, plain_user):
    user = server.xmlrpc(*plain_user)
    assert user.uid
    boxes = user("iot.box", "search_read", [], fields=["name", "certificate_state"])
    assert {"Shop counter", "Kitchen printer"} <= {box["name"] for box in boxes}
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
    with pytest.raises(xmlrpc.client.Fault):
        user("ir.config_parameter", "set_param", "database.environment", "development")


def test_admin_connects_a_box_from_the_subscription_page(server):
    admin = server.xmlrpc()
    subscription = admin("iot.subscription", "search", [])
    action = admin("iot.subscription", "action_connect_box", subscription)
    message = action["params"]["message"]
    assert "?token=" in message and "enterprise_code=M-DEMO-IOT-0001" in message


def test_box_secret_opens_no_admin_door(server):
    token_line = server.command("connect-token").stdout.strip()
    token = token_line.split("token=")[1].split("&")[0]
    secret = server.jsonrpc("/iot/setup", {**box_params("access-box"), "token": token})["result"][
        "box_secret"
    ]
    assert server.xmlrpc("access-box", secret).uid is False
    response = requests.get(
        f"{server.url}/odoo/action-iot_https.iot_box_action",
        timeout=30,
        headers={"Authorization": f"Bearer {secret}"},
        allow_redirects=False,
    )
    assert response.status_code in (302, 303)


def test_secrets_never_appear_on_pages_or_in_the_api(server):
    admin = server.xmlrpc()
    boxes = admin("iot.box", "search_read", [], fields=["box_secret_hash"])
    connection = server.command("connect-token").stdout.strip()
    token = connection.split("token=")[1].split("&")[0]
    for box in boxes:
        assert token not in str(box)
    page = admin_session(server).get(
        f"{server.url}/odoo/action-iot_https.iot_subscription_action", timeout=30
    )
    assert "M-DEMO-IOT-0001" not in page.text


def admin_session(server) -> requests.Session:
    """A browser session logged in as admin through the login form (with its CSRF token)."""
    session = requests.Session()
    page = session.get(f"{server.url}/web/login", timeout=30)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = session.post(
        f"{server.url}/web/login",
        timeout=30,
        data={"login": "admin", "password": "admin", "csrf_token": csrf},
    )
    assert response.status_code == 200 and "/web/login" not in response.url
    return session


def test_admin_box_list_with_filters_and_form(server):
    session = admin_session(server)
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
    dutch = session.get(
        f"{server.url}/odoo/action-iot_https.iot_box_action/{failing}",
        timeout=30,
        headers={"Accept-Language": "nl-NL,nl;q=0.9"},
    )
    assert "open dan een supportticket" in dutch.text
