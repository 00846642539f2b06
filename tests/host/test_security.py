"""Access rights from ir.model.access.csv and groups, passwords and API keys stored hashed, parameters."""

from odoo_host.exceptions import AccessDenied, AccessError, UserError

from .common import DemoCase


class TestAccessRights(DemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"]
        cls.employee = Users.create(
            {
                "name": "Employee",
                "login": "employee",
                "password": "employee-pw",
                "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])],
            }
        )
        cls.manager = Users.create(
            {
                "name": "Manager",
                "login": "manager",
                "password": "manager-pw",
                "groups_id": [(6, 0, [cls.env.ref("host_demo.group_demo_manager").id])],
            }
        )
        cls.outsider = Users.create({"name": "Outsider", "login": "outsider", "password": "outsider-pw"})
        cls.box = cls.env["demo.box"].create({"name": "Box", "identifier": "acl-1"})

    def test_internal_user_reads_but_does_not_write(self):
        boxes = self.env["demo.box"].with_user(self.employee)
        self.assertEqual(boxes.search([("id", "=", self.box.id)]).name, "Box")
        with self.assertRaisesRegex(AccessError, "not allowed to modify 'Demo Box' \\(demo.box\\)"):
            boxes.browse(self.box.id).write({"name": "x"})
        with self.assertRaises(AccessError):
            boxes.create({"name": "x", "identifier": "x"})
        with self.assertRaises(AccessError):
            boxes.browse(self.box.id).unlink()

    def test_search_fetch_keeps_the_access_rules_of_search_and_read(self):
        boxes = self.env["demo.box"].with_user(self.employee)
        self.assertEqual(boxes.search_fetch([("id", "=", self.box.id)], ["name"]).name, "Box")
        with self.assertRaisesRegex(AccessError, "not allowed to access the field 'secret'"):
            boxes.search_fetch([], ["secret"])
        with self.assertRaises(AccessError):
            self.env["demo.box"].with_user(self.outsider).search_fetch([], ["name"])

    def test_group_gives_write_and_sudo_bypasses(self):
        self.env["demo.box"].with_user(self.manager).browse(self.box.id).write({"name": "By manager"})
        self.assertEqual(self.box.name, "By manager")
        with self.assertRaises(AccessError):
            self.env["demo.box"].with_user(self.outsider).search([])
        self.assertEqual(
            self.env["demo.box"].with_user(self.outsider).sudo().search([("id", "=", self.box.id)]), self.box
        )

    def test_parameters_need_settings_rights_but_get_param_is_sudo(self):
        params = self.env["ir.config_parameter"].with_user(self.employee)
        with self.assertRaises(AccessError):
            params.search([])
        self.assertEqual(params.get_param("database.uuid"), self.env["ir.config_parameter"].get_param("database.uuid"))
        with self.assertRaises(AccessError):
            params.set_param("demo.mode", "on")
        self.assertIs(params.sudo().set_param("demo.mode", "on"), False)

    def test_passwords_are_hashed_and_never_read(self):
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", (self.employee.id,))
        stored = self.env.cr.fetchone()[0]
        self.assertTrue(stored.startswith("scrypt$"))
        self.assertNotIn("employee-pw", stored)
        self.assertNotIn("password", self.employee.with_user(self.manager).read()[0])
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.manager).browse(self.employee.id).read(["password"])

    def test_login(self):
        Users = self.env["res.users"]
        self.env.invalidate_all()
        with self.captured_statements() as statements:
            self.assertEqual(Users._login("employee", "employee-pw"), self.employee.id)
        self.assertEqual(len(statements), 1, "the user is found with the columns the password check needs")
        for login, password in (("employee", "wrong"), ("nobody", "employee-pw"), ("employee", "")):
            with self.assertRaisesRegex(AccessDenied, "^Access Denied$"):
                Users._login(login, password)
        self.employee.active = False
        with self.assertRaises(AccessDenied):
            Users._login("employee", "employee-pw")

    def test_api_keys(self):
        key = self.env["res.users.apikeys"].with_user(self.employee)._generate("rpc", "my script")
        stored = self.env["res.users.apikeys"].search([("user_id", "=", self.employee.id)])
        self.assertEqual(stored.name, "my script")
        self.env.cr.execute("SELECT key FROM res_users_apikeys WHERE id = %s", (stored.id,))
        self.assertNotIn(key, self.env.cr.fetchone()[0])
        self.assertEqual(self.env["res.users"]._login("employee", key, api_key_scope="rpc"), self.employee.id)
        with self.assertRaises(AccessDenied):
            self.env["res.users"]._login("employee", key)  # not where a password is expected
        with self.assertRaises(AccessDenied):
            self.env["res.users"]._login("manager", key, api_key_scope="rpc")


class TestConfigParameter(DemoCase):
    def test_database_identity_exists_and_is_read_only(self):
        params = self.env["ir.config_parameter"]
        self.env.invalidate_all()
        with self.captured_statements() as statements:
            uuid = params.get_param("database.uuid")
        self.assertEqual(len(statements), 1, "the parameter's value comes with its search")
        self.assertRegex(uuid, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertRegex(params.get_param("database.create_date"), r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        with self.assertRaisesRegex(UserError, "^database.uuid is read-only$"):
            params.set_param("database.uuid", "other")
        self.assertEqual(params.get_param("database.uuid"), uuid)

    def test_set_get_and_the_addons_validation(self):
        params = self.env["ir.config_parameter"]
        self.assertIs(params.get_param("demo.mode"), False)
        self.assertEqual(params.get_param("demo.mode", "default"), "default")
        self.assertIs(params.set_param("demo.mode", "on"), False)
        self.assertEqual(params.set_param("demo.mode", "off"), "on")
        with self.assertRaisesRegex(UserError, "on or off"):
            params.set_param("demo.mode", "maybe")
        self.assertEqual(params.get_param("demo.mode"), "off")
