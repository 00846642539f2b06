"""docs/testing.md "access" (secrets) and the injection bar, on the running system:

- secrets are stored hashed: the whole database is read, and no password, token, box secret or session id is in
  it; the box keeps only the hash of its admin password;
- secrets are compared in constant time: the functions that check them call ``hmac.compare_digest`` and compare
  nothing secret with ``==``, and the authentication paths go through them;
- no key, token, password, box secret or enterprise code in any log line or page: an end-to-end run (logins right
  and wrong, pairing, reports, the box's forms, every admin page) and then a search of every log and every page;
- key files and files holding secrets are readable by their owner alone;
- TLS is verified by default: a box and a server that are not told to trust the mock's CA refuse to talk to it;
- injection strings (SQL, HTML, header) are stored and shown verbatim, never run.
"""

from __future__ import annotations

import ast
import configparser
import html
import re
import stat
import time
import xmlrpc.client
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import psycopg2
import pytest
import requests
from reliability_tools import BoxUser, csrf_token_of, https_get, offline_token

from iot_common.net import free_port
from iot_common.procs import Service, console, wait_until

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_NAME = "<script>alert('pwned')</script>' OR '1'='1'; DROP TABLE iot_box; --"
SECRET_SHAPE = re.compile(r"\b[0-9a-f]{12}\.[A-Za-z0-9_-]{40,}")  # a connection token's or a box secret's
HOSTILE_DETAIL = "boom\r\nSet-Cookie: pwned=1\r\n\r\n<img src=x onerror=alert(1)>"


def _box_secret(data_dir: Path) -> str:
    config = configparser.ConfigParser(interpolation=None)
    config.read(data_dir / "odoo.conf")
    return config["iot.box"]["box_secret"]


def _pem_body(path: Path) -> str:
    """A piece of a key file's base64 body: what would show if the key leaked."""
    return "".join(path.read_text().splitlines()[1:-1])[8:48]


# -- stored hashed ----------------------------------------------------------------------------------------------
def _database_text(dsn: str) -> str:
    """Every text value of every table of the server's database, as one string."""
    values = []
    with psycopg2.connect(dsn) as connection, connection.cursor() as cur:
        cur.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND data_type IN ('character varying', 'text', 'jsonb', 'json')")
        for table, column in cur.fetchall():
            cur.execute(f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL')
            values += [row[0] for row in cur.fetchall()]
    connection.close()
    return "\n".join(values)


def test_secrets_are_stored_hashed(stack):
    token, token_secret = stack.new_token()
    box_secret = stack.pair("hash-box")
    admin = stack.login()
    session_id = admin.cookies.get("session_id")
    stored = _database_text(stack.dsn)
    for name, secret in (("admin password", stack.admin_password), ("connection token", token_secret),
                         ("box secret", box_secret), ("box secret of the real box", _box_secret(stack.box.data_dir)),
                         ("session id", session_id)):
        assert secret not in stored, f"the {name} is stored in clear"
    with psycopg2.connect(stack.dsn) as connection, connection.cursor() as cur:
        cur.execute("SELECT password FROM res_users WHERE login = 'admin'")
        assert cur.fetchone()[0].startswith("scrypt$")
        cur.execute("SELECT token_hash FROM iot_connect_token")
        assert all(row[0].startswith("sha256$$") for row in cur.fetchall())
        cur.execute("SELECT box_secret_hash FROM iot_box WHERE identifier = 'hash-box'")
        assert cur.fetchone()[0].startswith("sha256$$")
    connection.close()
    box_config = (stack.box.data_dir / "odoo.conf").read_text()
    assert stack.box.admin_password not in box_config and "admin_password_hash = scrypt$" in box_config


# -- constant time ----------------------------------------------------------------------------------------------
# (file, function): where a secret, password or CSRF token is checked.
CHECKERS = [
    ("iot_common/secret_hash.py", "verify_secret"), ("iot_box/auth.py", "valid"),
    ("odoo_host/http.py", "validate_csrf"),
]
# (file, function, checker it must call): the ways in.
PATHS = [
    ("addons/iot_https/models/iot_box.py", "_authenticate_secret", "verify_secret"),
    ("addons/iot_https/models/iot_connect_token.py", "_consume", "verify_secret"),
    ("odoo_host/addons/base/models/res_users.py", "_check_password", "verify_secret"),
    ("odoo_host/addons/base/models/res_users_apikeys.py", "_check_credentials", "verify_secret"),
    ("odoo_host/http.py", "_call_http", "validate_csrf"),
    ("iot_box/box.py", "password_ok", "verify_secret"),
    ("odoo_host/security.py", "verify_secret", "verify_secret"),
    ("iot_box/web.py", "_refusal", "valid"),
]


def _function(path: str, name: str) -> ast.FunctionDef:
    tree = ast.parse((ROOT / path).read_text())
    found = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == name]
    assert found, f"{path} has no function {name}"
    return found[0]


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}


def _value_name(node: ast.AST) -> str | None:
    """The variable a comparison side is, seen through ``.encode()``/``.hex()``; None for anything else (a
    ``len()``, a ``.count()``: the shape of a value, not the value)."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
            "encode", "decode", "hex", "lower", "strip"):
        node = node.func.value
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _calls(node: ast.AST) -> set[str]:
    return {(c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", ""))
            for c in ast.walk(node) if isinstance(c, ast.Call)}


@pytest.mark.parametrize("path, name", CHECKERS)
def test_secrets_are_compared_in_constant_time(path, name):
    function = _function(path, name)
    digests = [c for c in ast.walk(function) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
               and c.func.attr == "compare_digest"]
    assert digests, f"{path}:{name} does not use hmac.compare_digest"
    compared = set().union(*(_names(arg) for call in digests for arg in call.args)) - {"encode", "hex", "self"}
    for node in ast.walk(function):
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            sides = {_value_name(side) for side in (node.left, *node.comparators)}
            assert not sides & compared, f"{path}:{name} line {node.lineno} compares a secret with =="


@pytest.mark.parametrize("path, name, checker", PATHS)
def test_every_way_in_goes_through_a_constant_time_check(path, name, checker):
    assert checker in _calls(_function(path, name)), f"{path}:{name} does not call {checker}"


# -- no secret in logs or pages ---------------------------------------------------------------------------------
def test_no_secret_in_any_log_line_or_page(stack, site_map):
    system, box = stack.system, stack.box
    wrong_password = "Wrong-Pw-7c1e9b"
    _token, token_secret = stack.new_token()
    paired_secret = stack.pair("leak-box")
    pages: dict[str, str] = {}

    # A user mistypes the password, then logs in; another script does the same over the external API.
    pages["failed login"] = stack.submit_login(requests.Session(), wrong_password).text
    assert xmlrpc.client.ServerProxy(f"{stack.url}/xmlrpc/2/common").authenticate(
        stack.db, "admin", wrong_password, {}) is False
    admin = stack.login()
    session_id = admin.cookies.get("session_id")
    for path in ["/odoo", *site_map["pages"]]:  # every admin page: each list, each record
        pages[path] = admin.get(urljoin(stack.url, path), timeout=30).text
    pages["API: boxes"] = str(stack.execute("iot.box", "search_read", []))
    # The box: a wrong password on its form, then the right one; its pages over HTTP and HTTPS.
    user = BoxUser(box)
    pages["box: wrong password"] = user.submit("/credential", action="save", db_uuid=stack.db_uuid,
                                               enterprise_code=stack.enterprise_code, password=wrong_password).text
    pages["box: credential saved"] = user.submit("/credential", action="save", db_uuid=stack.db_uuid,
                                                 enterprise_code=stack.enterprise_code).text
    pages["box: homepage"] = user.homepage()
    pages["box: status.json"] = requests.get(f"{box.http_url}/status.json", timeout=30).text
    pages["box: homepage over https"] = https_get(box.https_port, stack.box_hostname, system.odoo_com_ca)
    assert pages["box: homepage over https"].startswith("HTTP/1.1 200")
    time.sleep(1)  # the box's reporter and the server's workers write their last lines

    key_files = [box.data_dir / "certs" / "current" / "key.pem", *sorted(
        (system.state_dir / "odoo-com").rglob("*.key"))]
    secrets_ = {
        "admin password": stack.admin_password, "mistyped password": wrong_password,
        "box admin password": box.admin_password, "enterprise code": stack.enterprise_code,
        "connection token": token_secret, "box secret": _box_secret(box.data_dir), "paired box secret": paired_secret,
        "session id": session_id, **{f"key {path.name}": _pem_body(path) for path in key_files},
    }
    logs = {str(path.relative_to(system.state_dir)): path.read_text(errors="replace")
            for path in system.state_dir.rglob("*.log")}
    assert logs and all(len(text) for text in logs.values()), logs.keys()
    leaks = [f"{what} in {where}: {_line_with(text, secret)[:300]!r}" for what, secret in secrets_.items()
             for where, text in {**logs, **pages}.items() if _line_with(text, secret)]
    # Secrets this test never saw (the token the box was started with, its first box secret) have a shape.
    leaks += [f"a secret-shaped {match.group(0)[:6]}... in {where}" for where, text in {**logs, **pages}.items()
              for match in [SECRET_SHAPE.search(text)] if match]
    assert not leaks, leaks
    assert "PRIVATE KEY" not in "".join([*logs.values(), *pages.values()])


def _line_with(text: str, secret: str) -> str | None:
    """The first line of ``text`` holding ``secret`` (as it is or HTML-escaped), None when none does."""
    for line in text.splitlines():
        if secret in line or html.escape(secret) in line:
            return line
    return None


def test_a_connection_token_is_shown_once(stack):
    admin = stack.login()
    form_path = f"/odoo/action-iot_https.iot_subscription_action/{stack.execute('iot.subscription', 'search', [])[0]}"
    page = admin.get(urljoin(stack.url, form_path), timeout=30).text
    csrf = csrf_token_of(page)
    shown = admin.post(urljoin(stack.url, f"{form_path}/button"), timeout=30,
                       data={"method": "action_connect_box", "csrf_token": csrf}).text
    secret = re.search(r"token=([A-Za-z0-9._~-]+)", html.unescape(shown)).group(1)
    assert secret not in admin.get(urljoin(stack.url, form_path), timeout=30).text


# -- files --------------------------------------------------------------------------------------------------------
def test_key_files_and_secret_files_are_owner_only(stack):
    state = stack.system.state_dir
    secret_files = [*state.rglob("*.key"), *state.rglob("key.pem"), *state.rglob("odoo.conf"),
                    *state.glob("pg/password")]
    assert any(p.name == "key.pem" for p in secret_files) and any(p.suffix == ".key" for p in secret_files)
    loose = [f"{p.relative_to(state)} {stat.filemode(p.stat().st_mode)}" for p in secret_files
             if p.stat().st_mode & 0o077]
    assert not loose, loose
    certs = stack.box.data_dir / "certs"
    assert not certs.stat().st_mode & 0o077, stat.filemode(certs.stat().st_mode)


# -- TLS verified by default --------------------------------------------------------------------------------------
def test_a_box_that_does_not_trust_odoo_com_refuses_it(stack, tmp_path):
    http_port = free_port()
    argv = [*console("iot-box"), "--data-dir", str(tmp_path / "box"), "--http-port", str(http_port),
            "--https-port", str(free_port()), "--odoo-com-url", stack.system.odoo_com_url,
            "--advertise-ip", "127.0.0.1", "--admin-password", "pw",
            "--connect", offline_token(stack.db_uuid, stack.enterprise_code)]  # no --odoo-com-ca
    box = Service("untrusting-box", argv, tmp_path / "box.log")
    try:
        box.wait_for_port(http_port)
        def status_with_error() -> dict | None:
            status = requests.get(f"http://127.0.0.1:{http_port}/status.json", timeout=30).json()
            return status if status["error_code"] else None

        status = wait_until(status_with_error, box)
    finally:
        box.stop()
    assert status["error_code"] == "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION"
    assert "certificate verify failed" in status["error_detail"].lower()
    assert status["certificate"]["subject_cn"] == "OdooTempIoTBoxCertificate"


def test_a_server_that_does_not_trust_odoo_com_refuses_it(stack):
    result = stack.server_cli("check-eligibility", trust_odoo_com=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not trusted" in result.stdout + result.stderr


# -- injection --------------------------------------------------------------------------------------------------
def test_injection_strings_are_stored_and_shown_verbatim_never_run(stack):
    secret = stack.pair("inject-box", name=HOSTILE_NAME, ip="10.0.0.7:8080")
    answer = requests.post(f"{stack.url}/iot/box/update_certificate_status", timeout=30,
                           headers={"Authorization": f"Bearer {secret}"}, json={"jsonrpc": "2.0", "id": 1, "params": {
                               "identifier": "inject-box", "ssl_certificate_end_date": None, "subject": None,
                               "error_code": "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS", "error_detail": HOSTILE_DETAIL}})
    assert answer.json()["result"] is True and "pwned" not in str(answer.headers)
    # Read over JSON-RPC: XML turns a CR LF into LF on the way (XML's line-end rule), JSON carries it as it is.
    uid = stack.execute("res.users", "search", [("login", "=", "admin")])[0]
    [record] = requests.post(f"{stack.url}/jsonrpc", timeout=30, json={"jsonrpc": "2.0", "id": 1, "params": {
        "service": "object", "method": "execute_kw", "args": [
            stack.db, uid, stack.admin_password, "iot.box", "search_read", [[("identifier", "=", "inject-box")]],
            {"fields": ["name", "error_detail"]}]}}).json()["result"]
    assert (record["name"], record["error_detail"]) == (HOSTILE_NAME, HOSTILE_DETAIL)  # verbatim
    assert stack.execute("iot.box", "search_count", [("name", "=", "x' OR '1'='1")]) == 0
    assert stack.execute("iot.box", "search_count", []) > 1  # the table is still there

    admin = stack.login()
    listing = admin.get(f"{stack.url}/odoo/action-iot_https.iot_box_action", timeout=30)
    form = admin.get(f"{stack.url}/odoo/action-iot_https.iot_box_action/{record['id']}", timeout=30)
    for page in (listing, form):
        assert html.escape(HOSTILE_NAME, quote=False) in page.text or html.escape(HOSTILE_NAME) in page.text
        assert "<script>alert('pwned')" not in page.text and "<img src=x" not in page.text
        assert "pwned" not in page.headers.get("Set-Cookie", "")
    assert "onerror=alert(1)" in html.unescape(form.text)  # shown, as text

    # The box shows a hostile db_uuid as text on its homepage, then takes the right one back.
    user = BoxUser(stack.box)
    shown = user.submit("/credential", action="save", db_uuid=HOSTILE_NAME, enterprise_code="").text
    assert "<script>alert('pwned')" not in shown
    assert lxml.html.fromstring(shown).get_element_by_id("db_uuid").get("value") == HOSTILE_NAME  # as text
    assert "ERR_IOT_HTTPS" not in user.submit("/credential", action="save", db_uuid=stack.db_uuid,
                                              enterprise_code="").text
