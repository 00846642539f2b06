"""The homepage's texts in English and Dutch. The error explanations and the DNS advice are the seed's
words (seed: "Fouten", "De homepage van het IoT-systeem is toegankelijk via het IP-adres ..."); where the
seed gives a text in one language only, the other is our translation."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import LanguageAccept

from iot_box import errors

LANGUAGES = {"en": "English", "nl": "Nederlands"}
DEFAULT = "en"


def choose(accept: LanguageAccept, cookie: str | None) -> str:
    """The language of the switch (cookie) if set, else the best of Accept-Language, else English."""
    if cookie in LANGUAGES:
        return cookie
    return accept.best_match(list(LANGUAGES), default=DEFAULT)


@dataclass(frozen=True)
class ErrorText:
    explanation: str
    remedy: tuple[str, ...] = ()


ERRORS: dict[str, dict[str, ErrorText]] = {
    "en": {
        errors.NO_SERVER: ErrorText(
            "The server configuration is missing, i.e., the Odoo instance is not connected to the IoT "
            "system.",
            ("Connect it: in the Odoo database, create a connection token in the IoT app, then paste it in "
             "the connection form under the (cogs) button.",)),
        errors.CERT_READ_EXCEPTION: ErrorText(
            "An error occurred while attempting to read the existing HTTPS certificate.",
            ("Verify that the HTTPS certificate file is readable.",)),
        errors.NO_CREDENTIAL: ErrorText(
            "The contract and/or database UUID is missing from the IoT system.",
            ("Verify that both values are correctly configured. To update them, access the IoT box's or "
             "Windows virtual IoT's homepage, click the (cogs) button, then click Credential.",)),
        errors.REQUEST_EXCEPTION: ErrorText(
            "An unexpected error occurred while the IoT system tried to reach https://www.odoo.com. This is "
            "most likely due to network-related issues, such as:",
            ("The IoT system does not have internet access.",
             "Network restrictions (e.g., firewalls or VPNs) prevent communication with "
             "https://www.odoo.com.",
             "The firewall prevents the HTTPS certificate from being generated correctly. In this case, "
             "deactivate the firewall until the certificate has been successfully generated. Some devices, "
             "such as routers that have a built-in firewall, can prevent the HTTPS certificate from being "
             "generated.")),
        errors.REQUEST_STATUS: ErrorText(
            "The IoT system successfully reached https://www.odoo.com but received an unexpected HTTP "
            "response (status code). This error code includes the HTTP status. For example, "
            "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404 means the server returned a \"Page not found\" response.",
            ("Open https://www.odoo.com in a web browser to check whether the website is temporarily "
             "unavailable due to maintenance.",
             "If https://www.odoo.com is down for maintenance, wait until it is available again. If the "
             "website is operational, open a support ticket and make sure to include the 3-digit HTTP status"
             " code in it.")),
        errors.NO_RESULT: ErrorText(
            "The IoT system successfully connected to https://www.odoo.com, but the server refused to "
            "provide the HTTPS certificate.",
            ("Check that the IoT system and the database meet the eligibility requirements for an HTTPS "
             "certificate: the database must be a production instance (not a copy, duplicate, staging or "
             "development environment), and the Odoo subscription must be ongoing (In Progress status) and "
             "have an IoT box subscription line.",
             "If the IoT box subscription was added after connecting the IoT system to the database, refresh"
             " the IoT system's homepage or reboot/restart the IoT system to regenerate the HTTPS "
             "certificate.")),
    },
    "nl": {
        errors.NO_SERVER: ErrorText(
            "De serverconfiguratie ontbreekt, d.w.z. de Odoo-instantie is niet verbonden met het "
            "IoT-systeem.",
            ("Verbind het: maak in de Odoo-database een verbindingstoken aan in de IoT-app en plak het in "
             "het verbindingsformulier onder de knop (tandwielen).",)),
        errors.CERT_READ_EXCEPTION: ErrorText(
            "Er is een fout opgetreden bij het lezen van het bestaande HTTPS-certificaat.",
            ("Controleer of het HTTPS-certificaatbestand leesbaar is.",)),
        errors.NO_CREDENTIAL: ErrorText(
            "Het contract en/of de database-UUID ontbreekt op het IoT-systeem.",
            ("Controleer of beide waarden correct zijn ingesteld. Om ze bij te werken, open je de homepage "
             "van de IoT-box of van de virtuele Windows-IoT, klik je op de knop (tandwielen) en daarna op "
             "Credential.",)),
        errors.REQUEST_EXCEPTION: ErrorText(
            "Er is een onverwachte fout opgetreden terwijl het IoT-systeem probeerde https://www.odoo.com te"
            " bereiken. Dit komt waarschijnlijk door netwerkgerelateerde problemen, zoals:",
            ("Het IoT-systeem heeft geen internettoegang.",
             "Netwerkbeperkingen (bv. firewalls of VPN's) verhinderen communicatie met https://www.odoo.com.",
             "De firewall verhindert dat het HTTPS-certificaat correct wordt gegenereerd. Schakel in dit "
             "geval de firewall uit totdat het certificaat succesvol is gegenereerd. Sommige apparaten, "
             "zoals routers met een ingebouwde firewall, kunnen voorkomen dat het HTTPS-certificaat wordt "
             "gegenereerd.")),
        errors.REQUEST_STATUS: ErrorText(
            "Het IoT-systeem heeft https://www.odoo.com succesvol bereikt, maar ontving een onverwachte "
            "HTTP-respons (statuscode). Deze foutcode bevat de HTTP-status. Bijvoorbeeld: "
            "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404 betekent dat de server een "
            "\"Pagina niet gevonden\"-respons heeft geretourneerd.",
            ("Open https://www.odoo.com in een webbrowser om te controleren of de website tijdelijk niet "
             "beschikbaar is vanwege onderhoud.",
             "Als https://www.odoo.com niet beschikbaar is vanwege onderhoud, wacht dan tot het weer "
             "beschikbaar is. Als de website operationeel is, open dan een supportticket en zorg ervoor dat "
             "je de 3-cijferige HTTP-statuscode in het ticket opneemt.")),
        errors.NO_RESULT: ErrorText(
            "Het IoT-systeem heeft succesvol verbinding gemaakt met https://www.odoo.com, maar de server "
            "weigerde het HTTPS-certificaat te leveren.",
            ("Controleer of het IoT-systeem en de database voldoen aan de geschiktheidsvereisten voor een "
             "HTTPS-certificaat: de database moet een productie-instantie zijn (geen kopie, duplicaat, "
             "staging- of ontwikkelomgeving), en het Odoo-abonnement moet lopend zijn (status In uitvoering)"
             " en een IoT-box-abonnementsregel hebben.",
             "Als het IoT-box-abonnement is toegevoegd nadat het IoT-systeem met de database was verbonden, "
             "ververs dan de homepage van het IoT-systeem of herstart het IoT-systeem om het "
             "HTTPS-certificaat opnieuw te genereren.")),
    },
}

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "IoT system",
        "https_intro": "HTTPS is required to communicate with certain network devices, particularly payment "
                       "terminals. If the HTTPS certificate is not valid, some devices cannot interact with "
                       "the IoT system.",
        "https_url": "Secure address",
        "https_click": "Click the URL to establish a secure HTTPS connection.",
        "no_https": "This IoT system has no HTTPS certificate yet; it serves a temporary self-signed one "
                    "(OdooTempIoTBoxCertificate) that browsers do not trust.",
        "error": "Error",
        "what_to_do": "What to do",
        "tip": "When you open the IoT system's homepage, it automatically checks for an HTTPS certificate "
               "and tries to generate one if it is missing. If an error appears, refresh the page to see if "
               "the problem is solved.",
        "checked_at": "Checked",
        "check_again": "Check again",
        "dns_ok": "The secure address resolves to this IoT system",
        "dns_title": "The IoT system's homepage is accessible via its IP address but not via the "
                     "xxx.odoo-iot.com URL",
        "dns_advice": "Contact your system or network administrator to address the issue. Network-related "
                      "problems are outside the scope of Odoo support services.",
        "dns_router": "If the router allows manual DNS configuration, update the settings to use Google DNS.",
        "dns_devices": "If the router does not support this, update the DNS settings directly on each device"
                       " that communicates with the IoT system to use Google DNS. Instructions for "
                       "configuring DNS on individual devices can be found on the manufacturer's website.",
        "dns_note_terminals": "Some IoT devices, such as payment terminals, probably do not need DNS "
                              "changes, as they usually come preconfigured with custom DNS settings.",
        "dns_note_browser": "Some browsers display an error code that mentions the DNS (such as "
                            "DNS_PROBE_FINISHED_NXDOMAIN).",
        "server": "Database server",
        "not_connected": "Not connected to a database.",
        "settings": "Settings",
        "certificate": "HTTPS certificate",
        "valid_from": "Valid from",
        "valid_until": "Valid until",
        "issuer": "Issuer",
        "credential": "Credential",
        "credential_help": "The database UUID and the enterprise code (contract) this IoT system requests "
                           "its certificate with. An empty enterprise code field keeps the stored code; "
                           "Clear removes both.",
        "db_uuid": "Database UUID",
        "enterprise_code": "Enterprise code",
        "is_set": "set (hidden)",
        "not_set": "not set",
        "save": "Save and check again",
        "clear": "Clear both",
        "connect": "Connect to a database",
        "connect_help": "Paste the connection token created in the IoT app of the Odoo database.",
        "token": "Connection token",
        "admin_password": "Box admin password",
        "saved": "Saved. The certificate was checked again.",
        "cleared": "Credential cleared. The certificate was checked again.",
        "connected": "Connection token saved; pairing with the database server runs in the background.",
        "bad_password": "Wrong box admin password: nothing was changed.",
        "too_many_guesses": "Too many wrong passwords: wait half a minute, then try again. Nothing was changed.",
        "bad_csrf": "The form expired or did not come from this page: reload the page and try again.",
        "bad_token": "This is not a connection token: expected <server "
                     "URL>?token=...&db_uuid=...&enterprise_code=...",
        "language": "Language",
        "note": "Note",
        "server_unreachable": "The database server could not be reached; trying again",
        "pairing_failed": "Pairing with the database server failed",
        "status_refused": "The database server refused the certificate status",
    },
    "nl": {
        "title": "IoT-systeem",
        "https_intro": "HTTPS is vereist om met bepaalde netwerkapparaten te communiceren, met name "
                       "betaalterminals. Als het HTTPS-certificaat niet geldig is, kunnen sommige apparaten "
                       "niet met het IoT-systeem communiceren.",
        "https_url": "Beveiligd adres",
        "https_click": "Klik op de URL om een beveiligde HTTPS-verbinding tot stand te brengen.",
        "no_https": "Dit IoT-systeem heeft nog geen HTTPS-certificaat; het gebruikt een tijdelijk, "
                    "zelfondertekend certificaat (OdooTempIoTBoxCertificate) dat browsers niet vertrouwen.",
        "error": "Fout",
        "what_to_do": "Wat te doen",
        "tip": "Wanneer je de homepage van het IoT-systeem opent, controleert het automatisch op een "
               "HTTPS-certificaat en probeert het er een te genereren als het ontbreekt. Als er een fout "
               "verschijnt, ververs je de pagina om te zien of het probleem is opgelost.",
        "checked_at": "Gecontroleerd",
        "check_again": "Opnieuw controleren",
        "dns_ok": "Het beveiligde adres verwijst naar dit IoT-systeem",
        "dns_title": "De homepage van het IoT-systeem is toegankelijk via het IP-adres maar niet via de "
                     "xxx.odoo-iot.com URL",
        "dns_advice": "Neem contact op met je systeem- of netwerkbeheerder om het probleem aan te pakken. "
                      "Netwerkgerelateerde problemen vallen buiten de scope van Odoo-ondersteuningsdiensten.",
        "dns_router": "Als de router handmatige DNS-configuratie toestaat, werk je de instellingen bij om "
                      "Google DNS te gebruiken.",
        "dns_devices": "Als de router dit niet ondersteunt, moet je de DNS-instellingen rechtstreeks op elk "
                       "apparaat dat met het IoT-systeem communiceert bijwerken om Google DNS te gebruiken. "
                       "Instructies voor het configureren van DNS op individuele apparaten zijn te vinden op"
                       " de website van de betreffende fabrikant.",
        "dns_note_terminals": "Sommige IoT-apparaten, zoals betaalterminals, hebben waarschijnlijk geen "
                              "DNS-wijzigingen nodig, omdat ze doorgaans vooraf zijn geconfigureerd met "
                              "aangepaste DNS-instellingen.",
        "dns_note_browser": "In sommige browsers wordt een foutcode weergegeven die de DNS vermeldt (zoals "
                            "DNS_PROBE_FINISHED_NXDOMAIN).",
        "server": "Databaseserver",
        "not_connected": "Niet verbonden met een database.",
        "settings": "Instellingen",
        "certificate": "HTTPS-certificaat",
        "valid_from": "Geldig vanaf",
        "valid_until": "Geldig tot",
        "issuer": "Uitgever",
        "credential": "Credential",
        "credential_help": "De database-UUID en de enterprisecode (contract) waarmee dit IoT-systeem zijn "
                           "certificaat aanvraagt. Een leeg veld voor de enterprisecode behoudt de "
                           "opgeslagen code; Beide wissen verwijdert beide.",
        "db_uuid": "Database-UUID",
        "enterprise_code": "Enterprisecode",
        "is_set": "ingesteld (verborgen)",
        "not_set": "niet ingesteld",
        "save": "Opslaan en opnieuw controleren",
        "clear": "Beide wissen",
        "connect": "Verbinden met een database",
        "connect_help": "Plak het verbindingstoken dat in de IoT-app van de Odoo-database is aangemaakt.",
        "token": "Verbindingstoken",
        "admin_password": "Beheerderswachtwoord van de box",
        "saved": "Opgeslagen. Het certificaat is opnieuw gecontroleerd.",
        "cleared": "Credential gewist. Het certificaat is opnieuw gecontroleerd.",
        "connected": "Verbindingstoken opgeslagen; het koppelen met de databaseserver loopt op de "
                     "achtergrond.",
        "bad_password": "Verkeerd beheerderswachtwoord van de box: er is niets gewijzigd.",
        "too_many_guesses": "Te veel verkeerde wachtwoorden: wacht een halve minuut en probeer het opnieuw. Er "
                            "is niets gewijzigd.",
        "bad_csrf": "Het formulier is verlopen of kwam niet van deze pagina: herlaad de pagina en probeer "
                    "opnieuw.",
        "bad_token": "Dit is geen verbindingstoken: verwacht "
                     "<server-URL>?token=...&db_uuid=...&enterprise_code=...",
        "language": "Taal",
        "note": "Notitie",
        "server_unreachable": "De databaseserver is niet bereikbaar; er wordt opnieuw geprobeerd",
        "pairing_failed": "Koppelen met de databaseserver is mislukt",
        "status_refused": "De databaseserver weigerde de certificaatstatus",
    },
}
