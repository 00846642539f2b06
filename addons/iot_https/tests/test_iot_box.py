"""The IoT box model: pairing, certificate reports, certificate states, the expiry sweep and the advice "
"shown."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase

from .common import ENTERPRISE_CODE, box_params, token_from_connection_string


class TestIotBox(TransactionCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("database.enterprise_code", ENTERPRISE_CODE)
        self.Box = self.env["iot.box"]

    def _token(self) -> str:
        return token_from_connection_string(self.env["iot.connect.token"]._issue("http://server.test:8069"))

    def _pair(self, **overrides):
        return self.Box._pair_with_token(self._token(), box_params(**overrides))

    # -- connection tokens -----------------------------------------------------------------------------------
    def test_connection_string_carries_server_token_uuid_and_code(self):
        connection = self.env["iot.connect.token"]._issue("http://server.test:8069/")
        uuid = self.env["ir.config_parameter"].get_param("database.uuid")
        self.assertTrue(connection.startswith("http://server.test:8069?token="))
        self.assertIn(f"db_uuid={uuid}", connection)
        self.assertIn(f"enterprise_code={ENTERPRISE_CODE}", connection)
        token = self.env["iot.connect.token"].search([], limit=1)
        self.assertNotIn(token_from_connection_string(connection), token.token_hash)

    def test_connection_string_outside_a_web_request_names_the_web_base_url(self):
        self.env["ir.config_parameter"].set_param("web.base.url", "https://iot.example.test")
        action = self.env.ref("iot_https.iot_subscription_main").action_connect_box()
        self.assertRegex(action["params"]["copy"], r"^https://iot\.example\.test\?token=")

    def test_token_needs_an_enterprise_code(self):
        self.env["ir.config_parameter"].set_param("database.enterprise_code", "")
        with self.assertRaisesRegex(UserError, "enterprise code"):
            self.env["iot.connect.token"]._issue("http://server.test")

    def test_token_works_once(self):
        token = self._token()
        self.Box._pair_with_token(token, box_params())
        with self.assertRaisesRegex(UserError, "already used"):
            self.Box._pair_with_token(token, box_params("66:77:88:99:aa:bb"))

    def test_expired_token_is_refused(self):
        token = self._token()
        self.env["iot.connect.token"].search([]).write(
            {"expires_at": fields.Datetime.now() - timedelta(seconds=1)}
        )
        with self.assertRaisesRegex(UserError, "expired"):
            self.Box._pair_with_token(token, box_params())

    def test_unknown_or_tampered_token_is_refused(self):
        token = self._token()
        for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "nonsense", "", None, 42):
            with self.assertRaisesRegex(UserError, "invalid"):
                self.Box._pair_with_token(wrong, box_params())
        self.assertFalse(self.Box.search([]))

    def test_token_is_valid_fifteen_minutes(self):
        self._token()
        token = self.env["iot.connect.token"].search([], limit=1)
        validity = token.expires_at - fields.Datetime.now()
        self.assertTrue(timedelta(minutes=14) < validity <= timedelta(minutes=15))

    # -- pairing ---------------------------------------------------------------------------------------------
    def test_pairing_creates_the_box_with_a_hashed_secret(self):
        box, secret = self._pair()
        self.assertEqual(box.identifier, "00:11:22:33:44:55")
        self.assertEqual(box.ip_url, "http://10.0.0.5:8080")
        self.assertTrue(box.connected_at)
        self.assertNotIn(secret, box.box_secret_hash)
        self.assertEqual(self.Box._authenticate_secret(secret), box)
        self.assertFalse(self.Box._authenticate_secret(secret[:-2]))
        self.assertFalse(self.Box._authenticate_secret("garbage"))

    def test_known_box_pairing_again_updates_the_same_record_with_a_new_secret(self):
        box, old_secret = self._pair()
        again, new_secret = self._pair(ip="10-0-0-9.abcd1234.odoo-iot.com:8443", name="Renamed")
        self.assertEqual(again, box)
        self.assertEqual(self.Box.search_count([]), 1)
        self.assertEqual(box.ip_url, "https://10-0-0-9.abcd1234.odoo-iot.com:8443")
        self.assertEqual(box.name, "Renamed")
        self.assertFalse(self.Box._authenticate_secret(old_secret))
        self.assertEqual(self.Box._authenticate_secret(new_secret), box)

    def test_paired_box_refreshing_its_record_with_a_changed_address(self):
        box, _secret = self._pair()
        box._update_from_setup(box_params(ip="10-0-0-5.abcd1234.odoo-iot.com", version="25.01"))
        self.assertEqual(box.ip_url, "https://10-0-0-5.abcd1234.odoo-iot.com")
        self.assertEqual(box.version, "25.01")
        with self.assertRaisesRegex(UserError, "another IoT box"):
            box._update_from_setup(box_params("ff:ff:ff:ff:ff:ff"))

    def test_setup_parameters_are_checked(self):
        for bad in ({"identifier": None}, {"identifier": 12}, {"name": "x" * 500}, {"ip": ["10.0.0.1"]}):
            with self.assertRaises(UserError):
                self._pair(**bad)

    # -- certificate reports and states ----------------------------------------------------------------------
    def _report(self, box, **params):
        box._report_certificate_status(
            {
                "identifier": box.identifier,
                "ip": box.ip,
                "subject": None,
                "ssl_certificate_end_date": None,
                "error_code": None,
                "error_detail": None,
                **params,
            }
        )

    def test_certificate_states_follow_the_end_date_and_the_error(self):
        box, _secret = self._pair()
        self.assertEqual(box.certificate_state, "missing")
        now = fields.Datetime.now()
        for end, state in (
            (now + timedelta(days=60), "valid"),
            (now + timedelta(days=5), "expiring"),
            (now - timedelta(days=1), "expired"),
        ):
            self._report(
                box,
                ssl_certificate_end_date=end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                subject="*.abcd1234.odoo-iot.com",
            )
            self.assertEqual(box.certificate_state, state)
            self.assertEqual(self.Box.search([("certificate_state", "=", state)]), box)
        self._report(box, error_code="ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT", error_detail="refused")
        self.assertEqual(box.certificate_state, "error")
        self.assertIn("refused to provide the HTTPS certificate", box.error_explanation)
        self.assertIn("eligibility requirements", box.error_remedy)

    def test_a_report_costs_the_box_lookup_and_one_update(self):
        box, secret = self._pair()
        self.env.invalidate_all()  # as at the start of a request
        with self.captured_statements() as statements:
            found = self.Box._authenticate_secret(secret)
            found._report_certificate_status(
                {"identifier": box.identifier, "ip": "10-0-0-5.abcd1234.odoo-iot.com:8443",
                 "ssl_certificate_end_date": "2099-01-01T00:00:00Z", "subject": "*.abcd1234.odoo-iot.com"}
            )
        self.assertEqual(len(statements), 2, statements)
        self.assertIn("UPDATE", statements[1])
        self.assertEqual(
            (box.certificate_state, box.ip_url), ("valid", "https://10-0-0-5.abcd1234.odoo-iot.com:8443")
        )

    def test_report_converts_times_to_utc(self):
        box, _secret = self._pair()
        self._report(box, ssl_certificate_end_date="2030-01-01T02:00:00+02:00")
        self.assertEqual(box.ssl_certificate_end_date, fields.Datetime.to_datetime("2030-01-01 00:00:00"))

    def test_report_rejects_bad_values_with_a_clear_message(self):
        box, _secret = self._pair()
        with self.assertRaisesRegex(UserError, "ISO 8601"):
            self._report(box, ssl_certificate_end_date="next tuesday")
        with self.assertRaisesRegex(UserError, "error_code"):
            self._report(box, error_code="<script>")
        with self.assertRaisesRegex(UserError, "another IoT box"):
            self._report(box, identifier="somebody-else")

    def test_the_http_status_is_read_from_the_code_or_from_error_status_and_must_agree(self):
        box, _secret = self._pair()
        code = "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS"
        for report in ({"error_code": f"{code} 404"}, {"error_code": code, "error_status": 404},
                       {"error_code": f"{code} 404", "error_status": 404}):
            self._report(box, error_code=None)
            self._report(box, **report)
            self.assertEqual((box.error_code, box.error_status), (f"{code} 404", 404), report)
        for refused in ({"error_status": 404}, {"error_code": f"{code} 404", "error_status": 503},
                        {"error_code": code, "error_status": True}, {"error_code": code, "error_status": 99},
                        {"error_code": code, "error_status": "404"}):
            with self.assertRaisesRegex(UserError, "error_status must be the HTTP status"):
                self._report(box, **refused)
        self._report(box, error_code="ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL")
        self.assertEqual((box.error_code, box.error_status), ("ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL", 0))

    def test_every_documented_error_code_has_an_explanation_and_a_remedy(self):
        box, _secret = self._pair()
        codes = [
            "ERR_IOT_HTTPS_CHECK_NO_SERVER",
            "ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION",
            "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL",
            "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION",
            "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS",
            "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT",
        ]
        explanations = set()
        for code in codes:
            self._report(box, error_code=code)
            self.assertTrue(box.error_remedy)
            explanations.add(box.error_explanation)
        self.assertEqual(len(explanations), len(codes))
        self._report(box, error_code="ERR_SOMETHING_NEW")
        self.assertIn("does not know", box.error_explanation)

    def test_error_explanation_in_dutch(self):
        box, _secret = self._pair()
        self._report(box, error_code="ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION")
        dutch = box.with_context(lang="nl_NL")
        self.assertIn("Er is een onverwachte fout opgetreden", dutch.error_explanation)
        self.assertIn("Schakel in dit geval de firewall uit", dutch.error_remedy)

    def test_expiry_sweep_moves_boxes_across_the_lines_as_time_passes(self):
        now = fields.Datetime.now()
        soon, _s = self._pair(identifier="aa")
        past, _s = self._pair(identifier="bb")
        later, _s = self._pair(identifier="cc")
        for box, days in ((soon, 30), (past, 5), (later, 60)):
            self._report(box, ssl_certificate_end_date=(now + timedelta(days=days)).isoformat())
        # Time passes: the dates below are what the boxes reported long ago.
        self.env.cr.execute(
            "UPDATE iot_box SET ssl_certificate_end_date = ssl_certificate_end_date - "
            "interval "
            "'25 days' WHERE id IN %s",
            (tuple([soon.id, past.id]),),
        )
        self.env.invalidate_all()
        self.assertEqual(self.Box._cron_expiry_sweep(), 2)
        self.assertEqual(self.Box.browse(soon.id).certificate_state, "expiring")
        self.assertEqual(self.Box.browse(past.id).certificate_state, "expired")
        self.assertEqual(self.Box.browse(later.id).certificate_state, "valid")
        self.assertEqual(self.Box._cron_expiry_sweep(), 0)

    def test_list_filters(self):
        now = fields.Datetime.now()
        valid, _s = self._pair(identifier="v")
        self._report(valid, ssl_certificate_end_date=(now + timedelta(days=50)).isoformat())
        failing, _s = self._pair(identifier="e")
        self._report(failing, error_code="ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL")
        never, _s = self._pair(identifier="n")
        self.assertEqual(self.Box.search([("certificate_state", "=", "error")]), failing)
        self.assertEqual(self.Box.search([("ssl_certificate_end_date", "=", False)]), failing | never)
