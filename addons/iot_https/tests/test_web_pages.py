"""The admin pages through the host's web client: the box list (filters, search, pages), the box form, and the
subscription page with its buttons (Synchronise Now, Connect an IoT Box)."""

from datetime import timedelta

from lxml import html
from odoo import fields
from odoo.tests.common import HttpCase, tagged

from .common import ENTERPRISE_CODE, odoo_com_unreachable

BOXES = "/odoo/action-iot_https.iot_box_action"
SUBSCRIPTION = "/odoo/action-iot_https.iot_subscription_action"


@tagged("post_install", "-at_install")
class TestWebPages(HttpCase):
    def setUp(self):
        super().setUp()
        now = fields.Datetime.now()
        Box = self.env["iot.box"]
        self.valid = Box.create(
            {
                "name": "Valid box",
                "identifier": "w-1",
                "ip": "10-0-0-1.abcd1234.odoo-iot.com",
                "ssl_certificate_end_date": now + timedelta(days=80),
            }
        )
        self.expiring = Box.create(
            {
                "name": "Expiring box",
                "identifier": "w-2",
                "ip": "10.0.0.2:8080",
                "ssl_certificate_end_date": now + timedelta(days=3),
            }
        )
        self.failing = Box.create(
            {"name": "Failing box", "identifier": "w-3", "error_code": "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL"}
        )
        self.env["ir.config_parameter"].set_param("database.enterprise_code", ENTERPRISE_CODE)
        self.authenticate("admin", "admin")

    def names_listed(self, query: str) -> list[str]:
        """The box names in the list page's rows, in their order."""
        page = html.fromstring(self.url_open(f"{BOXES}?{query}").text)
        return [cell for cell in page.xpath("//td//text()") if cell.endswith(" box")]

    def test_list_filters_search_and_pages(self):
        self.assertEqual(self.names_listed(""), ["Expiring box", "Failing box", "Valid box"])
        self.assertEqual(self.names_listed("filters=expiring"), ["Expiring box"])
        self.assertEqual(self.names_listed("filters=in_error"), ["Failing box"])
        self.assertEqual(self.names_listed("filters=never_certified"), ["Failing box"])
        self.assertEqual(self.names_listed("q=Valid"), ["Valid box"])
        self.assertEqual(self.names_listed("limit=2&offset=2"), ["Valid box"])
        page = self.url_open(BOXES).text
        self.assertIn('href="https://10-0-0-1.abcd1234.odoo-iot.com"', page)
        self.assertIn('href="http://10.0.0.2:8080"', page)

    def make_eligible(self) -> None:
        """odoo.com's facts for this database: an ongoing subscription with an IoT box line added yesterday."""
        self.env.ref("iot_https.iot_subscription_main")._store_facts(
            ENTERPRISE_CODE,
            {
                "subscription": {
                    "state": "in_progress",
                    "lines": [
                        {
                            "product": "iot_box",
                            "quantity": 1,
                            "added_at": fields.Datetime.now() - timedelta(days=1),
                        }
                    ],
                },
                "database": {"kind": "production"},
                "production_database": True,
            },
        )

    def why_no_certificate(self, box) -> str | None:
        """The text of the box form's "Why No Certificate" group; None when the form does not show it."""
        page = html.fromstring(self.url_open(f"{BOXES}/{box.id}").text)
        groups = page.xpath("//div[@class='group'][h2='Why No Certificate']")
        return groups[0].text_content() if groups else None

    def test_why_no_certificate_is_shown_only_when_it_explains_something(self):
        waiting = self.env["iot.box"].create({"name": "Waiting box", "identifier": "w-4", "ip": "10.0.0.4"})
        # Not synchronised with odoo.com yet: the database's eligibility problem explains a box that waits.
        self.assertIn("was not synchronised with odoo.com yet", self.why_no_certificate(waiting))
        failing = self.why_no_certificate(self.failing)
        self.assertIn("ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL", failing)
        self.assertIn("The contract and/or database UUID is missing from the IoT.", failing)
        self.assertIn("click the (cogs) button, then click Credential", failing)  # its remedy
        self.assertIn("was not synchronised with odoo.com yet", failing)  # and the database's problem beside it
        self.assertIsNone(self.why_no_certificate(self.valid))

        self.make_eligible()
        self.assertIsNone(self.why_no_certificate(waiting), "an eligible database's box waiting for its first one")
        self.assertIsNone(self.why_no_certificate(self.valid))
        failing = self.why_no_certificate(self.failing)
        self.assertIn("ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL", failing)
        self.assertIn("click the (cogs) button, then click Credential", failing)
        self.assertNotIn("meets the eligibility criteria", failing, "nothing to say about an eligible database")

    def test_box_form_advises_a_box_connected_before_the_iot_line(self):
        self.make_eligible()
        self.failing.write({"connected_at": fields.Datetime.now() - timedelta(days=5)})
        page = self.url_open(f"{BOXES}/{self.failing.id}").text
        self.assertIn("reboot/restart the IoT system to regenerate the HTTPS certificate", page)
        page = self.url_open(f"{BOXES}/{self.valid.id}").text
        self.assertNotIn("reboot/restart the IoT system", page)

    def test_an_admin_cannot_edit_what_boxes_and_odoo_com_report(self):
        subscription = self.env.ref("iot_https.iot_subscription_main")
        for form in (f"{BOXES}/{self.valid.id}", f"{BOXES}/{self.failing.id}", f"{SUBSCRIPTION}/{subscription.id}"):
            page = html.fromstring(self.url_open(form).text)
            self.assertEqual(page.xpath("//form[contains(@action, '/save')]"), [], f"{form} has inputs")
        form = f"{BOXES}/{self.valid.id}"
        forged = {"name": "Renamed", "ip": "6.6.6.6", "version": "0", "error_code": "ERR_X", "identifier": "x"}
        self.url_open(f"{form}/save", {**forged, "csrf_token": self.csrf_token(form)})
        self.env.invalidate_all()
        self.assertEqual(
            (self.valid.name, self.valid.ip, self.valid.error_code, self.valid.identifier),
            ("Valid box", "10-0-0-1.abcd1234.odoo-iot.com", False, "w-1"),
        )

    def press(self, method: str) -> str:
        """Press a button of the subscription form, as a browser does; the page it leads to."""
        subscription = self.env.ref("iot_https.iot_subscription_main")
        form = f"{SUBSCRIPTION}/{subscription.id}"
        response = self.url_open(f"{form}/button", {"method": method, "csrf_token": self.csrf_token(form)})
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_connect_button_shows_a_new_token_once(self):
        page = html.fromstring(self.press("action_connect_box"))
        notice = page.xpath("//div[@role='status']")[0]
        self.assertIn("within 15 minutes; it works once.", notice.text)
        # The token is a field of its own (copied whole), beside its Copy button.
        token = notice.xpath(".//input[@readonly][@aria-label='Connection token']/@value")[0]
        self.assertRegex(
            token, rf"^http://127\.0\.0\.1:\d+\?token=[^&]+&db_uuid=[^&]+&enterprise_code={ENTERPRISE_CODE}$"
        )
        self.assertEqual(notice.xpath(".//button/text()"), ["Copy"])
        self.assertEqual(self.env["iot.connect.token"].search_count([]), 1)
        again = self.url_open(f"{SUBSCRIPTION}/{self.env.ref('iot_https.iot_subscription_main').id}").text
        self.assertNotIn("?token=", again)

    def test_connect_button_in_dutch(self):
        self.env.ref("base.user_admin").write({"lang": "nl_NL"})
        notice = html.fromstring(self.press("action_connect_box")).xpath("//div[@role='status']")[0]
        self.assertIn("het werkt één keer.", notice.text)
        self.assertEqual(len(notice.xpath(".//input[@aria-label='Verbindingstoken']")), 1)
        self.assertEqual(notice.xpath(".//button/text()"), ["Kopiëren"])
        self.assertEqual(notice.xpath(".//button/@data-copied"), ["Gekopieerd"])

    def test_synchronise_button_reports_what_happened(self):
        with odoo_com_unreachable():
            page = self.press("action_synchronise")
        self.assertIn("could not be reached", page)

    def test_subscription_page_shows_the_verdict_without_the_enterprise_code(self):
        page = self.url_open(f"{SUBSCRIPTION}/{self.env.ref('iot_https.iot_subscription_main').id}").text
        self.assertIn("was not synchronised with odoo.com yet", page)
        self.assertNotIn(ENTERPRISE_CODE, page)

    def test_pages_need_a_login(self):
        self.url_open("/web/logout", {"csrf_token": self.csrf_token(BOXES)})
        response = self.url_open(BOXES, allow_redirects=False)
        self.assertIn("/web/login", response.headers.get("Location", ""))
