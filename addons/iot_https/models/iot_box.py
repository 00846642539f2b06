"""An IoT box paired with this database, and its HTTPS certificate's state as the box last reported it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from odoo import _, _lt, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import issue_secret, secret_index, verify_secret

# A certificate with fewer days left than this is "expiring": the box requests a new one (docs/protocols.md §7).
EXPIRING_DAYS = 10
ODOO_IOT_DOMAIN = ".odoo-iot.com"
# A box error code, with the HTTP status after a space when the code carries one, as the documentation writes it:
# "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404" (docs/protocols.md).
ERROR_CODE_SHAPE = re.compile(r"^(?P<code>[A-Z][A-Z0-9_]{0,63})(?: (?P<status>[1-5][0-9]{2}))?$")
# Refused at two places of _error_code: a status without a code, and a status that is not the code's.
ERROR_STATUS_REFUSED = _lt("error_status must be the HTTP status (100 to 599) of the error_code, or null.")
MAX_TEXT = {"identifier": 128, "name": 128, "ip": 255, "version": 64, "subject": 255, "error_detail": 2000}
# What a certificate report without the box secret may carry: the certificate of a paired box, never where the
# box is reached or what it is called (docs/threat-model.md).
REPORT_WITHOUT_SECRET_KEYS = frozenset(
    {"identifier", "ssl_certificate_end_date", "subject", "error_code", "error_status", "error_detail"}
)

# The box's error codes with the user documentation's explanation and remedies (docs/protocols.md lists the codes);
# the box's homepage shows the same sentences (iot_box/i18n), and nl.po holds the same Dutch.
BOX_ERRORS = {
    "ERR_IOT_HTTPS_CHECK_NO_SERVER": (
        _lt("The server configuration is missing, i.e., the Odoo instance is not connected to the IoT system."),
        (
            _lt(
                "Connect the IoT system to the database: create a connection token here and paste it on the IoT "
                "system's homepage."
            ),
        ),
    ),
    "ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION": (
        _lt("An error occurred while attempting to read the existing HTTPS certificate."),
        (_lt("Verify that the HTTPS certificate file is readable."),),
    ),
    "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL": (
        # TRANSLATORS: The documentation reads "is missing form the IoT": "form" is a typo for "from".
        _lt("The contract and/or database UUID is missing from the IoT."),
        (
            _lt(
                "Verify that both values are correctly configured. To update them, access the IoT box's or Windows "
                "virtual IoT's homepage, click the (cogs) button, then click Credential."
            ),
        ),
    ),
    "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION": (
        _lt(
            "An unexpected error occurred while the IoT system tried to reach https://www.odoo.com. This is most "
            "likely due to network-related issues, such as:"
        ),
        (
            _lt("The IoT system does not have internet access."),
            _lt("Network restrictions (e.g., firewalls or VPNs) prevent communication with https://www.odoo.com."),
            _lt(
                "The firewall prevents the HTTPS certificate from being generated correctly. In this case, "
                "deactivate the firewall until the certificate has been successfully generated."
            ),
            _lt(
                "Some devices, such as routers that have a built-in firewall, can prevent the HTTPS certificate "
                "from being generated."
            ),
        ),
    ),
    "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS": (
        # TRANSLATORS: The Dutch documentation's words, "(statuscodes)" included.
        _lt(
            "The IoT system successfully reached https://www.odoo.com but received an unexpected HTTP response "
            "(status code). This error code contains the HTTP status. For example, "
            'ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404 means the server returned a "Page not found" response.'
        ),
        (
            _lt(
                "Open https://www.odoo.com in a web browser to check whether the website is temporarily "
                "unavailable due to maintenance."
            ),
            # TRANSLATORS: The Dutch documentation says "3-cijferige HTTPS-statuscode"; the Dutch keeps its words,
            # the English corrects it to HTTP (the status is the HTTP response's).
            _lt(
                "If https://www.odoo.com is down for maintenance, wait until it is available again. If the website "
                "is operational, open a support ticket and make sure to include the 3-digit HTTP status code in it."
            ),
        ),
    ),
    "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT": (
        _lt(
            "The IoT system successfully connected to https://www.odoo.com, but the server refused to provide the "
            "HTTPS certificate."
        ),
        (
            _lt(
                "Check that the IoT system and the database meet the eligibility requirements for an HTTPS "
                "certificate."
            ),
            _lt("The Eligibility line below says which requirement this database does not meet."),
        ),
    ),
}
UNKNOWN_ERROR = (
    _lt("The IoT system reported an error code this database does not know."),
    (
        _lt(
            "Refresh the IoT system's homepage to see whether the problem is solved; if it persists, read the "
            "error detail."
        ),
    ),
)
LATE_SUBSCRIPTION_ADVICE = _lt(
    "The IoT box subscription was added after connecting the IoT system to the database. In this case, refresh "
    "the IoT system's homepage or reboot/restart the IoT system to regenerate the HTTPS certificate."
)


def parse_utc(value: str | None, field_name: str) -> datetime | None:
    """An ISO 8601 time from a box as a naive UTC datetime (the ORM's convention), None for null."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise UserError(_("%s must be an ISO 8601 date and time in UTC or null.", field_name)) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


class IotBox(models.Model):
    _name = "iot.box"
    _description = "IoT Box"
    _order = "name, id"

    # What the box reports (at pairing, at each start, in each status report) is read-only in the web client:
    # an edit would be overwritten by the box's next call, or would misstate its certificate.
    name = fields.Char(required=True, index=True, readonly=True, help="The name the box gives itself.")
    identifier = fields.Char(
        required=True, index=True, readonly=True, help="The box's own unique identifier (its MAC address)."
    )
    ip = fields.Char(string="Domain Address", readonly=True, help="Where the box is reached: odoo-iot.com name or IP.")
    ip_url = fields.Char(string="URL", compute="_compute_ip_url", store=True)
    version = fields.Char(readonly=True)
    ssl_certificate_end_date = fields.Datetime(string="Certificate End Date", index=True, readonly=True)
    certificate_subject = fields.Char(readonly=True)
    certificate_state = fields.Selection(
        [
            ("valid", "Valid"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
            ("missing", "Missing"),
            ("error", "Error"),
        ],
        compute="_compute_certificate_state",
        store=True,
        index=True,
        help="Expiring: fewer than 10 days left. Missing: the box never reported a certificate.",
    )
    error_code = fields.Char(
        string="Last Error", index=True, readonly=True, help="The box's error code, with the HTTP status if it has one."
    )
    error_status = fields.Integer(
        string="HTTP Status",
        readonly=True,
        help="The HTTP status odoo.com answered, for ERR_IOT_HTTPS_LOAD_REQUEST_STATUS.",
    )
    error_detail = fields.Text(readonly=True)
    error_explanation = fields.Text(compute="_compute_error_help")
    error_remedy = fields.Text(string="What To Do", compute="_compute_error_help")
    connected_at = fields.Datetime(string="Connected On", readonly=True)
    certificate_reported_at = fields.Datetime(string="Last Report", readonly=True)
    connected_before_iot_line = fields.Boolean(
        string="Connected Before IoT Subscription Line",
        compute="_compute_connected_before_iot_line",
        help="The box was connected before the IoT box line was added to the subscription.",
    )
    late_subscription_advice = fields.Text(compute="_compute_connected_before_iot_line")
    eligibility_message = fields.Text(
        string="Eligibility",
        compute="_compute_eligibility",
        help="Whether odoo.com issues certificates to this database's boxes, and if not, why.",
    )
    database_eligible = fields.Boolean(
        compute="_compute_eligibility", help="odoo.com issues certificates to this database's boxes."
    )
    box_secret_index = fields.Char(index=True, readonly=True)
    box_secret_hash = fields.Char(readonly=True, groups=fields.NO_ACCESS)  # readable with sudo only

    _sql_constraints = [
        ("identifier_unique", "UNIQUE(identifier)", "Another IoT box already has this identifier."),
    ]

    # -- computed fields -------------------------------------------------------------------------------------
    @api.depends("ip")
    def _compute_ip_url(self):
        for box in self:
            if not box.ip:
                box.ip_url = False
                continue
            host = box.ip.rsplit(":", 1)[0] if box.ip.count(":") == 1 else box.ip
            scheme = "https" if host.lower().endswith(ODOO_IOT_DOMAIN) else "http"
            box.ip_url = f"{scheme}://{box.ip}"

    @api.depends("ssl_certificate_end_date", "error_code")
    def _compute_certificate_state(self):
        now = fields.Datetime.now()
        for box in self:
            box.certificate_state = box._certificate_state_at(now)

    def _certificate_state_at(self, now: datetime) -> str:
        self.ensure_one()
        if self.error_code:
            return "error"
        end = self.ssl_certificate_end_date
        if not end:
            return "missing"
        if end <= now:
            return "expired"
        if end <= now + timedelta(days=EXPIRING_DAYS):
            return "expiring"
        return "valid"

    @api.depends("error_code")
    def _compute_error_help(self):
        for box in self:
            if not box.error_code:
                box.error_explanation = box.error_remedy = False
                continue
            explanation, remedy = BOX_ERRORS.get(box.error_code.split(" ", 1)[0], UNKNOWN_ERROR)
            box.error_explanation = str(explanation)
            box.error_remedy = "\n".join(map(str, remedy))  # map: str() must run in this frame (_lt)

    @api.depends("connected_at", "certificate_state")
    def _compute_connected_before_iot_line(self):
        line_added_at = self.env["iot.subscription"].sudo()._get_main(create=False).first_iot_line_added_at
        for box in self:
            late = bool(
                line_added_at
                and box.connected_at
                and box.connected_at < line_added_at
                and box.certificate_state in ("missing", "error")
            )
            box.connected_before_iot_line = late
            box.late_subscription_advice = str(LATE_SUBSCRIPTION_ADVICE) if late else False

    def _compute_eligibility(self):
        verdict = self.env["iot.eligibility"]._evaluate()
        for box in self:
            box.database_eligible = verdict["eligible"]
            box.eligibility_message = verdict["message"]

    # -- cron ------------------------------------------------------------------------------------------------
    @api.model
    def _cron_expiry_sweep(self) -> int:
        """Move certificates across the 10-day and end-date lines as time passes; return how many changed."""
        now = fields.Datetime.now()
        stale = self.search(
            [
                "|",
                "&",
                ("certificate_state", "=", "valid"),
                ("ssl_certificate_end_date", "<=", now + timedelta(days=EXPIRING_DAYS)),
                "&",
                ("certificate_state", "=", "expiring"),
                ("ssl_certificate_end_date", "<=", now),
            ]
        )
        for state in ("expiring", "expired"):
            changed = stale.filtered(lambda box, state=state: box._certificate_state_at(now) == state)
            if changed:
                changed.write({"certificate_state": state})
        return len(stale)

    # -- pairing and reports (called by the controller, with sudo) -------------------------------------------
    @api.model
    def _pair_with_token(self, token: str, values: dict) -> tuple[IotBox, str]:
        """Pair the box that presents a connection token: create it, or update it when it is known already.

        Returns the box and its new secret (the only time the secret exists in clear).
        """
        values = self._clean_setup_values(values)
        self.env["iot.connect.token"]._consume(token, values["identifier"])
        issued = issue_secret()
        values = {
            **values,
            "connected_at": fields.Datetime.now(),
            "box_secret_index": issued.index,
            "box_secret_hash": issued.hashed,
        }
        box = self.search([("identifier", "=", values["identifier"])], limit=1)
        if box:
            box.write(values)
        else:
            box = self.create(values)
        return box, issued.secret

    def _update_from_setup(self, values: dict) -> None:
        """A paired box calls /iot/setup again (restart, new address): refresh its record."""
        values = self._clean_setup_values(values)
        self._check_identifier(values["identifier"])
        self.write(values)

    def _report_certificate_status(self, params: dict) -> None:
        """Record what the box, authenticated by its secret, says about its certificate and its address."""
        self._check_identifier(_text(params, "identifier", required=True))
        values = _certificate_values(params)
        if params.get("ip") is not None:
            values["ip"] = _text(params, "ip")
        self.write(values)

    @api.model
    def _report_certificate_status_without_secret(self, params: dict) -> None:
        """Record the certificate an 18.3+/19 box reports without a secret: only the certificate fields of the
        paired box with that identifier change; a report that would change more, or create a box, is refused."""
        needs_secret = sorted(set(params) - REPORT_WITHOUT_SECRET_KEYS)
        if needs_secret:
            raise AccessError(
                _(
                    "A certificate report without the box secret may only state the certificate; reporting %s "
                    "needs the box secret (Authorization: Bearer <box secret>).",
                    ", ".join(needs_secret),
                )
            )
        identifier = _text(params, "identifier", required=True)
        box = self.search([("identifier", "=", identifier), ("box_secret_index", "!=", False)], limit=1)
        if not box:
            raise UserError(
                _(
                    "No IoT box with the identifier %s is connected to this database: connect the box with a "
                    "connection token first, then it can report its certificate.",
                    identifier,
                )
            )
        box.write(_certificate_values(params))

    @api.model
    def _authenticate_secret(self, secret: str) -> IotBox:
        """The box whose secret this is, or an empty recordset."""
        index = secret_index(secret or "")
        if index:
            # The whole row comes with the search (the write of a report computes the certificate state from
            # it): a status report is this query and its UPDATE, nothing more.
            box = self.search_fetch([("box_secret_index", "=", index)], list(self._fields), limit=1, order="id")
            if box and verify_secret(secret, box.box_secret_hash):
                return box
        return self.browse()

    def _check_identifier(self, identifier: str) -> None:
        self.ensure_one()
        if identifier != self.identifier:
            raise UserError(_("This box secret belongs to another IoT box."))

    @api.model
    def _clean_setup_values(self, params: dict) -> dict:
        return {
            "identifier": _text(params, "identifier", required=True),
            "name": _text(params, "name") or _text(params, "identifier", required=True),
            "ip": _text(params, "ip"),
            "version": _text(params, "version"),
        }


def _text(params: dict, key: str, required: bool = False) -> str | bool:
    """A text parameter from a box, checked: a string of sensible length, or False when absent or null."""
    value = params.get(key)
    if value is None or value == "":
        if required:
            raise UserError(_("The parameter %s is required.", key))
        return False
    if not isinstance(value, str):
        raise UserError(_("The parameter %s must be a string.", key))
    if len(value) > MAX_TEXT[key]:
        raise UserError(_("The parameter %s is longer than %s characters.", key, MAX_TEXT[key]))
    return value


def _certificate_values(params: dict) -> dict:
    """The certificate fields a report sets: the report states the whole certificate, so an absent key clears."""
    error_code, error_status = _error_code(params.get("error_code"), params.get("error_status"))
    return {
        "ssl_certificate_end_date": parse_utc(params.get("ssl_certificate_end_date"), "ssl_certificate_end_date"),
        "certificate_subject": _text(params, "subject"),
        "error_code": error_code,
        "error_status": error_status,
        "error_detail": _text(params, "error_detail"),
        "certificate_reported_at": fields.Datetime.now(),
    }


def _error_code(value, status) -> tuple[str | bool, int | bool]:
    """The reported code as the documentation writes it (with its HTTP status, if any), and that status.

    A box may give the status in the code ("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404"), in ``error_status``, or in
    both when they agree; a status without a code is refused."""
    if value is None or value == "":
        if status is not None:
            raise UserError(str(ERROR_STATUS_REFUSED))
        return False, False
    match = ERROR_CODE_SHAPE.match(value) if isinstance(value, str) else None
    if not match:
        raise UserError(_("error_code must be a code such as ERR_IOT_HTTPS_LOAD_REQUEST_STATUS, or null."))
    in_code = int(match["status"]) if match["status"] else None
    if status is not None and (
        isinstance(status, bool)
        or not isinstance(status, int)
        or not 100 <= status <= 599
        or in_code not in (None, status)
    ):
        raise UserError(str(ERROR_STATUS_REFUSED))
    status = in_code if in_code is not None else status
    return (f"{match['code']} {status}", status) if status is not None else (match["code"], False)
