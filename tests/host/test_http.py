"""Routes over real HTTP: JSON-RPC answers and errors, auth methods, login, CSRF, the web client's pages."""

import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

import odoo_host
from odoo_host.security import hash_secret

from .common import DemoHttpCase

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


class TestJsonRpcRoutes(DemoHttpCase):
    def test_result_and_params(self):
        response = self.make_jsonrpc_request("/demo/echo", {"text": "ab", "times": 2})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"jsonrpc": "2.0", "id": 1, "result": {"text": "abab"}})

    def test_malformed_requests_get_clear_errors(self):
        cases = [
            (b"{not json", -32700, "Parse error"),
            (b"[" * 100000, -32700, "Parse error"),
            (b"\xff\xfe", -32700, "Parse error"),
            (b"[1, 2]", -32600, "Invalid Request"),
            (b'{"params": [1]}', -32602, "must be an object"),
            (b'{"params": {"text": "a", "colour": "red"}}', -32602, "unexpected colour"),
            (b'{"params": {}}', -32602, "missing a required argument: 'text'"),
        ]
        for body, code, message in cases:
            with self.subTest(body=body):
                response = self.opener.post(
                    self.url("/demo/echo"),
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=30,
                )
                self.assertEqual(response.status_code, 400)
                error = response.json()["error"]
                self.assertEqual(error["code"], code)
                self.assertIn(message, error["message"])

    def test_user_error_message_and_no_traceback(self):
        response = self.make_jsonrpc_request("/demo/fail", {"kind": "user"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["error"]["message"], "This cannot be done")
        self.assertEqual(response.json()["error"]["data"]["name"], "odoo.exceptions.UserError")
        with self.assertLogs("odoo_host.http", "ERROR"):
            response = self.make_jsonrpc_request("/demo/fail", {"kind": "bug"})
        self.assertEqual(response.status_code, 500)
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("ZeroDivision", response.text)
        self.assertIn("server log", response.json()["error"]["message"])

    def test_input_postgresql_refuses_is_a_client_error(self):
        response = self.make_jsonrpc_request("/demo/echo", {"text": "a\x00b"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("NUL", response.json()["error"]["message"])
        self.authenticate("admin", "admin")
        self.assertEqual(self.url_open("/odoo/action-host_demo.action_demo_box/99999999999").status_code, 404)
        self.assertEqual(self.url_open("/odoo/action-host_demo.action_demo_box?q=a%00b").status_code, 400)

    def test_get_is_refused_on_a_jsonrpc_route(self):
        self.assertEqual(self.url_open("/demo/echo").status_code, 405)

    def test_auth_box(self):
        box = self.env["demo.box"].create({"name": "B", "identifier": "box-1", "secret": hash_secret("s3cret")})
        headers = {"X-Box": "box-1", "Authorization": "Bearer s3cret"}
        response = self.make_jsonrpc_request("/demo/box/report", {"ip": "10.0.0.9"}, headers)
        self.assertEqual(response.json()["result"], {"identifier": "box-1", "ip_url": "http://10.0.0.9"})
        self.assertEqual(box.ip, "10.0.0.9", "the request ran in the test's transaction")
        for bad in ({"X-Box": "box-1", "Authorization": "Bearer wrong"}, {"X-Box": "box-1"}, {}):
            with self.subTest(headers=bad):
                response = self.make_jsonrpc_request("/demo/box/report", {"ip": "1.2.3.4"}, bad)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"]["message"], "Unknown box or wrong box secret")
        self.assertEqual(box.ip, "10.0.0.9")

    def test_auth_user_needs_a_session(self):
        response = self.make_jsonrpc_request("/demo/whoami")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"]["code"], 100)
        self.authenticate("admin", "admin")
        self.assertEqual(
            self.make_jsonrpc_request("/demo/whoami").json()["result"], {"login": "admin", "lang": "en_US"}
        )


class TestWebClient(DemoHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.env["demo.owner"].create({"name": "Owner <b>bold</b>"})
        cls.env["demo.box"].create(
            [
                {
                    "name": f"Box {i:02d}",
                    "identifier": f"web-{i:02d}",
                    "ip": f"10.0.0.{i}",
                    "owner_id": cls.owner.id,
                }
                for i in range(25)
            ]
        )
        cls.evil = cls.env["demo.box"].create(
            {"name": "<script>alert(1)</script>\x07", "identifier": "evil", "ip": "javascript:alert(1)"}
        )
        cls.list_url = "/odoo/action-host_demo.action_demo_box"

    def page(self, path):
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return html.fromstring(response.text)

    def test_pages_need_a_login(self):
        response = self.url_open(self.list_url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers["Location"], "/web/login?redirect=%2Fodoo%2Faction-host_demo.action_demo_box")

    def test_login_form_needs_csrf_and_the_right_password(self):
        response = self.url_open("/web/login", {"login": "admin", "password": "admin"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("CSRF", response.text)
        response = self.url_open("/web/login", {"login": "admin", "password": "nope", "csrf_token": self.csrf_token()})
        self.assertEqual(response.status_code, 401)
        self.assertIn("Wrong login/password", response.text)
        elsewhere = (
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/odoo\r\nSet-Cookie: x=1",
        )
        for target in elsewhere:
            response = self.url_open(
                "/web/login",
                {"login": "admin", "password": "admin", "redirect": target, "csrf_token": self.csrf_token()},
                allow_redirects=False,
            )
            self.assertEqual(response.headers["Location"], "/odoo", f"no redirect to {target!r}")
        form = {"login": "admin", "password": "admin", "redirect": "/odoo?x=1"}
        form["csrf_token"] = self.csrf_token()
        response = self.url_open("/web/login", form, allow_redirects=False)
        self.assertEqual(response.headers["Location"], "/odoo?x=1")
        cookie = response.headers["Set-Cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)

    def test_sessions_are_stored_hashed_and_logout_ends_them(self):
        self.authenticate("admin", "admin")
        sid = self.opener.cookies["session_id"]
        self.cr.execute("SELECT count(*) FROM ir_session WHERE sid_hash = %s", (sid,))
        self.assertEqual(self.cr.fetchone()[0], 0, "the cookie's value is not in the database")
        self.cr.execute("UPDATE ir_session SET expiration = expiration - interval '2 days'")
        self.url_open("/odoo")
        self.cr.execute(
            "SELECT expiration > (now() at time zone 'UTC') + interval '6 days' FROM ir_session WHERE uid IS NOT NULL"
        )
        self.assertEqual(self.cr.fetchall(), [(True,)], "a session in use lives on")
        page = self.page("/odoo")
        token = page.xpath("//form[@action='/web/logout']/input[@name='csrf_token']/@value")[0]
        self.url_open("/web/logout", {"csrf_token": token})
        self.assertEqual(self.url_open("/odoo", allow_redirects=False).status_code, 303)

    def test_menus_follow_groups(self):
        self.authenticate("admin", "admin")
        with self.captured_statements() as statements:
            page = self.page("/odoo")
        self.assertEqual(page.xpath("//main//li/strong/text()"), ["Demo"])
        self.assertEqual(page.xpath("//main//li/ul/li/a/text()"), ["Boxes"], "Owners needs the demo manager group")
        self.assertEqual(page.xpath("//nav//a/@href"), [self.list_url], "the top bar opens the first action")
        menu_reads = [q for q in statements if 'FROM "ir_ui_menu"' in q]
        self.assertEqual(len(menu_reads), 1, "the page and its top bar share one search of the menus, with their rows")

    def test_list_escapes_searches_filters_and_paginates(self):
        self.authenticate("admin", "admin")
        page = self.page(self.list_url)
        self.assertEqual(page.xpath("//h1/text()"), ["Boxes"])
        self.assertEqual(page.xpath("//div[@class='pager']/span/text()"), ["1-20 / 26"])
        self.assertFalse(page.xpath("//script"), "values are text, never markup")
        self.assertIn("<script>alert(1)</script>", page.xpath("//tbody//td[1]//span/text()"))
        self.assertFalse(page.xpath("//a[starts-with(@href, 'javascript')]"))
        headers = page.xpath("//thead//th//text()")
        self.assertEqual(headers[:4], ["Name", "Identifier", "URL", "Owner"])
        self.assertIn("Owner <b>bold</b>", page.xpath("//tbody//td[4]//span/text()"))
        second = self.page(page.xpath("//a[@rel='next']/@href")[0])
        self.assertEqual(second.xpath("//div[@class='pager']/span/text()"), ["21-26 / 26"])
        found = self.page(self.list_url + "?q=web-07")
        self.assertEqual(found.xpath("//tbody//td[2]//span/text()"), ["web-07"])
        self.env["demo.box"].search([("identifier", "=", "web-03")]).action_pair()
        paired = self.page(self.list_url + "?filters=paired")
        self.assertEqual(paired.xpath("//tbody//td[2]//span/text()"), ["web-03"])
        ordered = self.page(self.list_url + "?order=identifier+desc")
        self.assertEqual(ordered.xpath("//tbody/tr[1]/td[2]//span/text()"), ["web-24"])

    def test_form_shows_fields_and_runs_buttons(self):
        self.authenticate("admin", "admin")
        box = self.env["demo.box"].search([("identifier", "=", "web-05")])
        page = self.page(f"{self.list_url}/{box.id}")
        self.assertEqual(page.xpath("//h1/text()"), ["Box 05"])
        self.assertEqual(page.xpath("//dd/a/@href"), ["http://10.0.0.5"], "widget url")
        self.assertFalse(page.xpath("//label[text()='Version']"), "invisible while empty")
        button = page.xpath("//form[.//button[text()='Pair']]")[0]
        fields = dict(button.form_values())
        self.assertEqual(fields["method"], "action_pair")
        response = self.url_open(button.get("action"), fields)
        self.assertEqual(response.status_code, 200)
        after = html.fromstring(response.text)
        self.assertEqual(after.xpath("//div[@class='flash']/text()"), ["Box paired"])
        self.assertFalse(after.xpath("//button[text()='Pair']"), "invisible once paired")
        self.assertEqual(after.xpath("//input[@name='version']/@value"), ["17.0"])
        self.assertEqual(box.state, "paired")

    def test_a_notification_gives_its_value_to_copy_as_text(self):
        self.authenticate("admin", "admin")
        name = 'Box <b>1</b> & "Bar" <script>window.injected = 1</script>'
        box = self.env["demo.box"].create({"name": name, "identifier": "web-copy"})
        button = self.page(f"{self.list_url}/{box.id}").xpath("//form[.//button[text()='Share']]")[0]
        after = html.fromstring(self.url_open(button.get("action"), dict(button.form_values())).text)
        notice = after.xpath("//div[@class='flash']")[0]
        self.assertEqual(notice.text, "Send this name to the installer:")
        self.assertEqual(notice.xpath(".//input[@readonly][@aria-label='Name']/@value"), [name], "copied whole")
        self.assertEqual(notice.xpath(".//button[@data-copy='flash-copy']/text()"), ["Copy"])
        self.assertFalse(after.xpath("//main//b | //main//script[not(@src)]"), "the value is text, never markup")
        script = self.url_open(notice.xpath(".//script/@src")[0])
        self.assertEqual(script.headers["Content-Type"], "text/javascript; charset=utf-8")
        self.assertIn("navigator.clipboard.writeText", script.text)
        again = self.page(f"{self.list_url}/{box.id}")
        self.assertFalse(again.xpath("//div[@class='flash'] | //input[@id='flash-copy']"), "shown once")

    def test_form_edits_the_fields_it_may(self):
        self.authenticate("admin", "admin")
        box = self.env["demo.box"].search([("identifier", "=", "web-07")])
        url = f"{self.list_url}/{box.id}"
        page = self.page(url)
        form = page.xpath("//form[@action=$url]", url=f"{url}/save")[0]
        inputs = {element.get("name") for element in form.xpath(".//input | .//select | .//textarea")}
        self.assertEqual(
            inputs - {"csrf_token"},
            {"name", "owner_id", "end_date", "note"},
            "not the readonly identifier, the computed fields or the header's state",
        )
        owner = form.xpath(".//select[@name='owner_id']/option[@selected]/text()")
        self.assertEqual(owner, ["Owner <b>bold</b>"])
        values = dict(form.form_values())
        values.update(name="Renamed", note="Line 1\nLine 2", end_date="2031-02-03T04:05", owner_id="")
        after = html.fromstring(self.url_open(form.get("action"), values).text)
        self.assertEqual(after.xpath("//div[@class='flash']/text()"), ["Saved"])
        self.assertEqual((box.name, box.note, box.owner_id.id), ("Renamed", "Line 1\nLine 2", False))
        self.assertEqual(box.end_date, datetime.datetime(2031, 2, 3, 4, 5))
        self.assertEqual(box.identifier, "web-07")
        values.update(name="", csrf_token=self.csrf_token(url))
        refused = html.fromstring(self.url_open(form.get("action"), values).text)
        message = refused.xpath("//div[@class='flash error']/text()")
        self.assertEqual(message, ["The field 'Name' is required."])
        self.assertEqual(box.name, "Renamed", "nothing saved")
        self.assertEqual(self.url_open(form.get("action"), {"name": "x"}).status_code, 400, "no CSRF token")

    def test_read_only_users_get_no_inputs(self):
        self.env["res.users"].create(
            {
                "name": "Reader",
                "login": "reader",
                "password": "reader-pw",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        self.authenticate("reader", "reader-pw")
        box = self.env["demo.box"].search([("identifier", "=", "web-08")])
        page = self.page(f"{self.list_url}/{box.id}")
        self.assertFalse(page.xpath("//input[@name='name'] | //form[contains(@action, '/save')]"))
        response = self.url_open(
            f"{self.list_url}/{box.id}/save", {"name": "x", "csrf_token": self.csrf_token(f"{self.list_url}/{box.id}")}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(box.name, "Box 08")

    def test_buttons_need_csrf_and_exist_on_the_form(self):
        self.authenticate("admin", "admin")
        box = self.env["demo.box"].search([("identifier", "=", "web-06")])
        url = f"{self.list_url}/{box.id}/button"
        self.assertEqual(self.url_open(url, {"method": "action_pair"}).status_code, 400)
        options = self.opener.options(self.url(url), params={"method": "action_pair"}, timeout=30)
        self.assertEqual(options.status_code, 405)
        self.assertEqual(box.state, "draft", "no method but GET runs a route without a CSRF token")
        token = self.csrf_token(f"{self.list_url}/{box.id}")
        response = self.url_open(url, {"method": "unlink", "csrf_token": token})
        self.assertEqual(response.status_code, 400)
        self.assertIn("This button does not exist on this form.", response.text)
        self.assertTrue(box.exists())

    def test_access_rights_apply_to_pages(self):
        self.env["res.users"].create({"name": "Nobody", "login": "nobody", "password": "nobody-pw"})
        self.authenticate("nobody", "nobody-pw")
        response = self.url_open(self.list_url)
        self.assertEqual(response.status_code, 403)
        self.assertIn("not allowed to read", response.text)
        self.assertEqual(self.url_open("/odoo/action-host_demo.nothing").status_code, 404)

    def test_translated_for_the_users_language(self):
        self.env["res.users"].create(
            {
                "name": "Nl",
                "login": "nl",
                "password": "nl-pw",
                "lang": "nl_NL",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        self.authenticate("nl", "nl-pw")
        page = self.page(self.list_url)
        self.assertEqual(page.xpath("//h1/text()"), ["Boxen"])
        self.assertIn("Geldig tot", page.xpath("//thead//th//text()"))
        self.assertIn("Gekoppeld", page.xpath("//div[@class='filters']/a/text()"))

    def test_public_page_uses_the_browsers_language_and_layout(self):
        response = self.url_open("/demo/hello?name=<i>you</i>", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
        page = html.fromstring(response.text)
        self.assertEqual(page.xpath("//h1/text()"), ["Hallo"])
        self.assertEqual(page.xpath("//main/p/text()"), ["Hallo <i>you</i>"])
        self.assertFalse(page.xpath("//main//i"), "the parameter is text, not markup")
        self.assertEqual(response.headers["X-Frame-Options"], "DENY")
        english = html.fromstring(self.url_open("/demo/hello").text)
        self.assertEqual(english.xpath("//h1/text()"), ["Hello"])
        self.assertEqual(self.url_open("/web/static/style.css").headers["Content-Type"], "text/css; charset=utf-8")

    def test_static_files_are_served_whole_and_cacheable(self):
        static = Path(odoo_host.__file__).parent / "static"
        for name, content_type in [("style.css", "text/css"), ("copy.js", "text/javascript")]:
            for _twice in range(2):  # the same answer when asked again
                response = self.url_open(f"/web/static/{name}")
                self.assertEqual(response.content, (static / name).read_bytes())
                self.assertEqual(response.headers["Content-Type"], f"{content_type}; charset=utf-8")
                self.assertEqual(response.headers["Cache-Control"], "public, max-age=3600")


class TestMalformedInput(DemoHttpCase):
    """Whatever a client sends, the answer is a clear error, never a server error or a traceback."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["demo.box"].create({"name": "Fuzz", "identifier": "fuzz-1"})

    def check(self, response):
        self.assertLess(response.status_code, 500, response.text[:300])
        self.assertNotIn("Traceback", response.text)

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=4), JSON_VALUES)
    def test_jsonrpc_params(self, params, rpc_id):
        body = {"jsonrpc": "2.0", "id": rpc_id, "params": params}
        for path in ("/demo/echo", "/demo/box/report", "/jsonrpc"):
            self.check(self.opener.post(self.url(path), json=body, timeout=30))

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.dictionaries(
            st.sampled_from(
                [
                    "q",
                    "filters",
                    "order",
                    "offset",
                    "limit",
                    "method",
                    "login",
                    "password",
                    "redirect",
                    "csrf_token",
                    "name",
                ]
            ),
            st.text(max_size=40),
            max_size=5,
        )
    )
    def test_web_client_parameters(self, params):
        if not self.opener.cookies.get("session_id"):
            self.authenticate("admin", "admin")
        box = self.env["demo.box"].search([("identifier", "=", "fuzz-1")])
        form = f"/odoo/action-host_demo.action_demo_box/{box.id}"
        for path in ("/odoo/action-host_demo.action_demo_box", form, "/demo/hello", "/web/login"):
            self.check(self.url_open(path, params=params))
        self.check(self.url_open(f"{form}/button", dict(params)))
        token = {"csrf_token": self.csrf_token(form)}
        for field in ("name", "end_date", "owner_id", "note"):  # what a tampered form could send
            self.check(self.url_open(f"{form}/save", {**params, **token, field: params.get("q", "x")}))
