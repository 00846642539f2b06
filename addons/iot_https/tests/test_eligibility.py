"""Eligibility on the server's own data: each rule of docs/protocols.md §6 in odoo.com's order, explained in the
documentation's words."""

from datetime import timedelta

from odoo import fields
from odoo.addons.iot_https.models.iot_subscription import _parse_facts
from odoo.exceptions import ValidationError
from odoo.tests.common import TransactionCase

from .common import ENTERPRISE_CODE, box_params, odoo_com_unreachable, token_from_connection_string


def facts(
    state="in_progress",
    lines=(("iot_box", 1),),
    kind="production",
    known=True,
    registered=True,
    added_at="2026-01-10T08:00:00Z",
):
    """The /publisher-warranty/ answer for one situation, as odoo.com would send it."""
    subscription = {
        "code": ENTERPRISE_CODE,
        "state": state,
        "lines": [{"product": p, "quantity": q, "added_at": added_at} for p, q in lines],
    }
    database = {"db_uuid": "ignored", "kind": kind, "subscription": ENTERPRISE_CODE}
    return _parse_facts(
        {
            "subscription": subscription if known else None,
            "database": database if known and registered else None,
            "production_database": known and registered and kind == "production",
        }
    )


class TestEligibility(TransactionCase):
    def setUp(self):
        super().setUp()
        self.params = self.env["ir.config_parameter"]
        self.params.set_param("database.enterprise_code", ENTERPRISE_CODE)
        self.params.set_param("database.environment", "production")
        self.params.set_param("database.is_neutralized", "False")
        self.subscription = self.env["iot.subscription"]._get_main()

    def _verdict(self, **situation):
        self.subscription._store_facts(ENTERPRISE_CODE, facts(**situation))
        return self.env["iot.eligibility"]._evaluate()

    def test_eligible(self):
        verdict = self._verdict()
        self.assertEqual((verdict["eligible"], verdict["reason"]), (True, False))
        self.assertIn("meets the eligibility criteria", verdict["message"])

    def test_each_rule_with_the_seed_words(self):
        cases = [
            ({"known": False}, "unknown_subscription", "No IoT box subscription is linked to your account"),
            ({"registered": False}, "unknown_database", "is not registered with the Odoo subscription"),
            ({"kind": "staging"}, "database_not_production", "must be a production instance"),
            ({"kind": "duplicate"}, "database_not_production", "may not be a copy, duplicate"),
            ({"state": "paused"}, "subscription_not_in_progress", "must be ongoing (In Progress status)"),
            ({"state": "closed"}, "subscription_not_in_progress", "it is Closed"),
            ({"lines": ()}, "no_iot_box_line", "must have an IoT box subscription line"),
            ({"lines": (("other", 3),)}, "no_iot_box_line", "must have an IoT box subscription line"),
            ({"lines": (("iot_box", 0),)}, "no_iot_box_line", "must have an IoT box subscription line"),
        ]
        for situation, reason, words in cases:
            with self.subTest(situation=situation):
                verdict = self._verdict(**situation)
                self.assertEqual((verdict["eligible"], verdict["reason"]), (False, reason))
                self.assertIn(words, verdict["message"])

    def test_rules_apply_in_odoo_com_order(self):
        # Several rules fail: the first in the order of docs/protocols.md §6 is the reason, as odoo.com would answer.
        verdict = self._verdict(kind="development", state="closed", lines=())
        self.assertEqual(verdict["reason"], "database_not_production")
        verdict = self._verdict(registered=False, state="closed")
        self.assertEqual(verdict["reason"], "unknown_database")

    def test_the_servers_own_identity_makes_it_a_non_production_database(self):
        self.params.set_param("database.is_neutralized", "True")
        verdict = self._verdict()
        self.assertEqual(verdict["reason"], "database_not_production")
        self.assertIn("neutralized", verdict["message"])
        self.params.set_param("database.is_neutralized", "False")
        self.params.set_param("database.environment", "development")
        verdict = self._verdict()
        self.assertEqual(verdict["reason"], "database_not_production")
        self.assertIn("environment is development", verdict["message"])

    def test_no_enterprise_code_is_an_unknown_subscription(self):
        self._verdict()
        self.params.set_param("database.enterprise_code", "")
        self.assertEqual(self.env["iot.eligibility"]._evaluate()["reason"], "unknown_subscription")

    def test_a_changed_enterprise_code_invalidates_the_stored_facts(self):
        self._verdict()
        self.params.set_param("database.enterprise_code", "M-OTHER-0002")
        verdict = self.env["iot.eligibility"]._evaluate()
        self.assertEqual(verdict["reason"], "check_failed")
        self.assertIn("synchronise now", verdict["message"])

    def test_the_subscription_page_reads_the_identity_parameters_once(self):
        self._verdict()
        self.env.invalidate_all()  # as at the start of a request
        names = ["eligible", "eligibility_reason", "database_environment", "enterprise_code_set"]
        with self.captured_statements() as statements:
            [shown] = self.subscription.read(names)
        self.assertEqual([shown[name] for name in names], [True, False, "production", True])
        lookups = [s for s in statements if '"ir_config_parameter"."key" = ' in s]
        self.assertEqual(len(lookups), 4, statements)  # uuid, enterprise code, environment, neutralized

    def test_message_in_dutch(self):
        self._verdict(kind="staging")
        verdict = self.env["iot.eligibility"].with_context(lang="nl_NL")._evaluate()
        self.assertIn("De database moet een productie-instantie zijn", verdict["message"])

    def test_check_says_it_could_not_check_when_odoo_com_is_unreachable(self):
        with odoo_com_unreachable():
            verdict = self.env["iot.eligibility"].check()
        self.assertEqual((verdict["eligible"], verdict["reason"]), (False, "check_failed"))
        self.assertIn("could not be reached", verdict["message"])
        self.assertNotIn(ENTERPRISE_CODE, verdict["message"])
        self.assertTrue(verdict["checked_at"].endswith("Z"))
        self.assertIn("could not be reached", self.subscription.last_sync_error)

    def test_unexpected_answers_from_odoo_com_are_refused(self):
        for answer in (
            {},
            {"subscription": {"state": "bogus"}, "database": None},
            {"subscription": None, "database": {"kind": "mainframe"}},
            {"subscription": {"state": "in_progress", "lines": [{"quantity": 1}]}, "database": None},
        ):
            with self.assertRaises((KeyError, ValueError)):
                _parse_facts(answer)

    def test_box_connected_before_the_iot_line_was_added_is_flagged(self):
        self.params.set_param("database.enterprise_code", ENTERPRISE_CODE)
        connection = self.env["iot.connect.token"]._issue("http://server.test")
        box, _secret = self.env["iot.box"]._pair_with_token(
            token_from_connection_string(connection), box_params()
        )
        box.write({"connected_at": fields.Datetime.now() - timedelta(days=30)})
        self._verdict(lines=())
        self.assertFalse(box.connected_before_iot_line)
        self._verdict()  # the line was added on 2026-01-10
        box.write({"connected_at": fields.Datetime.to_datetime("2026-01-01 00:00:00")})
        self.assertTrue(box.connected_before_iot_line)
        self.assertIn(
            "refresh the IoT system's homepage or reboot/restart the IoT system to regenerate the "
            "HTTPS "
            "certificate",
            box.late_subscription_advice,
        )
        box.write({"connected_at": fields.Datetime.to_datetime("2026-02-01 00:00:00")})
        self.assertFalse(box.connected_before_iot_line)


    def test_an_iot_box_line_dated_in_the_future_does_not_count_yet(self):
        # The same rule for the verdict and for the date the late-subscription advice compares with.
        future = (fields.Datetime.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        verdict = self._verdict(added_at=future)
        self.assertEqual((verdict["eligible"], verdict["reason"]), (False, "no_iot_box_line"))
        self.assertFalse(self.subscription.first_iot_line_added_at)
        connection = self.env["iot.connect.token"]._issue("http://server.test")
        box, _secret = self.env["iot.box"]._pair_with_token(token_from_connection_string(connection), box_params())
        self.assertFalse(box.connected_before_iot_line)
        verdict = self._verdict()  # the line odoo.com dates 2026-01-10: it counts
        self.assertEqual((verdict["eligible"], verdict["reason"]), (True, False))
        self.assertEqual(self.subscription.first_iot_line_added_at, fields.Datetime.to_datetime("2026-01-10 08:00:00"))

class TestIdentityParameters(TransactionCase):
    def test_environment_and_neutralized_are_validated_and_normalised(self):
        params = self.env["ir.config_parameter"]
        params.set_param("database.environment", "Staging")
        self.assertEqual(params.get_param("database.environment"), "staging")
        params.set_param("database.is_neutralized", "true")
        self.assertEqual(params.get_param("database.is_neutralized"), "True")
        with self.assertRaisesRegex(ValidationError, "production, staging or development"):
            params.set_param("database.environment", "prod")
        with self.assertRaisesRegex(ValidationError, "True or False"):
            params.set_param("database.is_neutralized", "maybe")
        with self.assertRaisesRegex(ValidationError, "subscription code"):
            params.set_param("database.enterprise_code", "has spaces; DROP TABLE")

    def test_new_database_is_production_and_not_neutralized(self):
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param("database.environment"), "production")
        self.assertEqual(params.get_param("database.is_neutralized"), "False")
