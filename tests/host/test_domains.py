"""Odoo domains to SQL: every operator, the prefix operators, dotted paths; values always as parameters."""

from odoo_host import domains
from odoo_host.exceptions import ValidationError

from .common import DemoCase


class TestDomains(DemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Box = cls.env["demo.box"]
        cls.shop = cls.env["demo.owner"].create({"name": "Shop"})
        cls.cafe = cls.env["demo.owner"].create({"name": "Cafe"})
        cls.a = Box.create(
            {"name": "Alpha", "identifier": "dom-a", "ip": "10.0.0.1", "owner_id": cls.shop.id}
        )
        cls.b = Box.create(
            {"name": "beta", "identifier": "dom-b", "owner_id": cls.cafe.id, "state": "paired"}
        )
        cls.c = Box.create({"name": "Gamma 100%", "identifier": "dom-c"})
        cls.all = cls.a | cls.b | cls.c

    def find(self, domain):
        return self.env["demo.box"].search([("identifier", "like", "dom-")] + domain)

    def test_comparison_operators(self):
        self.assertEqual(self.find([("name", "=", "Alpha")]), self.a)
        self.assertEqual(self.find([("name", "!=", "Alpha")]), self.b | self.c)
        self.assertEqual(self.find([("id", ">", self.a.id), ("id", "<=", self.b.id)]), self.b)
        self.assertEqual(self.find([("id", ">=", self.b.id)]), self.b | self.c)
        self.assertEqual(self.find([("id", "<", self.b.id)]), self.a)

    def test_in_and_false(self):
        self.assertEqual(self.find([("identifier", "in", ["dom-a", "dom-c"])]), self.a | self.c)
        self.assertEqual(self.find([("identifier", "not in", ["dom-a"])]), self.b | self.c)
        self.assertEqual(self.find([("identifier", "in", [])]), self.env["demo.box"])
        self.assertEqual(self.find([("ip", "=", False)]), self.b | self.c, "False is IS NULL")
        self.assertEqual(self.find([("ip", "!=", False)]), self.a)
        self.assertEqual(self.find([("ip", "!=", "10.0.0.1")]), self.b | self.c, "NULL is different too")
        self.assertEqual(self.find([("owner_id", "in", [self.shop.id, False])]), self.a | self.c)

    def test_like_operators(self):
        self.assertEqual(self.find([("name", "ilike", "ALPH")]), self.a)
        self.assertEqual(self.find([("name", "like", "ALPH")]), self.env["demo.box"])
        self.assertEqual(self.find([("name", "not ilike", "a")]), self.env["demo.box"])
        self.assertEqual(self.find([("name", "=like", "b%")]), self.b)
        self.assertEqual(self.find([("name", "=ilike", "B%")]), self.b)
        self.assertEqual(self.find([("name", "ilike", "100%")]), self.c)

    def test_prefix_operators(self):
        self.assertEqual(self.find(["|", ("name", "=", "Alpha"), ("name", "=", "beta")]), self.a | self.b)
        self.assertEqual(self.find(["!", ("name", "=", "Alpha")]), self.b | self.c)
        self.assertEqual(
            self.find(["&", ("state", "=", "paired"), "|", ("name", "=", "beta"), ("name", "=", "x")]), self.b
        )

    def test_paths_through_relations(self):
        self.assertEqual(self.find([("owner_id.name", "=", "Cafe")]), self.b)
        self.assertEqual(self.find([("owner_id", "=", "Shop")]), self.a, "a name matches the display name")
        owners = self.env["demo.owner"].search([("box_ids.identifier", "=", "dom-a")])
        self.assertEqual(owners, self.shop)
        self.assertEqual(
            self.env["demo.owner"].search(
                [("id", "in", (self.shop | self.cafe).ids), ("box_ids", "=", False)]
            ),
            self.env["demo.owner"],
        )

    def test_values_are_parameters(self):
        hostile = "x'); DROP TABLE demo_box; --"
        self.assertFalse(self.find([("name", "=", hostile)]))
        condition, params = domains.to_sql(self.env["demo.box"], [("name", "=", hostile)])
        self.assertNotIn(hostile, condition)
        self.assertEqual(params, [hostile])
        self.assertEqual(len(self.find([])), 3, "the table is still there")

    def test_bad_domains_say_what_is_wrong(self):
        with self.assertRaisesRegex(ValidationError, "Invalid field demo.box.nope"):
            self.find([("nope", "=", 1)])
        with self.assertRaisesRegex(ValidationError, "Invalid operator"):
            self.find([("name", "~", "x")])
        with self.assertRaisesRegex(ValidationError, "Invalid domain"):
            self.find(["|", ("name", "=", "x")])
        with self.assertRaisesRegex(ValueError, "identifier"):
            domains.quote('name"; --')
        with self.assertRaisesRegex(ValidationError, "expected text, numbers, dates"):
            self.find([("name", "=", {"a": 1})])
        with self.assertRaisesRegex(ValidationError, "whole numbers as offset"):
            self.env["demo.box"].search([], limit="ten")

    def test_normalize_adds_implicit_and(self):
        self.assertEqual(
            domains.normalize([("a", "=", 1), ("b", "=", 2)]), ["&", ("a", "=", 1), ("b", "=", 2)]
        )
        self.assertEqual(
            domains.normalize(["|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)]),
            ["&", "|", ("a", "=", 1), ("b", "=", 2), ("c", "=", 3)],
        )
