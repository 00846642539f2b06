"""The user documentation's sentences where a user meets them: on the box's homepage and in the admin's box form,
in English and in Dutch. The expected words are the document's, written out here (where the document has a
sentence in Dutch only, its Dutch); they are not read from the product's own catalogues. The two parts'
catalogues are compared for the texts they share."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po

from iot_box import errors, pages
from iot_box.check import CheckResult
from iot_box.dns_check import DnsResult
from odoo_host.tests import HttpCase

ROOT = Path(__file__).resolve().parent.parent
BOXES = "/odoo/action-iot_https.iot_box_action"


def words(text: str) -> str:
    """Text as a reader compares it: typographic quotes as plain ones, any run of white space as one space."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def homepage(lang: str, code: str | None = None, dns_ok: bool | None = None) -> str:
    """The text of the box's homepage for a box whose last check ended with ``code``."""
    result = CheckResult(code, "what happened", None, None, 404 if code == errors.REQUEST_STATUS else None)
    dns = None if dns_ok is None else DnsResult(dns_ok, "10-0-0-5.example.odoo-iot.com")
    view = pages.HomeView(lang=lang, identifier="box1", https_url=None, certificate=None,
                          result=result if code else None, checked_at=None, dns=dns, server=None, server_state=None,
                          db_uuid=None, has_enterprise_code=False, csrf_token="t")
    return words(lxml.html.fromstring(pages.home(view)).text_content())


# -- S3: HTTPS is required for payment terminals ------------------------------------------------------------------
S3_EN = ("The use of HTTPS is required to communicate with certain network devices, particularly payment terminals. "
         "If the HTTPS certificate is not valid, some devices cannot interact with the IoT system.")


def test_payment_terminals_need_https_on_the_box_homepage():
    assert S3_EN in homepage("en")
    dutch = homepage("nl")
    assert S3_EN not in dutch and "betaalterminals" in dutch and "HTTPS" in dutch


# -- S5: "HTTPS certificate" means a valid SSL certificate ----------------------------------------------------------
S5_NL = ("In deze documentatie en overal in Odoo verwijst de term HTTPS-certificaat naar een geldig SSL-certificaat "
         "dat een HTTPS-verbinding mogelijk maakt.")


def test_https_certificate_means_a_valid_ssl_certificate_on_the_box_homepage():
    # The product is not "this documentation": the page says the rest of the sentence word for word.
    in_the_product = S5_NL.removeprefix("In deze documentatie en overal").join(["Overal", ""])
    assert in_the_product in homepage("nl")
    assert 'the term "HTTPS certificate" refers to a valid SSL certificate that allows an HTTPS connection' in \
        homepage("en")


# -- S18: routers with a built-in firewall ---------------------------------------------------------------------------
S18_NL = "Sommige apparaten, zoals routers met een ingebouwde firewall, kunnen voorkomen dat het HTTPS-certificaat " \
         "wordt gegenereerd."
S18_EN = "Some devices, such as routers that have a built-in firewall, can prevent the HTTPS certificate from being " \
         "generated."
FIREWALL_NL = "De firewall verhindert dat het HTTPS-certificaat correct wordt gegenereerd. Schakel in dit geval de " \
              "firewall uit totdat het certificaat succesvol is gegenereerd."


def test_routers_with_a_built_in_firewall_on_the_box_error_page():
    dutch = homepage("nl", errors.REQUEST_EXCEPTION)
    assert S18_NL in dutch and FIREWALL_NL in dutch
    assert S18_EN in homepage("en", errors.REQUEST_EXCEPTION)


# -- S22 and S23: DNS on each device; payment terminals need no DNS change --------------------------------------------
S22_NL = ("Als de router dit niet ondersteunt, moet je de DNS-instellingen rechtstreeks op elk apparaat dat met het "
          "IoT-systeem communiceert bijwerken om Google DNS te gebruiken. Instructies voor het configureren van DNS op "
          "individuele apparaten zijn te vinden op de website van de betreffende fabrikant.")
S23_NL = ("Sommige IoT-apparaten, zoals betaalterminals, hebben waarschijnlijk geen DNS-wijzigingen nodig, omdat ze "
          "doorgaans vooraf zijn geconfigureerd met aangepaste DNS-instellingen.")


def test_configure_dns_on_each_device_per_the_manufacturers_website_on_the_box_dns_card():
    assert S22_NL in homepage("nl", dns_ok=False)
    assert "Instructions for configuring DNS on individual devices can be found on the manufacturer's website." in \
        homepage("en", dns_ok=False)
    assert S22_NL not in homepage("nl", dns_ok=True), "only when the address does not resolve"


def test_payment_terminals_need_no_dns_change_on_the_box_dns_card():
    assert S23_NL in homepage("nl", dns_ok=False)
    assert "Some IoT devices, such as payment terminals, probably do not need DNS changes" in \
        homepage("en", dns_ok=False)


# -- S37: odoo.com down for maintenance: wait, then open a support ticket ---------------------------------------------
S37_NL = ("Als https://www.odoo.com niet beschikbaar is vanwege onderhoud, wacht dan tot het weer beschikbaar is. "
          "Als de website operationeel is, open dan een supportticket en zorg ervoor dat je de 3-cijferige "
          "HTTPS-statuscode in het ticket opneemt.")
S37_EN = ("If https://www.odoo.com is down for maintenance, wait until it is available again. If the website is "
          "operational, open a support ticket and make sure to include the 3-digit HTTP status code in it.")
STATUS_NL = ("Het IoT-systeem heeft https://www.odoo.com succesvol bereikt, maar ontving een onverwachte HTTP-respons "
             "(statuscodes). Deze foutcode bevat de HTTP-status. Bijvoorbeeld: ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404 "
             "betekent dat de server een \u201cPagina niet gevonden\u201d-respons heeft geretourneerd.")
EXCEPTION_NL = ["Er is een onverwachte fout opgetreden terwijl het IoT-systeem probeerde https://www.odoo.com te "
                "bereiken. Dit komt waarschijnlijk door netwerkgerelateerde problemen, zoals:",
                "Het IoT-systeem heeft geen internettoegang.",
                "Netwerkbeperkingen (bv. firewalls of VPN\u2019s) verhinderen communicatie met https://www.odoo.com."]


def test_odoo_com_down_for_maintenance_wait_then_open_a_support_ticket_on_the_box_error_page():
    assert words(S37_NL) in homepage("nl", errors.REQUEST_STATUS)
    assert S37_EN in homepage("en", errors.REQUEST_STATUS)


@pytest.mark.parametrize(("code", "sentences"), [(errors.REQUEST_STATUS, [STATUS_NL]),
                                                 (errors.REQUEST_EXCEPTION, EXCEPTION_NL)])
def test_the_documents_dutch_word_for_word_on_the_box_error_page(code, sentences):
    page = homepage("nl", code)
    for sentence in sentences:
        assert words(sentence) in page


# -- the admin's box form ------------------------------------------------------------------------------------------
class TestAdminBoxForm(HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate("admin", "admin")

    def form(self, lang: str, code: str | None = None) -> str:
        """The text of the admin's form of a box whose last error was ``code``, for a browser in ``lang``."""
        box = self.env["iot.box"].create({"name": "Counter", "identifier": uuid.uuid4().hex})
        if code:
            box.sudo().write({"error_code": code})
        page = self.url_open(f"{BOXES}/{box.id}", headers={"Accept-Language": lang})
        return words(lxml.html.fromstring(page.text).text_content())

    def test_payment_terminals_need_https_in_the_admin_box_form(self):
        self.assertIn(S3_EN, self.form("en-US"))
        self.assertIn("betaalterminals", self.form("nl-NL"))

    def test_https_certificate_means_a_valid_ssl_certificate_in_the_admin_box_form(self):
        self.assertIn(S5_NL.removeprefix("In deze documentatie en overal").join(["Overal", ""]), self.form("nl-NL"))
        self.assertIn('the term "HTTPS certificate" refers to a valid SSL certificate', self.form("en-US"))

    def test_routers_with_a_built_in_firewall_in_the_admin_box_form(self):
        self.assertIn(S18_NL, self.form("nl-NL", errors.REQUEST_EXCEPTION))
        self.assertIn(S18_EN, self.form("en-US", errors.REQUEST_EXCEPTION))

    def test_odoo_com_down_for_maintenance_wait_then_open_a_support_ticket_in_the_admin_box_form(self):
        self.assertIn(words(S37_NL), self.form("nl-NL", errors.REQUEST_STATUS))
        self.assertIn(S37_EN, self.form("en-US", errors.REQUEST_STATUS))

    def test_the_documents_dutch_word_for_word_in_the_admin_box_form(self):
        self.assertIn(words(STATUS_NL), self.form("nl-NL", errors.REQUEST_STATUS))
        shown = self.form("nl-NL", errors.REQUEST_EXCEPTION)
        for sentence in EXCEPTION_NL:
            self.assertIn(words(sentence), shown)


# -- one wording for the texts both parts show ---------------------------------------------------------------------
def catalogue(path: Path) -> dict[str, str]:
    with path.open("rb") as po_file:
        return {m.id: m.string for m in read_po(po_file) if m.id}


def test_the_box_and_the_server_word_their_shared_texts_identically():
    box = catalogue(ROOT / "iot_box" / "i18n" / "nl.po")
    server = catalogue(ROOT / "addons" / "iot_https" / "i18n" / "nl.po")
    shared = box.keys() & server.keys()
    # Every error code's explanation is shown by both parts, in the same English words.
    for explanation in ["The server configuration is missing", "An error occurred while attempting to read",
                        "The contract and/or database UUID is missing", "An unexpected error occurred",
                        "The IoT system successfully reached", "The IoT system successfully connected"]:
        assert any(text.startswith(explanation) for text in shared), explanation
    assert {text: box[text] for text in shared} == {text: server[text] for text in shared}
