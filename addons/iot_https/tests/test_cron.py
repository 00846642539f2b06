"""The addon's scheduled jobs: declared as data, daily, and safe to run when odoo.com is away."""

from datetime import timedelta

from odoo import fields
from odoo.tests.common import TransactionCase

from .common import odoo_com_unreachable


class TestCron(TransactionCase):
    def test_jobs_are_daily_and_active(self):
        for xml_id in (
            "ir_cron_iot_box_expiry_sweep",
            "ir_cron_iot_subscription_synchronise",
            "ir_cron_iot_connect_token_cleanup",
        ):
            job = self.env.ref(f"iot_https.{xml_id}")
            self.assertTrue(job.active)
            self.assertEqual((job.interval_number, job.interval_type), (1, "days"))

    def test_sweep_job_marks_a_lapsed_certificate_expired(self):
        box = self.env["iot.box"].create(
            {
                "name": "b",
                "identifier": "cron-1",
                "ssl_certificate_end_date": fields.Datetime.now() + timedelta(days=30),
            }
        )
        self.env.cr.execute(
            "UPDATE iot_box SET ssl_certificate_end_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(minutes=1), box.id),
        )
        self.env.invalidate_all()
        self.env.ref("iot_https.ir_cron_iot_box_expiry_sweep").method_direct_trigger()
        self.assertEqual(box.certificate_state, "expired")

    def test_synchronise_job_records_the_failure_instead_of_raising(self):
        self.env["ir.config_parameter"].set_param("database.enterprise_code", "M-CRON-0001")
        with odoo_com_unreachable():
            self.env.ref("iot_https.ir_cron_iot_subscription_synchronise").method_direct_trigger()
        subscription = self.env.ref("iot_https.iot_subscription_main")
        self.assertIn("could not be reached", subscription.last_sync_error)

    def test_old_connection_tokens_are_forgotten(self):
        self.env["ir.config_parameter"].set_param("database.enterprise_code", "M-CRON-0001")
        self.env["iot.connect.token"]._issue("http://server.test")
        self.env["iot.connect.token"].search([]).write(
            {"expires_at": fields.Datetime.now() - timedelta(days=2)}
        )
        self.env.ref("iot_https.ir_cron_iot_connect_token_cleanup").method_direct_trigger()
        self.assertFalse(self.env["iot.connect.token"].search([]))
