"""Models, fields, recordsets, computed fields, constraints and _inherit, through the demo addon."""

import datetime

from odoo_host import fields
from odoo_host.exceptions import MissingError, UserError, ValidationError

from .common import DemoCase


class TestRecords(DemoCase):
    def setUp(self):
        super().setUp()
        self.Box = self.env["demo.box"]
        self.owner = self.env["demo.owner"].create({"name": "Shop"})

    def make(self, **values):
        return self.Box.create({"name": "Box", "identifier": f"id-{len(self.Box.search([]))}", **values})

    def test_create_read_write_unlink(self):
        box = self.make(ip="10.0.0.5:8080", owner_id=self.owner.id)
        self.assertEqual(box.state, "draft", "default value")
        self.assertTrue(box.active)
        self.assertEqual(box.owner_id, self.owner, "a Many2one gives a record")
        self.assertEqual(box.owner_id.name, "Shop")
        self.assertIsInstance(box.create_date, datetime.datetime)
        self.assertEqual(box.create_uid.id, self.env.uid)
        box.write({"name": "Renamed"})
        self.assertEqual(
            box.read(["name", "owner_id"]),
            [{"id": box.id, "name": "Renamed", "owner_id": (self.owner.id, "Shop")}],
        )
        box.name = "By attribute"
        self.assertEqual(self.Box.search([("name", "=", "By attribute")]), box)
        box.unlink()
        self.assertFalse(box.exists())
        with self.assertRaises(MissingError):
            box.name  # noqa: B018

    def test_read_is_one_query_and_leaves_out_deleted_records(self):
        boxes = self.make(name="R1") | self.make(name="R2")
        gone = self.make(name="Gone")
        gone_id = gone.id
        gone.unlink()
        self.env.invalidate_all()
        with self.captured_statements() as statements:
            rows = self.Box.browse([boxes[0].id, gone_id, boxes[1].id]).read(["name"])
        self.assertEqual(rows, [{"id": boxes[0].id, "name": "R1"}, {"id": boxes[1].id, "name": "R2"}])
        self.assertEqual(len(statements), 1, "the rows' columns; a record without a row is left out")

    def test_create_many_and_empty_values(self):
        boxes = self.Box.create([{"name": "A", "identifier": "a"}, {"name": "B", "identifier": "b"}])
        self.assertEqual(len(boxes), 2)
        self.assertEqual(boxes.mapped("name"), ["A", "B"])
        self.assertIs(boxes[0].ip, False, "an empty Char reads False, as in Odoo")
        self.assertFalse(boxes[0].owner_id)
        self.assertEqual(boxes[0].owner_id._name, "demo.owner")

    def test_required_selection_and_sql_constraint(self):
        with self.assertRaisesRegex(ValidationError, "Identifier"):
            self.Box.create({"name": "No identifier"})
        with self.assertRaisesRegex(ValidationError, "Wrong value"):
            self.make(state="unknown")
        self.make(identifier="dup")
        with self.assertRaisesRegex(ValidationError, "already exists"):
            self.make(identifier="dup")
        self.assertEqual(self.Box.search_count([("identifier", "=", "dup")]), 1, "the transaction goes on")

    def test_python_constraint(self):
        with self.assertRaisesRegex(ValidationError, "contains a space"):
            self.make(ip="10.0.0.5 8080")

    def test_stored_compute_follows_its_dependencies(self):
        box = self.make(ip="10.0.0.5:8080")
        self.assertEqual(box.ip_url, "http://10.0.0.5:8080")
        box.ip = "10.0.0.6"
        self.assertEqual(self.Box.search([("ip_url", "=", "http://10.0.0.6")]), box, "stored in its column")

    def test_stored_compute_saved_with_the_write_of_one_record(self):
        box = self.make(ip="10.0.0.5")
        self.make(identifier="taken")
        with self.captured_statements() as statements:
            box.write({"ip": "10.0.0.7"})
        self.assertEqual([q for q in statements if "UPDATE" in q and "demo_box" in q], [statements[-1]])
        self.assertIn('"ip_url" = %s', statements[-1], "the computed column goes with the written one")
        with self.assertRaisesRegex(ValidationError, "already exists"):
            box.write({"identifier": "taken", "ip": "10.0.0.8"})
        self.assertEqual((box.ip, box.ip_url), ("10.0.0.7", "http://10.0.0.7"), "nothing of the refusal")

    def test_stored_compute_through_one2many(self):
        self.assertEqual(self.owner.box_count, 0)
        first = self.make(owner_id=self.owner.id)
        self.make(owner_id=self.owner.id)
        self.assertEqual(self.owner.box_count, 2)
        first.state = "paired"
        self.assertEqual(self.owner.paired_count, 1, "depends on box_ids.state")
        first.unlink()
        self.assertEqual(self.owner.box_count, 1)
        self.assertEqual(self.owner.paired_count, 0)
        other = self.env["demo.owner"].create({"name": "Other"})
        self.owner.box_ids.write({"owner_id": other.id})
        self.assertEqual((self.owner.box_count, other.box_count), (0, 1), "both owners follow the move")

    def test_computed_field_with_search(self):
        now = fields.Datetime.now()
        valid = self.make(end_date=now + datetime.timedelta(days=30))
        expired = self.make(end_date=now - datetime.timedelta(days=1))
        missing = self.make()
        self.assertEqual(
            (valid.certificate_state, expired.certificate_state, missing.certificate_state),
            ("valid", "expired", "missing"),
        )
        self.assertEqual(self.Box.search([("certificate_state", "=", "valid")]), valid)
        self.assertEqual(self.Box.search([("certificate_state", "=", "missing")]), missing)

    def test_inherit_adds_fields_and_chains_methods(self):
        box = self.make()
        result = box.action_pair()
        self.assertEqual(box.state, "paired", "the original method ran (super())")
        self.assertEqual(box.version, "17.0", "the extension's field and code")
        self.assertEqual(result["type"], "ir.actions.client")

    def test_datetimes_are_naive_utc(self):
        box = self.make(end_date="2030-01-02T03:04:05+02:00")
        self.assertEqual(box.end_date, datetime.datetime(2030, 1, 2, 1, 4, 5))
        with self.assertRaisesRegex(ValidationError, "ISO 8601"):
            box.end_date = "next tuesday"

    def test_search_order_limit_offset_count(self):
        for name in ("c", "a", "b"):
            self.make(name=name)
        names = self.Box.search([("name", "in", ["a", "b", "c"])]).mapped("name")
        self.assertEqual(names, ["a", "b", "c"], "_order is name")
        page = self.Box.search([("name", "in", ["a", "b", "c"])], order="name desc", limit=2, offset=1)
        self.assertEqual(page.mapped("name"), ["b", "a"])
        self.assertEqual(self.Box.search_count([("name", "in", ["a", "b", "c"])]), 3)
        with self.assertRaisesRegex(ValidationError, "Invalid order"):
            self.Box.search([], order="name; DROP TABLE demo_box")

    def test_active_records_are_hidden_unless_asked(self):
        box = self.make(active=False)
        self.assertFalse(self.Box.search([("id", "=", box.id)]))
        self.assertEqual(self.Box.with_context(active_test=False).search([("id", "=", box.id)]), box)
        self.assertEqual(self.Box.search([("id", "=", box.id), ("active", "=", False)]), box)
        both = box | self.make(name="A", identifier="active-a")
        self.assertEqual(both.sorted().mapped("name"), ["A", "Box"], "archived records stay in their set")
        self.assertEqual(both.sorted(reverse=True).mapped("name"), ["Box", "A"])
        self.assertEqual(both.filtered_domain([("name", "=", "Box")]), box)

    def test_recordset_operations(self):
        a, b, c = (self.make(name=n) for n in ("a", "b", "c"))
        boxes = a | b | c
        self.assertEqual(len(boxes), 3)
        self.assertEqual(boxes.filtered(lambda r: r.name != "b"), a | c)
        self.assertEqual(boxes.sorted("name", reverse=True).mapped("name"), ["c", "b", "a"])
        self.assertEqual(boxes - b, a | c)
        self.assertIn(a, boxes)
        self.assertEqual(self.Box.browse(boxes.ids).ids, boxes.ids)
        with self.assertRaises(ValueError):
            boxes.ensure_one()

    def test_one2many_commands(self):
        box = self.make()
        self.owner.write({"box_ids": [(4, box.id)]})
        self.assertEqual(box.owner_id, self.owner)
        self.owner.write({"box_ids": [(0, 0, {"name": "New", "identifier": "new"})]})
        self.assertEqual(self.owner.box_ids.mapped("name"), ["Box", "New"])
        self.owner.write({"box_ids": [(6, 0, [box.id])]})
        self.assertEqual(self.owner.box_ids, box)

    def test_many2many_commands_and_groups(self):
        user = self.env["res.users"].create({"name": "U", "login": "u"})
        manager = self.env.ref("host_demo.group_demo_manager")
        user.write({"groups_id": [(4, manager.id)]})
        self.assertTrue(user.has_group("host_demo.group_demo_manager"))
        self.assertTrue(user.has_group("base.group_user"), "implied by the manager group")
        self.assertFalse(user.has_group("base.group_system"))
        user.write({"groups_id": [(3, manager.id)]})
        self.assertFalse(user.has_group("base.group_user"))

    def test_env_ref_and_xml_data(self):
        action = self.env.ref("host_demo.action_demo_box")
        self.assertEqual((action.res_model, action.limit), ("demo.box", 20))
        self.assertEqual(self.env.ref("base.user_admin").login, "admin")
        self.assertIsNone(self.env.ref("host_demo.nothing", raise_if_not_found=False))
        cron = self.env.ref("host_demo.ir_cron_demo_sweep")
        self.assertEqual(cron.model_id.model, "demo.box")

    def test_unlink_refused_when_referenced(self):
        group = self.env["res.groups"].create({"name": "G"})
        menu = self.env["ir.ui.menu"].create({"name": "M"})
        self.env["ir.ui.menu"].create({"name": "Child", "parent_id": menu.id})
        menu.unlink()
        self.assertFalse(self.env["ir.ui.menu"].search([("name", "=", "Child")]), "ondelete cascade")
        self.assertTrue(group.exists())

    def test_many2one_names_are_read_in_one_query(self):
        owners = self.env["demo.owner"].create([{"name": f"Owner {i}"} for i in range(30)])
        boxes = self.Box.create(
            [{"name": "B", "identifier": f"m2o-{i}", "owner_id": o.id} for i, o in enumerate(owners)]
        )
        self.env.invalidate_all()
        with self.captured_statements() as statements:
            names = [box.owner_id.display_name for box in self.Box.browse(boxes.ids)]
        self.assertEqual(names, [f"Owner {i}" for i in range(30)])
        self.assertEqual(len(statements), 2, "the boxes' columns, then the owners' columns")

    def test_search_fetch_reads_the_fields_in_the_search_query(self):
        for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
            self.make(name=f"Fetched {ip}", ip=ip)
        self.env.invalidate_all()
        with self.captured_statements() as statements:
            found = self.Box.search_fetch(
                [("name", "like", "Fetched")], ["ip", "ip_url", "display_name"], limit=2, order="ip desc"
            )
            read = [(box.ip, box.ip_url) for box in found]
        self.assertEqual(read, [("10.0.0.3", "http://10.0.0.3"), ("10.0.0.2", "http://10.0.0.2")])
        self.assertEqual(len(statements), 1, "the columns come with the ids")
        self.assertEqual(found[0].name, "Fetched 10.0.0.3", "a field not fetched is read when needed")
        with self.assertRaisesRegex(ValidationError, "Invalid field 'nope'"):
            self.Box.search_fetch([], ["nope"])

    def test_display_name_is_a_computed_field(self):
        box = self.make(name="Counter")
        self.assertEqual(box.display_name, "Counter")
        self.assertEqual(self.Box.search([("display_name", "=", "Counter")]), box)
        self.assertEqual(box.read(["display_name"]), [{"id": box.id, "display_name": "Counter"}])
        cron = self.env.ref("host_demo.ir_cron_demo_sweep")
        self.assertEqual(cron.model_id.display_name, "demo.box", "_rec_name")

    def test_user_error_is_the_base_of_ours(self):
        self.assertTrue(issubclass(ValidationError, UserError))
        # what an addon (or the form's save) catches as UserError includes a refused constraint
        with self.assertRaisesRegex(UserError, "contains a space") as caught:
            self.make(ip="10.0.0.5 8080")
        self.assertIsInstance(caught.exception, ValidationError)
