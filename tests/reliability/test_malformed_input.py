"""docs/testing.md "bad input": 10,450 generated malformed requests against every endpoint of the three parts,
each answered without a 5xx and without a traceback, with an error a person can read; every process still
healthy afterwards (it answers a normal request, and the box still gets certificates).

The requests of a part go out on a few keep-alive sessions at once. Some carry valid pieces (the real
``db_uuid``, a box secret, an admin login, a CSRF token) so that the malformed part reaches the code behind the
first check. A failure lists the offending requests with their seed and number, to replay them.
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import xmlrpc.client
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from malformed import Generator, Malformed
from reliability_tools import BOX_PASSWORD, BoxUser, csrf_token_of, offline_token, served_certificate

from iot_common.net import free_port
from iot_stack.register import register_database

THREADS = 4
# gunicorn discards at most 64 KiB of a body its application did not read, then closes the keep-alive connection
# after the answer (HTTP allows a server to): a client sending more opens a new connection for its next request.
DRAIN_LIMIT = 64 * 1024
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/[^\"]+\.py\", line \d+")
WORDS = re.compile(r"[A-Za-z]{2,}")
# What the parts answer when a request met an exception they did not expect: a bug, even if politely put.
UNEXPECTED = re.compile(r"Internal server error|the mock failed on this request")


@dataclass
class Target:
    """One endpoint: how many requests it gets and how to make request number ``n`` from a generator."""

    name: str
    count: int
    make: Callable[[Generator], Malformed]


def test_the_mock_odoo_com_answers_malformed_requests_with_clear_errors(stack):
    mock = stack.system  # its odoo_com_url and odoo_com_ca
    db_uuid, code = stack.db_uuid, stack.enterprise_code
    good = {"db_uuid": db_uuid, "enterprise_code": code}

    def call(path: str, names: list[str]) -> Callable[[Generator], Malformed]:
        return lambda g: g.request("POST", path, g.jsonrpc_body(names, good))

    def record(g: Generator) -> Malformed:
        kind, names = g.rng.choice([("subscriptions", ["state", "lines"]), ("databases", ["subscription", "kind"])])
        return g.request("PUT", f"/mock/{kind}/{_path_part(g)}", g.jsonrpc_body(names))

    targets = [
        Target("x509", 1800, call("/odoo-enterprise/iot/x509", ["db_uuid", "enterprise_code", "csr"])),
        Target("publisher-warranty", 1000, call("/publisher-warranty/", ["db_uuid", "enterprise_code"])),
        Target("admin: records", 700, record),
        Target("admin: faults", 300, lambda g: g.request(
            "POST", "/mock/faults", g.jsonrpc_body(["endpoint", "mode", "times", "status", "seconds", "reason"]))),
        Target("admin: settings", 200, lambda g: g.request(
            "PUT", "/mock/settings", g.jsonrpc_body(["validity_days", "key_type", "refusal_style", "rate_limit"]))),
        Target("admin: reads", 100, lambda g: g.request(
            "GET", g.rng.choice(["/mock/requests?endpoint=", "/mock/faults?x=", "/mock/ca.pem?"]) + _path_part(g),
            None)),
    ]
    try:
        public = [target for target in targets if not target.name.startswith("admin")]
        _fuzz(mock.odoo_com_url, public, seed=1, verify=str(mock.odoo_com_ca))
        _fuzz(mock.odoo_com_admin_url, [t for t in targets if t not in public], seed=1, verify=str(mock.odoo_com_ca))
    finally:
        # A fuzzed settings or fault call may have been a valid one: put the mock back as the stack needs it.
        admin = mock.odoo_com_admin()
        admin.clear_faults()
        admin.settings(validity_days=90, key_type="ecdsa-p256", refusal_style="auto", rate_limit={"per_db": None},
                       dns_rebinding_protection=False)
        register_database(mock.odoo_com_admin_url, str(mock.odoo_com_ca), db_uuid, code)
    answer = requests.post(f"{mock.odoo_com_url}/odoo-enterprise/iot/x509", json={"params": good},
                           verify=str(mock.odoo_com_ca), timeout=30).json()
    assert answer["result"]["x509_pem"].startswith("-----BEGIN CERTIFICATE-----")


def test_the_box_answers_malformed_requests_with_clear_errors(stack):
    box = stack.box
    user = BoxUser(box)
    page = user.homepage()
    csrf = {"cookie": user.session.cookies.get("box_csrf"),
            "token": csrf_token_of(page)}
    cookies = ["box_csrf", "box_lang"]

    def form(path: str, names: list[str]) -> Callable[[Generator], Malformed]:
        def make(g: Generator) -> Malformed:
            request = g.request("POST", path, g.form_body(names), cookies)
            if g.rng.random() < 0.05:  # a valid CSRF pair: the wrong password is what gets refused
                request.cookies["box_csrf"] = csrf["cookie"]
                request.body = (request.body or b"") + f"&csrf_token={csrf['token']}".encode()
                request.headers["Content-Type"] = "application/x-www-form-urlencoded"
            return request
        return make

    targets = [
        Target("homepage", 600, lambda g: g.request("GET", "/", None, cookies)),
        Target("status.json", 300, lambda g: g.request("GET", "/status.json", None, cookies)),
        Target("style.css and others", 300, lambda g: g.request("GET", "/" + _path_part(g), None, cookies)),
        Target("credential form", 500, form("/credential", ["csrf_token", "password", "action", "db_uuid",
                                                            "enterprise_code"])),
        Target("connect form", 500, form("/connect", ["csrf_token", "password", "token"])),
    ]
    _fuzz(box.http_url, targets, seed=2)
    assert box.service.process.poll() is None
    status = box.status()
    assert status["certificate"]["subject_cn"].endswith(".odoo-iot.com") and status["error_code"] is None
    assert status["server"] == stack.url  # no fuzzed form changed the box's settings
    assert "ERR_IOT_HTTPS" not in user.recheck(stack.db_uuid).text  # and it still gets certificates


def test_a_box_given_malformed_settings_by_its_admin_answers_clearly_and_recovers(stack):
    """Forms that pass the CSRF and password checks, so that their malformed values reach the box's settings and
    its certificate check (on a box of this test's own, without a certificate: every check asks odoo.com)."""
    box = stack.system.start_box("fuzzed-settings-box", free_port(), free_port(),
                                 connect=offline_token("not-a-database", "not-a-code"), admin_password=BOX_PASSWORD)
    try:
        user = BoxUser(box)
        page = user.homepage()
        auth = f"&csrf_token={csrf_token_of(page)}&password={BOX_PASSWORD}".encode()
        cookie = {"box_csrf": user.session.cookies.get("box_csrf")}

        def form(path: str, names: list[str]) -> Callable[[Generator], Malformed]:
            def make(g: Generator) -> Malformed:
                return Malformed("POST", path, {"Content-Type": "application/x-www-form-urlencoded"},
                                 g.form_body(names) + auth, cookie)
            return make

        _fuzz(box.http_url, [Target("credential form, as the admin", 100, form(
            "/credential", ["action", "db_uuid", "enterprise_code"])), Target(
            "connect form, as the admin", 50, form("/connect", ["token"]))], seed=5)
        assert box.service.process.poll() is None
        assert user.submit("/credential", action="save", db_uuid=stack.db_uuid,
                           enterprise_code=stack.enterprise_code).ok
        assert box.wait_for_certificate()["error_code"] is None  # healthy: it gets its certificate
    finally:
        box.service.stop()


def test_the_server_answers_malformed_requests_with_clear_errors(stack):
    secret = stack.pair("fuzz-box")
    admin = stack.login()
    page = admin.get(f"{stack.url}/odoo/action-iot_https.iot_box_action", timeout=30).text
    session_cookie = admin.cookies.get("session_id")
    csrf = csrf_token_of(page)
    uid = stack.execute("res.users", "search", [("login", "=", "admin")])[0]
    login = [f"<value><string>{stack.db}</string></value>", f"<value><int>{uid}</int></value>",
             f"<value><string>{stack.admin_password}</string></value>"]
    models = ["iot.box", "iot.subscription", "iot.connect.token", "res.users", "ir.config_parameter", "no.such"]
    methods = ["search", "search_read", "read", "search_count", "fields_get", "create", "write", "unlink",
               "name_get", "_pair_with_token", "action_connect_box", "__init__"]

    def box_call(path: str, names: list[str], good: dict) -> Callable[[Generator], Malformed]:
        def make(g: Generator) -> Malformed:
            request = g.request("POST", path, g.jsonrpc_body(names, good))
            if g.rng.random() < 0.6:
                request.headers["Authorization"] = f"Bearer {secret}"
            return request
        return make

    def execute_kw(g: Generator) -> Malformed:
        fixed = [*login, f"<value><string>{g.rng.choice(models)}</string></value>",
                 f"<value><string>{g.rng.choice(methods)}</string></value>"]
        return g.request("POST", "/xmlrpc/2/object", g.xmlrpc_body(["execute_kw", "execute"], fixed))

    def jsonrpc(g: Generator) -> Malformed:
        args = [stack.db, uid, stack.admin_password, g.rng.choice(models), g.rng.choice(methods), g.value()]
        good = {"service": g.rng.choice(["object", "common", "db"]), "method": "execute_kw", "args": args}
        return g.request("POST", "/jsonrpc", g.jsonrpc_body(["service", "method", "args"], good))

    def page_request(g: Generator) -> Malformed:
        ref = g.rng.choice(["iot_https.iot_box_action", "iot_https.iot_subscription_action", "1", _path_part(g)])
        method, path, names = g.rng.choice([
            ("GET", "/odoo", []), ("GET", f"/odoo/action-{ref}", []),
            ("GET", f"/odoo/action-{ref}?q={_path_part(g)}&order={_path_part(g)}&offset=-3&limit=x", []),
            ("GET", f"/odoo/action-{ref}/{g.rng.choice([1, 0, 99999, 2**40])}", []),
            ("POST", f"/odoo/action-{ref}/1/button", ["csrf_token", "method"]),
            ("POST", "/web/login", ["csrf_token", "login", "password", "redirect"]),
            ("GET", "/web/login?redirect=" + _path_part(g), []), ("POST", "/web/logout", ["csrf_token"])])
        request = g.request(method, path, g.form_body(names) if names else None, ["session_id"])
        if g.rng.random() < 0.5:  # logged in as the admin, sometimes with a valid CSRF token
            request.cookies["session_id"] = session_cookie
            if csrf and request.body is not None and g.rng.random() < 0.4:
                request.body += f"&csrf_token={csrf}".encode()
                request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        return request

    identity = {"identifier": "fuzz-box", "ip": "10.0.0.99:8080"}
    targets = [
        Target("/iot/setup", 600, box_call("/iot/setup", ["identifier", "name", "ip", "version", "token"],
                                           {**identity, "name": "fuzz", "version": "1", "token": "0123456789ab.x"})),
        Target("update_certificate_status", 800, box_call(
            "/iot/box/update_certificate_status",
            ["identifier", "ip", "ssl_certificate_end_date", "subject", "error_code", "error_detail"],
            {**identity, "ssl_certificate_end_date": "2027-01-01T00:00:00Z", "subject": "*.x.odoo-iot.com",
             "error_code": None, "error_detail": None})),
        Target("XML-RPC common", 400, lambda g: g.request("POST", "/xmlrpc/2/common", g.xmlrpc_body(
            ["version", "login", "authenticate", "about", "nope"], [login[0], "<value><string>admin</string></value>",
                                                                     login[2]]))),
        Target("XML-RPC object", 700, execute_kw),
        Target("JSON-RPC", 600, jsonrpc),
        Target("admin pages", 900, page_request),
    ]
    _fuzz(stack.url, targets, seed=3)
    assert stack.system.server_command("config", "get", "database.uuid").strip() == stack.db_uuid
    status = {"identifier": "fuzz-box", "ssl_certificate_end_date": None, "subject": None, "error_code": None,
              "error_detail": None}
    envelope = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": status}
    answer = requests.post(f"{stack.url}/iot/box/update_certificate_status", json=envelope, timeout=30,
                           headers={"Authorization": f"Bearer {secret}"})
    assert answer.json()["result"] is True
    assert stack.execute("iot.box", "search_count", [("identifier", "=", "fuzz-box")]) == 1
    assert "IoT Boxes" in stack.login().get(f"{stack.url}/odoo", timeout=30).text


# -- sending and judging -------------------------------------------------------------------------------------------
def _fuzz(base_url: str, targets: list[Target], seed: int, verify: str | bool = True) -> None:
    """Send every target's requests from ``THREADS`` keep-alive sessions; fail with every bad answer."""
    jobs = [(target, n) for target in targets for n in range(target.count)]
    local = threading.local()
    problems: list[str] = []

    def new_session() -> requests.Session:
        session = requests.Session()
        session.trust_env, session.verify = False, verify
        return session

    def send(job: tuple[Target, int]) -> None:
        target, n = job
        if not hasattr(local, "session"):
            local.session = new_session()
        request = target.make(Generator(seed * 10**12 + zlib.crc32(target.name.encode()) * 10**5 + n))
        try:
            answer = local.session.request(request.method, base_url + request.path, data=request.body,
                                           headers=request.headers, cookies=request.cookies, timeout=60,
                                           allow_redirects=False)
        except requests.ConnectionError as exc:
            problems.append(f"{target.name} #{n} {request.method} {request.path[:80]}: no answer ({exc})")
            local.session = new_session()
            return
        finally:
            if len(request.body or b"") > DRAIN_LIMIT:
                local.session = new_session()
        why = _judge(request, answer)
        if why:
            problems.append(f"{target.name} #{n} {request.method} {request.path[:80]} body "
                            f"{(request.body or b'')[:120]!r}: {why}")

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, jobs))
    kinds: dict[str, list[str]] = {}
    for problem in problems:  # a few examples of each kind of failure, the kind being what the answer said
        kinds.setdefault(problem.split(": ", 1)[1][:70], []).append(problem)
    assert not problems, f"{len(problems)} of {len(jobs)} answers were not clear errors:\n" + "\n".join(
        example[:600] for examples in kinds.values() for example in examples[:3])


def _judge(request: Malformed, answer: requests.Response) -> str | None:
    """What is wrong with an answer to a malformed request, or None when it is a clear one."""
    text = answer.text
    if answer.status_code >= 500:
        return f"HTTP {answer.status_code}: {text[:300]}"
    if TRACEBACK.search(text):
        return f"a traceback in the answer: {text[:300]}"
    if request.method == "HEAD" or answer.status_code < 300 and not _is_error_document(answer):
        return None
    if 300 <= answer.status_code < 400:
        return None if answer.headers.get("Location") else f"HTTP {answer.status_code} without a Location"
    message = _message(answer)
    if UNEXPECTED.search(message):
        return f"HTTP {answer.status_code}, an unexpected exception on the server: {message[:200]}"
    if len(WORDS.findall(message)) < 2:  # words, not a bare status or an empty body
        return f"HTTP {answer.status_code} with no readable message: {text[:300]!r}"
    return None


def _is_error_document(answer: requests.Response) -> bool:
    """A 200 that is an error all the same: a JSON-RPC error or an XML-RPC fault."""
    kind = answer.headers.get("Content-Type", "")
    if "xml" in kind:
        return "<fault>" in answer.text
    try:
        return "json" in kind and isinstance(answer.json(), dict) and "error" in answer.json()
    except ValueError:
        return True  # said to be JSON and is not: judged as an error message


def _message(answer: requests.Response) -> str:
    kind = answer.headers.get("Content-Type", "")
    if "json" in kind:
        try:
            document = json.loads(answer.text)
        except ValueError:
            return ""
        error = document.get("error", document) if isinstance(document, dict) else document
        if isinstance(error, dict):
            return str(error.get("message") or error.get("description") or error.get("error") or "")
        return str(error)
    if "xml" in kind:
        try:
            xmlrpc.client.loads(answer.content)
        except xmlrpc.client.Fault as fault:
            return fault.faultString
        except Exception:  # noqa: BLE001 - not XML-RPC at all: judged as text
            pass
    return html.unescape(re.sub(r"<[^>]+>", " ", answer.text))


def _path_part(g: Generator) -> str:
    from urllib.parse import quote

    return quote(g.text()[:60], safe="")


def test_raw_garbage_on_every_socket_leaves_every_part_serving(stack):
    """Bytes that are not HTTP, TLS or DNS, and TLS handshakes left hanging: each part goes on answering."""
    system, box = stack.system, stack.box
    rng = Generator(4).rng
    tcp_ports = [system.ports.server, system.ports.odoo_com, system.ports.box_http, box.https_port]
    hanging = []
    for port in tcp_ports:
        for _ in range(25):
            raw = socket.create_connection(("127.0.0.1", port), timeout=10)
            raw.sendall(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600))))
            raw.close()
        hanging += [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(20)]  # silent
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        for _ in range(500):
            udp.sendto(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 512))), ("127.0.0.1", system.ports.dns))
    try:
        # With connections hanging on every port, each part still answers a normal client at once.
        assert stack.box_hostname.startswith("127-0-0-1.")
        assert "127.0.0.1" in _resolved_once_drained(stack.box_hostname, ("127.0.0.1", system.ports.dns))
        assert box.status()["error_code"] is None
        served_certificate(box.https_port, stack.box_hostname, system.odoo_com_ca)
        assert requests.get(f"{system.odoo_com_url}/mock/ca.pem", verify=str(system.odoo_com_ca), timeout=30).ok
        assert requests.get(f"{stack.url}/web/login", timeout=30).ok
    finally:
        for connection in hanging:
            connection.close()


def _resolved_once_drained(name: str, server: tuple[str, int]) -> list[str]:
    """The DNS answer for ``name`` once the server is through the garbage queued before the question."""
    from iot_box.dns_check import resolve

    while True:  # each try ends with the resolver's own timeout; pytest-timeout bounds the whole wait
        try:
            return resolve(name, server)
        except OSError:
            pass
