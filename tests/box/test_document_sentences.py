"""Sentences of the documentation the box's homepage shows, held here in the documentation's own words (English
where it is English, Dutch where it is Dutch), compared with the page a person reads: docs/document-sentences.md
maps each sentence to its test. Typographic quotes and apostrophes of the documentation count as plain ones."""

from __future__ import annotations

import html
import re

import pytest
from boxhelpers import new_box
from werkzeug.test import Client

from iot_box import errors, pages
from iot_box.check import CheckResult
from iot_box.dns_check import DnsResult
from iot_box.web import BoxWeb


def readable(page: str) -> str:
    """The page's text as read: no markup, entities decoded, white space and quotes made plain."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return plain(re.sub(r"\s+", " ", text))


def plain(sentence: str) -> str:
    return sentence.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def error_page(code: str, lang: str, http_status: int | None = None) -> str:
    view = pages.HomeView(lang=lang, identifier="box1", https_url=None, certificate=None,
                          result=CheckResult(code, "detail", None, None, http_status), checked_at=None, dns=None,
                          server="http://db", server_state=None, db_uuid=None, has_enterprise_code=False,
                          csrf_token="t")
    return readable(pages.home(view))


# (code, language of the documentation's words, sentence numbers, the sentences)
ERROR_SENTENCES = [
    (errors.NO_SERVER, "en", "S28", ["The server configuration is missing, i.e., the Odoo instance is not connected "
                                     "to the IoT system."]),
    (errors.CERT_READ_EXCEPTION, "en", "S29", ["An error occurred while attempting to read the existing HTTPS "
                                               "certificate.", "Verify that the HTTPS certificate file is readable."]),
    (errors.NO_CREDENTIAL, "en", "S30-S32", [
        "The contract and/or database UUID is missing",  # the documentation goes on "form the IoT" (a typo)
        "Verify that both values are correctly configured.",
        "To update them, access the IoT box\u2019s or Windows virtual IoT\u2019s homepage, click the (cogs) button, "
        "then click Credential."]),
    (errors.REQUEST_EXCEPTION, "nl", "S16-S17-S33", [
        "Er is een onverwachte fout opgetreden terwijl het IoT-systeem probeerde https://www.odoo.com te bereiken.",
        "Dit komt waarschijnlijk door netwerkgerelateerde problemen, zoals:",
        "Het IoT-systeem heeft geen internettoegang.",
        "Netwerkbeperkingen (bv. firewalls of VPN\u2019s) verhinderen communicatie met https://www.odoo.com.",
        "De firewall verhindert dat het HTTPS-certificaat correct wordt gegenereerd.",
        "Schakel in dit geval de firewall uit totdat het certificaat succesvol is gegenereerd."]),
    (errors.REQUEST_STATUS, "nl", "S34-S36", [
        "Het IoT-systeem heeft https://www.odoo.com succesvol bereikt, maar ontving een onverwachte HTTP-respons",
        "Deze foutcode bevat de HTTP-status.",
        "Bijvoorbeeld: ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404 betekent dat de server een \u201cPagina niet "
        "gevonden\u201d-respons heeft geretourneerd.",
        "Open https://www.odoo.com in een webbrowser om te controleren of de website tijdelijk niet beschikbaar is "
        "vanwege onderhoud."]),
    (errors.NO_RESULT, "en", "S38", ["The IoT system successfully connected to https://www.odoo.com, but the server "
                                     "refused to provide the HTTPS certificate."]),
    (errors.NO_RESULT, "nl", "S39", ["Controleer of het IoT-systeem en de database voldoen aan de "
                                     "geschiktheidsvereisten voor een HTTPS-certificaat"]),
]


@pytest.mark.parametrize("code, lang, numbers, sentences", ERROR_SENTENCES,
                         ids=[numbers for _, _, numbers, _ in ERROR_SENTENCES])
def test_each_error_card_says_what_the_documentation_says(code, lang, numbers, sentences):
    page = error_page(code, lang, 404 if code == errors.REQUEST_STATUS else None)
    for sentence in sentences:
        assert plain(sentence) in page
    assert code in page  # S25: the error code itself is displayed


def test_the_error_code_on_the_page_contains_the_http_status():  # S35
    page = error_page(errors.REQUEST_STATUS, "en", 503)
    assert "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503" in page


def test_a_box_without_a_valid_certificate_says_devices_cannot_interact(tmp_path):  # S4
    box = new_box(tmp_path)
    try:
        page = readable(Client(BoxWeb(box)).get("/", headers={"Accept-Language": "en"}).text)
    finally:
        box.stop()
    assert "If the HTTPS certificate is not valid, some devices cannot interact with the IoT system." in page


def test_the_tip_says_the_homepage_checks_and_a_refresh_shows_whether_it_is_solved():  # S26, S27
    page = error_page(errors.REQUEST_EXCEPTION, "nl")
    assert ("Wanneer je de homepage van het IoT-systeem opent, controleert het automatisch op een "
            "HTTPS-certificaat en probeert het er een te genereren als het ontbreekt.") in page
    assert "Als er een fout verschijnt, ververs je de pagina om te zien of het probleem is opgelost." in page


def test_a_name_that_does_not_resolve_gets_the_documentations_dns_advice():  # S19-S21, S24
    view = pages.HomeView(lang="nl", identifier="box1", https_url="https://10-0-0-5.abcd1234.odoo-iot.com",
                          certificate=None, result=None, checked_at=None,
                          dns=DnsResult(False, "10-0-0-5.abcd1234.odoo-iot.com does not resolve"), server=None,
                          server_state=None, db_uuid=None, has_enterprise_code=False, csrf_token="t")
    page = readable(pages.home(view))
    for sentence in (
        "De homepage van het IoT-systeem is toegankelijk via het IP-adres maar niet via de xxx.odoo-iot.com URL",
        "Neem contact op met je systeem- of netwerkbeheerder om het probleem aan te pakken.",
        "Netwerkgerelateerde problemen vallen buiten de scope van Odoo-ondersteuningsdiensten.",
        "Als de router handmatige DNS-configuratie toestaat, werk je de instellingen bij om Google DNS te gebruiken.",
        "In sommige browsers wordt een foutcode weergegeven die de DNS vermeldt (zoals "
        "DNS_PROBE_FINISHED_NXDOMAIN).",
    ):
        assert sentence in page
