"""Odoo's external API through Python's own xmlrpc.client, and the same over /jsonrpc."""

import re
import xmlrpc.client

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .common import DemoHttpCase
from .test_http import JSON_VALUES


class TestExternalApi(DemoHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = cls.registry.db_name
        cls.reader = cls.env["res.users"].create(
            {
                "name": "Reader",
                "login": "reader",
                "password": "reader-pw",
                "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])],
            }
        )
        cls.box = cls.env["demo.box"].create(
            {"name": "Api box", "identifier": "api-1", "ip": "10.0.0.1", "end_date": "2030-01-01 00:00:00"}
        )

    def setUp(self):
        super().setUp()
        self.common = xmlrpc.client.ServerProxy(self.url("/xmlrpc/2/common"))
        self.models = xmlrpc.client.ServerProxy(self.url("/xmlrpc/2/object"), allow_none=True)
        self.addCleanup(self.common("close"))
        self.addCleanup(self.models("close"))

    def admin(self, model, method, args, kwargs=None):
        uid = self.common.authenticate(self.db, "admin", "admin", {})
        return self.models.execute_kw(self.db, uid, "admin", model, method, args, kwargs or {})

    def test_common_service(self):
        self.assertEqual(self.common.version()["server_version"], "17.0")
        admin_id = self.env.ref("base.user_admin").id
        self.assertEqual(self.common.authenticate(self.db, "admin", "admin", {}), admin_id)
        self.assertEqual(self.common.login(self.db, "admin", "admin"), admin_id)
        self.assertIs(self.common.authenticate(self.db, "admin", "wrong", {}), False)

    def test_orm_methods(self):
        ids = self.admin("demo.box", "search", [[["identifier", "=", "api-1"]]])
        self.assertEqual(ids, [self.box.id])
        rows = self.admin("demo.box", "search_read", [[["id", "in", ids]]], {"fields": ["name", "end_date"]})
        self.assertEqual(rows, [{"id": self.box.id, "name": "Api box", "end_date": "2030-01-01 00:00:00"}])
        self.assertEqual(self.admin("demo.box", "search_count", [[["identifier", "like", "api-"]]]), 1)
        new_id = self.admin("demo.box", "create", [{"name": "New", "identifier": "api-2"}])
        self.assertIsInstance(new_id, int)
        self.assertTrue(self.admin("demo.box", "write", [[new_id], {"ip": "10.0.0.2"}]))
        read = self.admin(
            "demo.box", "read", [[new_id]], {"fields": ["ip_url", "owner_id", "certificate_state"]}
        )
        self.assertEqual(
            read,
            [{"id": new_id, "ip_url": "http://10.0.0.2", "owner_id": False, "certificate_state": "missing"}],
        )
        fields = self.admin("demo.box", "fields_get", [], {"attributes": ["type", "string", "selection"]})
        self.assertEqual(fields["certificate_state"]["type"], "selection")
        self.assertIn(["valid", "Valid"], fields["certificate_state"]["selection"])
        self.assertNotIn("secret", fields, "fields of no group of the user stay hidden")
        self.assertTrue(self.admin("demo.box", "unlink", [[new_id]]))
        self.assertFalse(self.env["demo.box"].browse(new_id).exists())

    def test_public_methods_of_the_model(self):
        result = self.admin("demo.box", "action_pair", [[self.box.id]])
        self.assertEqual(result["type"], "ir.actions.client")
        self.assertEqual(self.box.state, "paired")
        with self.assertRaisesRegex(xmlrpc.client.Fault, "Private methods"):
            self.admin("demo.box", "_cron_sweep", [[]])
        with self.assertRaisesRegex(xmlrpc.client.Fault, "does not exist"):
            self.admin("demo.box", "sudo", [[self.box.id]])

    def test_api_key_instead_of_password(self):
        key = self.env["res.users.apikeys"].with_user(self.reader)._generate("rpc", "script")
        uid = self.common.authenticate(self.db, "reader", key, {})
        self.assertEqual(uid, self.reader.id)
        self.assertEqual(
            self.models.execute_kw(self.db, uid, key, "demo.box", "search", [[["id", "=", self.box.id]]]),
            [self.box.id],
        )

    def test_each_call_checks_its_user_with_one_read(self):
        uid = self.common.authenticate(self.db, "reader", "reader-pw", {})
        with self.captured_statements() as statements:
            found = self.models.execute_kw(
                self.db, uid, "reader-pw", "demo.box", "search", [[["id", "=", self.box.id]]]
            )
        self.assertEqual(found, [self.box.id])
        user_reads = [q for q in statements if re.search(r"\bres_users\b", q)]
        self.assertEqual(len(user_reads), 1, "the user's row: whether it exists, is active, its password, its lang")
        for unknown in (999999, 0):
            with self.subTest(uid=unknown), self.assertRaises(xmlrpc.client.Fault) as caught:
                self.models.execute_kw(self.db, unknown, "reader-pw", "demo.box", "search", [[]])
            self.assertEqual((caught.exception.faultCode, caught.exception.faultString), (3, "Access Denied"))
        self.reader.active = False
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.models.execute_kw(self.db, uid, "reader-pw", "demo.box", "search", [[]])
        self.assertEqual((caught.exception.faultCode, caught.exception.faultString), (3, "Access Denied"))

    def test_faults_are_clear_and_access_rights_apply(self):
        uid = self.common.authenticate(self.db, "reader", "reader-pw", {})
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.models.execute_kw(
                self.db, uid, "reader-pw", "demo.box", "write", [[self.box.id], {"name": "x"}]
            )
        self.assertEqual(caught.exception.faultCode, 4)
        self.assertIn("not allowed to modify", caught.exception.faultString)
        self.assertEqual(self.box.name, "Api box")
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.models.execute_kw(self.db, uid, "wrong", "demo.box", "search", [[]])
        self.assertEqual((caught.exception.faultCode, caught.exception.faultString), (3, "Access Denied"))
        cases = [
            (("nope.model", "search", [[]]), "Object nope.model doesn't exist"),
            (("demo.box", "search", [[["nope", "=", 1]]]), "Invalid field demo.box.nope"),
            (("demo.box", "create", [{"name": "no identifier"}]), "required"),
        ]
        for call, message in cases:
            with self.subTest(call=call), self.assertRaisesRegex(xmlrpc.client.Fault, message) as caught:
                self.admin(*call)
            self.assertNotIn("Traceback", caught.exception.faultString)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "does not exist on this server"):
            self.models.execute_kw("otherdb", uid, "reader-pw", "demo.box", "search", [[]])
        response = self.url_open("/xmlrpc/2/object", data=b"<not xml", headers={"Content-Type": "text/xml"})
        self.assertIn("Not an XML-RPC request", response.text)

    def test_out_of_range_values_are_the_callers_mistake(self):
        job = self.env.ref("host_demo.ir_cron_demo_sweep").id
        with self.assertRaisesRegex(xmlrpc.client.Fault, "out of range or malformed") as caught:
            self.admin("ir.cron", "write", [[job], {"interval_number": 1e20}])
        self.assertEqual(caught.exception.faultCode, 2)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "'abc' is not a whole number"):
            self.admin("ir.cron", "write", [[job], {"interval_number": "abc"}])

    def test_failed_call_is_rolled_back(self):
        with self.assertRaisesRegex(xmlrpc.client.Fault, "contains a space"):
            self.admin("demo.box", "create", [{"name": "Half", "identifier": "half", "ip": "a b"}])
        self.assertFalse(self.env["demo.box"].search([("identifier", "=", "half")]))

    def test_jsonrpc_endpoint(self):
        def call(service, method, *args):
            response = self.make_jsonrpc_request(
                "/jsonrpc", {"service": service, "method": method, "args": args}
            )
            return response.json()

        uid = call("common", "login", self.db, "admin", "admin")["result"]
        result = call(
            "object",
            "execute_kw",
            self.db,
            uid,
            "admin",
            "demo.box",
            "search_read",
            [[["id", "=", self.box.id]]],
            {"fields": ["identifier"]},
        )
        self.assertEqual(result["result"], [{"id": self.box.id, "identifier": "api-1"}])
        error = call("object", "execute_kw", self.db, uid, "wrong", "demo.box", "search", [[]])["error"]
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessDenied")
        self.assertEqual(
            call("nope", "x")["error"]["message"], "Unknown service 'nope': use 'common', 'db' or 'object'"
        )
        nul = call("object", "execute_kw", self.db, uid, "admin", "demo.box", "search", [[["ip", "=", "\0"]]])
        self.assertIn("must not contain NUL characters", nul["error"]["message"])
        for service, method in (("object", {}), ([], "login"), (None, None)):
            with self.subTest(service=service, method=method):
                error = call(service, method, self.db)["error"]
                self.assertIn("'service' and 'method' must be names", error["message"])


class TestExternalApiMalformedCalls(DemoHttpCase):
    """Scripts send anything: every call is answered with a result or a clear error, never a server error."""

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.sampled_from(["search", "search_read", "search_count", "read", "write", "create", "unlink",
                         "fields_get", "name_search", "action_pair", "default_get", "exists", "nope"]),
        st.lists(JSON_VALUES, max_size=3),
        st.dictionaries(st.sampled_from(["fields", "limit", "offset", "order", "context", "domain", "x"]),
                        JSON_VALUES, max_size=3),
    )
    @example("unlink", [[True]], {})  # True is an int to Python, not a record id
    def test_execute_kw(self, method, args, kwargs):
        uid = self.env.ref("base.user_admin").id
        call = {"service": "object", "method": "execute_kw",
                "args": [self.registry.db_name, uid, "admin", "demo.box", method, args, kwargs]}
        response = self.make_jsonrpc_request("/jsonrpc", call)
        self.assertLess(response.status_code, 500, response.text[:300])
        self.assertIn("result" if "result" in response.json() else "error", response.json())


class TestWebApiForClientLibraries(DemoHttpCase):
    """The answers Odoo 17 gives to what client libraries call, shape by shape (tests/clients runs the libraries)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db = cls.registry.db_name
        cls.owner = cls.env["demo.owner"].create({"name": "Owner"})
        cls.box = cls.env["demo.box"].create({"name": "Web box", "identifier": "web-1", "owner_id": cls.owner.id})

    def call(self, path, **params):
        response = self.make_jsonrpc_request(path, params)
        self.assertEqual(response.status_code, 200, "Odoo answers every JSON-RPC error with HTTP 200 too")
        return response.json()

    def test_version_and_db_service(self):
        version = {
            "server_version": "17.0",
            "server_version_info": [17, 0, 0, "final", 0, ""],
            "server_serie": "17.0",
            "protocol_version": 1,
        }
        self.assertEqual(self.call("/web/webclient/version_info")["result"], version)
        self.assertEqual(self.call("/web/database/list")["result"], [self.db])
        db = xmlrpc.client.ServerProxy(self.url("/xmlrpc/2/db"))
        self.addCleanup(db("close"))
        self.assertEqual((db.list(), db.server_version()), ([self.db], "17.0"))
        self.assertEqual((db.db_exist(self.db), db.db_exist("other")), (True, False))
        with self.assertRaisesRegex(xmlrpc.client.Fault, "Unknown method 'drop' of service 'db'"):
            db.drop("admin", self.db)

    def test_session_routes(self):
        wrong = self.call("/web/session/authenticate", db=self.db, login="admin", password="wrong")["error"]
        self.assertEqual((wrong["code"], wrong["data"]["name"]), (200, "odoo.exceptions.AccessDenied"))
        self.assertEqual(wrong["data"]["message"], "Access Denied")
        other = self.call("/web/session/authenticate", db="other", login="admin", password="admin")["error"]
        self.assertIn("Database 'other' does not exist on this server", other["data"]["message"])

        info = self.call("/web/session/authenticate", db=self.db, login="admin", password="admin")["result"]
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            {k: info[k] for k in ("uid", "db", "username", "is_system", "server_version", "user_context")},
            {
                "uid": admin.id,
                "db": self.db,
                "username": "admin",
                "is_system": True,
                "server_version": "17.0",
                "user_context": {"lang": "en_US", "tz": False, "uid": admin.id},
            },
        )
        self.assertEqual(self.call("/web/session/get_session_info")["result"], info)
        self.assertIsNone(self.call("/web/session/check")["result"])
        rows = self.call(
            "/web/dataset/call_kw/demo.box/read",
            model="demo.box",
            method="read",
            args=[[self.box.id], ["owner_id"]],
            kwargs={"load": "_classic_write", "context": {"lang": "en_US"}},
        )["result"]
        self.assertEqual(rows, [{"id": self.box.id, "owner_id": self.owner.id}])
        refused = self.call("/web/dataset/call_kw", model="demo.box", method="_cron_sweep", args=[[]], kwargs={})
        self.assertEqual(refused["error"]["data"]["name"], "odoo.exceptions.AccessError")

        self.assertIsNone(self.call("/web/session/destroy")["result"])
        expired = self.call("/web/session/get_session_info")["error"]
        self.assertEqual((expired["code"], expired["data"]["name"]), (100, "odoo.http.SessionExpiredException"))

    def test_orm_answers_as_odoo_17(self):
        admin = self.env.ref("base.user_admin")
        uid = xmlrpc.client.ServerProxy(self.url("/xmlrpc/2/common")).authenticate(self.db, "admin", "admin", {})
        models = xmlrpc.client.ServerProxy(self.url("/xmlrpc/2/object"), allow_none=True)
        self.addCleanup(models("close"))

        def execute(model, method, *args, **kwargs):
            return models.execute_kw(self.db, uid, "admin", model, method, list(args), kwargs)

        self.assertEqual(execute("res.users", "context_get"), {"lang": "en_US", "tz": False, "uid": admin.id})
        self.assertEqual(execute("demo.box", "name_get", [self.box.id]), [[self.box.id, "Web box"]])
        self.assertEqual(
            execute("demo.box", "read", [self.box.id], ["display_name", "owner_id"]),
            [{"id": self.box.id, "display_name": "Web box", "owner_id": [self.owner.id, "Owner"]}],
        )
        self.assertEqual(
            execute("ir.model.data", "check_object_reference", "base", "user_admin"), ["res.users", admin.id]
        )
        fields = execute("demo.box", "fields_get", ["name", "owner_id"])
        self.assertEqual(
            fields["owner_id"],
            {
                "name": "owner_id",
                "type": "many2one",
                "string": "Owner",
                "relation": "demo.owner",
                "domain": [],
                "context": {},
                "required": False,
                "readonly": False,
                "store": True,
                "manual": False,
                "company_dependent": False,
                "change_default": False,
                "exportable": True,
                "depends": [],
                "searchable": True,
                "sortable": True,
                "groupable": True,
            },
        )
        self.assertEqual(execute("demo.owner", "fields_get", ["box_ids"])["box_ids"]["relation_field"], "owner_id")
        dutch = execute("demo.box", "fields_get", ["end_date"], ["string"], context={"lang": "nl_NL"})
        self.assertEqual(dutch, {"end_date": {"string": "Geldig tot"}}, "the call's context names the language")
        legacy = xmlrpc.client.ServerProxy(self.url("/xmlrpc/object"))
        self.addCleanup(legacy("close"))
        with self.assertRaises(xmlrpc.client.Fault) as denied:
            legacy.execute_kw(self.db, uid, "wrong", "demo.box", "search", [[]])
        self.assertEqual((denied.exception.faultCode, denied.exception.faultString), ("AccessDenied", "Access Denied"))


class TestWebApiMalformedCalls(DemoHttpCase):
    """Client libraries and scripts send anything to the web client's JSON routes: a result or a clear error."""

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.sampled_from(["/web/session/authenticate", "/web/dataset/call_kw", "/web/dataset/call_kw/demo.box/read",
                         "/web/database/list", "/web/webclient/version_info", "/web/session/get_session_info"]),
        st.fixed_dictionaries(
            {},
            optional={
                "db": JSON_VALUES, "login": JSON_VALUES, "password": JSON_VALUES,
                "model": st.sampled_from(["demo.box", "res.users", "nope"]) | JSON_VALUES,
                "method": st.sampled_from(["read", "search_read", "name_get", "fields_get", "x"]) | JSON_VALUES,
                "args": JSON_VALUES, "kwargs": JSON_VALUES,
            },
        ),
        st.booleans(),
    )
    def test_web_routes(self, path, params, logged_in):
        if logged_in:
            self.make_jsonrpc_request(
                "/web/session/authenticate", {"db": self.registry.db_name, "login": "admin", "password": "admin"}
            )
        response = self.make_jsonrpc_request(path, params)
        self.assertEqual(response.status_code, 200, "errors_with_status=False: an error is in the body only")
        answer = response.json()
        self.assertIn("result" if "result" in answer else "error", answer)
        if "error" in answer:
            self.assertNotIn("Internal server error", answer["error"]["message"])
