"""docs/testing.md "access", swept over the running system: every admin page, button and external API call refused to an
anonymous visitor, every change refused to a plain internal user, CSRF tokens required by every form, the box
secret required (and bound to its box) on every box call, and the box's own forms behind CSRF and its password.

The pages and buttons are found the way a person finds them (the admin's menu, then the links and forms of
each page), so a page added later is swept too.
"""

from __future__ import annotations

import re
import secrets
import threading
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin

import pytest
import requests
from reliability_tools import BoxUser, csrf_token_of

PLAIN_LOGIN = "plain.reliability"
MODELS = ["iot.box", "iot.subscription", "iot.subscription.line", "iot.connect.token", "res.users",
          "res.groups", "res.users.apikeys", "ir.config_parameter"]
# Buttons any internal user may press: synchronising only re-reads odoo.com's facts, the same for everyone.
READ_ONLY_BUTTONS = {"action_synchronise"}


@pytest.fixture(scope="module")
def plain_user(stack) -> str:
    """A plain internal user (no IoT administrator); returns the password."""
    password = f"Plain-{secrets.token_urlsafe(10)}"
    group_user = stack.execute("res.groups", "search", [("name", "=", "Internal User")])
    stack.execute("res.users", "create", {"name": "Plain User", "login": PLAIN_LOGIN, "password": password,
                                          "groups_id": [(6, 0, group_user)]})
    return password


def _tokens(stack) -> int:
    return stack.execute("iot.connect.token", "search_count", [])


def test_anonymous_visitors_are_sent_to_the_login_page_everywhere(stack, site_map):
    anonymous = requests.Session()
    names = [box["name"] for box in stack.execute("iot.box", "search_read", [], fields=["name"])]
    tokens = _tokens(stack)
    for path in ["/odoo", *site_map["pages"]]:
        answer = anonymous.get(urljoin(stack.url, path), timeout=30, allow_redirects=False)
        assert answer.status_code == 303 and "/web/login" in answer.headers["Location"], path
        assert not any(name in answer.text for name in names), path
    for action, method in site_map["buttons"]:
        answer = anonymous.post(urljoin(stack.url, action), data={"method": method}, timeout=30,
                                allow_redirects=False)
        assert answer.status_code in (303, 400, 401, 403), (action, method, answer.status_code)
    assert _tokens(stack) == tokens


@pytest.mark.parametrize("login, password", [("admin", "wrong"), ("nobody", "x"), ("", ""), ("admin", None)])
def test_the_external_api_refuses_wrong_credentials_for_every_model(stack, login, password):
    common = xmlrpc.client.ServerProxy(f"{stack.url}/xmlrpc/2/common")
    assert common.authenticate(stack.db, login, password or "", {}) is False
    admin_uid = stack.execute("res.users", "search", [("login", "=", "admin")])[0]
    objects = xmlrpc.client.ServerProxy(f"{stack.url}/xmlrpc/2/object", allow_none=True)
    for model in MODELS:
        for method, args in (("search_read", [[]]), ("search_count", [[]]), ("create", [{"name": "x"}]),
                             ("fields_get", [])):
            with pytest.raises(xmlrpc.client.Fault) as fault:
                objects.execute_kw(stack.db, admin_uid, password, model, method, args, {})
            assert "Traceback" not in fault.value.faultString
    answer = requests.post(f"{stack.url}/jsonrpc", timeout=30, json={"jsonrpc": "2.0", "id": 1, "params": {
        "service": "object", "method": "execute_kw",
        "args": [stack.db, admin_uid, password, "iot.box", "search_read", [[]]]}}).json()
    assert "error" in answer and "result" not in answer


def test_a_plain_user_reads_but_changes_nothing_anywhere(stack, plain_user, site_map):
    tokens = _tokens(stack)
    before = stack.execute("iot.box", "search_read", [], fields=["name", "ip"])
    for model in MODELS:
        for method, args in (("create", [{"name": "x", "login": "x", "identifier": "x", "key": "k"}]),
                             ("write", [[b["id"] for b in before], {"name": "changed"}]),
                             ("unlink", [[b["id"] for b in before]])):
            with pytest.raises(xmlrpc.client.Fault):
                stack.execute(model, method, *args, login=PLAIN_LOGIN, password=plain_user)
    for model in ("iot.connect.token", "res.users.apikeys"):
        with pytest.raises(xmlrpc.client.Fault):
            stack.execute(model, "search_read", [], login=PLAIN_LOGIN, password=plain_user)
    users = stack.execute("res.users", "search_read", [], login=PLAIN_LOGIN, password=plain_user)
    assert users and all("password" not in user for user in users)
    for model in ("iot.subscription", "iot.box", "ir.config_parameter"):  # the enterprise code is the admin's
        try:
            seen = str(stack.execute(model, "search_read", [], login=PLAIN_LOGIN, password=plain_user))
        except xmlrpc.client.Fault:
            continue
        assert stack.enterprise_code not in seen, f"a plain user reads the enterprise code in {model}"

    web = stack.login(PLAIN_LOGIN, plain_user)
    for action, method in [b for b in site_map["buttons"] if b[1] not in READ_ONLY_BUTTONS]:
        page = web.get(urljoin(stack.url, action.rsplit("/", 1)[0]), timeout=30)
        answer = web.post(urljoin(stack.url, action), timeout=30, allow_redirects=False,
                          data={"method": method, "csrf_token": csrf_token_of(page.text) or ""})
        assert answer.status_code in (400, 403, 404), (action, method, answer.status_code)
    assert _tokens(stack) == tokens
    assert stack.execute("iot.box", "search_read", [], fields=["name", "ip"]) == before


def test_private_methods_are_refused_even_to_the_admin(stack):
    for model, method, args in (("iot.box", "_pair_with_token", ["x", {}]), ("iot.connect.token", "_issue", ["x"]),
                                ("res.users", "_login", ["admin", "x"]), ("iot.box", "_authenticate_secret", ["x"])):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            stack.execute(model, method, *args)
        assert f"Private methods (such as {method}) cannot be called remotely" in fault.value.faultString


def test_every_server_form_needs_its_csrf_token(stack, site_map):
    admin = stack.login()
    tokens = _tokens(stack)
    for action, method in site_map["buttons"]:
        for token in (None, "", "0" * 64 + "o9999999999"):
            data = {"method": method, **({"csrf_token": token} if token is not None else {})}
            answer = admin.post(urljoin(stack.url, action), data=data, timeout=30, allow_redirects=False)
            assert answer.status_code == 400 and "CSRF" in answer.text, (action, method, token)
    assert _tokens(stack) == tokens
    for path, data in (("/web/login", {"login": "admin", "password": stack.admin_password}), ("/web/logout", {})):
        answer = requests.post(urljoin(stack.url, path), data=data, timeout=30, allow_redirects=False,
                               cookies={"session_id": admin.cookies.get("session_id")})
        assert answer.status_code == 400, path
    assert admin.get(f"{stack.url}/odoo", timeout=30, allow_redirects=False).status_code == 200  # still logged in


def _box_call(stack, path: str, params: dict, secret: str | None) -> dict:
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    answer = requests.post(f"{stack.url}{path}", headers=headers, timeout=30,
                           json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params})
    assert answer.status_code < 500
    return answer.json()


def test_box_calls_need_the_box_secret_of_that_very_box(stack):
    secret_a = stack.pair("access-box-a", ip="10.0.0.1:8080")
    secret_b = stack.pair("access-box-b", ip="10.0.0.2:8080")
    status = {"ip": "10.6.6.6:80", "ssl_certificate_end_date": "2030-01-01T00:00:00Z", "subject": "*.evil.com",
              "error_code": None, "error_detail": None}
    path = "/iot/box/update_certificate_status"
    for secret in (None, "", "Bearer", secret_a[:-1] + "x", secret_a.split(".")[0] + ".wrong", "x" * 500):
        assert "error" in _box_call(stack, path, {"identifier": "access-box-a", **status}, secret)
    # Box A's secret does not let A speak for B, neither on reports nor on a new pairing.
    assert "error" in _box_call(stack, path, {"identifier": "access-box-b", **status}, secret_a)
    setup = {"identifier": "access-box-b", "name": "stolen", "ip": "10.6.6.6:80", "version": "1"}
    assert "error" in _box_call(stack, "/iot/setup", setup, secret_a)
    assert "error" in _box_call(stack, "/iot/setup", {**setup, "token": "0123456789ab.guessed"}, None)
    records = stack.execute("iot.box", "search_read", [("identifier", "in", ["access-box-a", "access-box-b"])],
                            fields=["identifier", "name", "ip", "ssl_certificate_end_date"])
    assert {r["identifier"]: r["ip"] for r in records} == {"access-box-a": "10.0.0.1:8080",
                                                         "access-box-b": "10.0.0.2:8080"}
    assert not any(r["ssl_certificate_end_date"] for r in records)
    assert _box_call(stack, path, {"identifier": "access-box-b", **status}, secret_b)["result"] is True


def test_a_connection_token_works_once(stack):
    token, secret = stack.new_token()
    params = {"identifier": "access-box-once", "name": "once", "ip": "10.0.0.3:8080", "version": "1", "token": secret}
    assert _box_call(stack, "/iot/setup", params, None)["result"]["box_secret"]
    again = _box_call(stack, "/iot/setup", {**params, "identifier": "access-box-twice"}, None)
    assert "already used" in again["error"]["message"]


def test_a_connection_token_works_once_even_for_boxes_racing_with_it(stack):
    _token, secret = stack.new_token()
    start = threading.Barrier(10)

    def pair(n: int) -> dict:
        start.wait()
        return _box_call(stack, "/iot/setup", {"identifier": f"racing-box-{n}", "name": "racer", "ip": "10.0.0.4",
                                               "version": "1", "token": secret}, None)

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(pair, range(10)))
    assert sum("result" in answer for answer in answers) == 1, answers
    assert stack.execute("iot.box", "search_count", [("name", "=", "racer")]) == 1


def test_the_box_forms_need_a_csrf_token_and_the_box_password(stack):
    box = stack.box
    user = BoxUser(box)
    before = _unchangeable(box.status())
    token = csrf_token_of(user.homepage())
    other = BoxUser(box)
    other_token = csrf_token_of(other.homepage())
    form = {"action": "clear", "token": "http://127.0.0.1:1?token=x&db_uuid=y&enterprise_code=z"}
    attempts = [
        ({}, user.session),  # no token
        ({"csrf_token": "forged"}, user.session),
        ({"csrf_token": other_token}, user.session),  # a token of another visitor's cookie
        ({"csrf_token": token}, requests.Session()),  # no cookie at all
        ({"csrf_token": token, "password": "wrong"}, user.session),
    ]
    for path in ("/credential", "/connect"):
        for extra, session in attempts:
            data = {**form, "password": box.admin_password, **extra}
            answer = session.post(f"{box.http_url}{path}", data=data, timeout=30)
            assert answer.status_code == 403, (path, extra)
    assert _unchangeable(box.status()) == before


def _unchangeable(status: dict) -> dict:
    """What a refused form must leave as it was: all of /status.json but when the last check ran (opening the
    homepage may check again)."""
    return {key: value for key, value in status.items() if key != "checked_at"}


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "\\\\evil.example", "https://evil.example/",
                                    "/\t/evil.example", "javascript:alert(1)", "/odoo\r\nSet-Cookie: pwned=1"])
def test_a_login_only_sends_the_user_to_a_page_of_this_site(stack, target):
    answer = stack.submit_login(requests.Session(), stack.admin_password, redirect=target)
    assert answer.status_code == 303, answer.status_code
    location = answer.headers["Location"].removeprefix(stack.url)
    # A browser reads "/\\host" and "/\t/host" as "//host": only a path with a plain second character stays here.
    assert re.match(r"/(?![/\\\s])", location) and location.isprintable(), location
    assert "pwned" not in str(answer.headers)
