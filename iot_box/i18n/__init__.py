"""The box's texts: English in the code, marked with ``_()`` (pages) or ``N_()`` (tables); every other language
in a gettext catalogue beside this file (``<lang>.po``, read by Babel). ``iot_box.pot`` lists the texts with where
they are used; ``python -m iot_box.i18n.extract`` writes it from the sources and brings ``nl.po`` up to date.

The texts that explain an error code or give the DNS advice are the words of the user documentation (see
docs/protocols.md for the codes); the server's addon shows the same sentences with the same Dutch, and a test
compares the two catalogues."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from werkzeug.datastructures import LanguageAccept

from iot_box import errors

LANGUAGES = {"en": "English", "nl": "Nederlands"}
DEFAULT = "en"


def N_(text: str) -> str:  # gettext's name for "mark only"
    """Marks ``text`` for the catalogue where it is defined; it is translated where it is shown."""
    return text


def choose(accept: LanguageAccept, cookie: str | None) -> str:
    """The language of the switch (cookie) if set, else the best of Accept-Language, else English."""
    if cookie in LANGUAGES:
        return cookie
    return accept.best_match(list(LANGUAGES), default=DEFAULT)


@functools.cache
def catalogue(lang: str) -> NullTranslations:
    """The gettext translations of ``lang`` (English: the texts as written)."""
    if lang == DEFAULT:
        return NullTranslations()
    with files(__name__).joinpath(f"{lang}.po").open("rb") as po_file:
        catalog = read_po(po_file)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def translator(lang: str) -> Callable[[str], str]:
    return catalogue(lang).gettext


@dataclass(frozen=True)
class ErrorText:
    explanation: str
    remedy: tuple[str, ...] = ()


# The certificate check's error codes, as the user documentation explains them. The server's addon
# (models/iot_box.py) holds the same sentences.
ERRORS: dict[str, ErrorText] = {
    errors.NO_SERVER: ErrorText(
        N_("The server configuration is missing, i.e., the Odoo instance is not connected to the IoT system."),
        (N_("Connect it: in the Odoo database, create a connection token in the IoT app, then paste it in the "
            "connection form under the (cogs) button."),)),
    errors.CERT_READ_EXCEPTION: ErrorText(
        N_("An error occurred while attempting to read the existing HTTPS certificate."),
        (N_("Verify that the HTTPS certificate file is readable."),)),
    errors.NO_CREDENTIAL: ErrorText(
        # TRANSLATORS: The documentation reads "is missing form the IoT": "form" is a typo for "from".
        N_("The contract and/or database UUID is missing from the IoT."),
        (N_("Verify that both values are correctly configured. To update them, access the IoT box's or Windows "
            "virtual IoT's homepage, click the (cogs) button, then click Credential."),)),
    errors.REQUEST_EXCEPTION: ErrorText(
        N_("An unexpected error occurred while the IoT system tried to reach https://www.odoo.com. This is most "
           "likely due to network-related issues, such as:"),
        (N_("The IoT system does not have internet access."),
         N_("Network restrictions (e.g., firewalls or VPNs) prevent communication with https://www.odoo.com."),
         N_("The firewall prevents the HTTPS certificate from being generated correctly. In this case, deactivate "
            "the firewall until the certificate has been successfully generated."),
         N_("Some devices, such as routers that have a built-in firewall, can prevent the HTTPS certificate from "
            "being generated."))),
    errors.REQUEST_STATUS: ErrorText(
        # TRANSLATORS: The Dutch documentation's words, "(statuscodes)" included.
        N_("The IoT system successfully reached https://www.odoo.com but received an unexpected HTTP response "
           "(status code). This error code contains the HTTP status. For example, "
           "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404 means the server returned a \"Page not found\" response."),
        (N_("Open https://www.odoo.com in a web browser to check whether the website is temporarily unavailable "
            "due to maintenance."),
         # TRANSLATORS: The Dutch documentation says "3-cijferige HTTPS-statuscode"; the Dutch keeps its words,
         # the English corrects it to HTTP (the status is the HTTP response's).
         N_("If https://www.odoo.com is down for maintenance, wait until it is available again. If the website is "
            "operational, open a support ticket and make sure to include the 3-digit HTTP status code in it."))),
    errors.NO_RESULT: ErrorText(
        N_("The IoT system successfully connected to https://www.odoo.com, but the server refused to provide the "
           "HTTPS certificate."),
        (N_("Check that the IoT system and the database meet the eligibility requirements for an HTTPS "
            "certificate."),
         N_("The database must be a production instance. The database instance may not be a copy, duplicate, "
            "staging or development environment."),
         N_("The Odoo subscription must be ongoing (In Progress status) and have an IoT box subscription line."),
         N_("The IoT box subscription was added after connecting the IoT system to the database. In this case, "
            "refresh the IoT system's homepage or reboot/restart the IoT system to regenerate the HTTPS "
            "certificate."))),
}

# What went wrong between the box and its database server (reporting.Reporter.state's kinds).
PROBLEMS = {
    "server_unreachable": N_("The database server could not be reached; trying again"),
    "pairing_failed": N_("Pairing with the database server failed"),
    "status_refused": N_("The database server refused the certificate status"),
}
