"""The database's Odoo subscription as odoo.com last described it (``/publisher-warranty/``), and its sync."""

from __future__ import annotations

import logging

import requests
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import config

from .iot_box import parse_utc

_logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
ODOO_COM_URL = "https://www.odoo.com"  # unless the [iot_https] odoo_com_url option says otherwise
STATES = [("draft", "Quotation"), ("in_progress", "In Progress"), ("paused", "Paused"), ("closed", "Closed")]
DATABASE_KINDS = [
    ("production", "Production"),
    ("staging", "Staging"),
    ("development", "Development"),
    ("duplicate", "Duplicate"),
]


class OdooComUnreachable(UserError):
    """odoo.com did not give the subscription facts; the message says what happened (never a secret)."""


class IotSubscription(models.Model):
    _name = "iot.subscription"
    _description = "IoT Subscription"

    # Everything here is what odoo.com said at the last synchronisation: read-only for admins too.
    name = fields.Char(default="Odoo subscription", required=True, readonly=True)
    # The enterprise code is a secret: only settings admins (who may read database.enterprise_code) see it.
    code = fields.Char(
        readonly=True, groups="base.group_system", help="The enterprise code the facts were synchronised for."
    )
    found = fields.Boolean(string="Known to odoo.com", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    line_ids = fields.One2many("iot.subscription.line", "subscription_id", string="Lines", readonly=True)
    database_registered = fields.Boolean(
        string="Database Registered", readonly=True, help="odoo.com knows this database for the subscription."
    )
    database_kind = fields.Selection(DATABASE_KINDS, string="Kind at odoo.com", readonly=True)
    production_database = fields.Boolean(
        readonly=True, help="odoo.com knows this database as the production database of the subscription."
    )
    last_sync_at = fields.Datetime(string="Last Synchronised", readonly=True)
    last_sync_error = fields.Text(readonly=True)
    first_iot_line_added_at = fields.Datetime(
        string="IoT Box Line Added On", compute="_compute_first_iot_line_added_at"
    )
    # One compute for the database's identity and the verdict on it: the page reads the parameters once.
    database_uuid = fields.Char(string="Database UUID", compute="_compute_database_facts")
    database_environment = fields.Char(string="Environment", compute="_compute_database_facts")
    database_is_neutralized = fields.Boolean(string="Neutralized", compute="_compute_database_facts")
    enterprise_code_set = fields.Boolean(string="Enterprise Code Set", compute="_compute_database_facts")
    eligible = fields.Boolean(compute="_compute_database_facts")
    eligibility_reason = fields.Char(compute="_compute_database_facts")
    eligibility_message = fields.Text(string="Eligibility", compute="_compute_database_facts")

    @api.depends("line_ids.added_at", "line_ids.product", "line_ids.quantity")
    def _compute_first_iot_line_added_at(self):
        for subscription in self:
            lines = subscription.line_ids._iot_box_lines_at(fields.Datetime.now())
            dates = [line.added_at for line in lines if line.added_at]
            subscription.first_iot_line_added_at = min(dates) if dates else False

    def _compute_database_facts(self):
        eligibility = self.env["iot.eligibility"]
        identity = eligibility._database_identity()
        verdict = eligibility._evaluate(identity)
        for subscription in self:
            subscription.database_uuid = identity["uuid"]
            subscription.database_environment = identity["environment"]
            subscription.database_is_neutralized = identity["is_neutralized"]
            subscription.enterprise_code_set = bool(identity["enterprise_code"])
            subscription.eligible = verdict["eligible"]
            subscription.eligibility_reason = verdict["reason"]
            subscription.eligibility_message = verdict["message"]

    @api.model
    def _get_main(self, create: bool = True) -> IotSubscription:
        """The one subscription record of this database, made on first use (empty with ``create=False``)."""
        main = self.search([], limit=1)
        return main if main or not create else self.create({})

    # -- synchronisation with odoo.com -----------------------------------------------------------------------
    @api.model
    def _synchronise(self, identity: dict | None = None) -> IotSubscription:
        """Fetch the subscription facts from odoo.com and store them; raise OdooComUnreachable if it fails.

        ``identity`` is ``iot.eligibility._database_identity()`` when the caller has read it already.
        """
        subscription = self.sudo()._get_main()
        identity = identity or self.env["iot.eligibility"]._database_identity()
        if not identity["enterprise_code"]:  # nothing to ask odoo.com about: no subscription
            nothing = {"subscription": None, "database": None, "production_database": False}
            subscription._store_facts("", nothing)
            return subscription
        try:
            facts = _fetch_publisher_warranty(identity["uuid"], identity["enterprise_code"])
        except OdooComUnreachable as exc:
            subscription.write({"last_sync_error": str(exc)})
            raise
        subscription._store_facts(identity["enterprise_code"], facts)
        return subscription

    def _store_facts(self, enterprise_code: str, facts: dict) -> None:
        self.ensure_one()
        found = facts["subscription"] or {}
        database = facts["database"] or {}
        self.line_ids.unlink()
        self.env["iot.subscription.line"].create(
            [{**line, "subscription_id": self.id} for line in found.get("lines", [])]
        )
        self.write(
            {
                "code": enterprise_code or False,
                "found": bool(found),
                "state": found.get("state") or False,
                "database_registered": bool(database),
                "database_kind": database.get("kind") or False,
                "production_database": facts["production_database"],
                "last_sync_at": fields.Datetime.now(),
                "last_sync_error": False,
            }
        )

    @api.model
    def _synchronise_or_log(self, when: str) -> None:
        """Synchronise; if odoo.com cannot be reached, log it in one line (the error is kept on the record too)
        and go on: the checks synchronise again before they decide."""
        try:
            self._synchronise()
        except OdooComUnreachable as exc:
            _logger.warning("Synchronising the subscription with odoo.com %s failed: %s", when, exc)

    @api.model
    def _cron_synchronise(self) -> None:
        self._synchronise_or_log("(daily job)")

    def _register_hook(self) -> None:
        """Every server start synchronises (as do the installation, the daily job and each check); odoo.com out of
        reach does not keep the server from starting."""
        super()._register_hook()
        self._synchronise_or_log("at server start")

    # -- buttons ---------------------------------------------------------------------------------------------
    def action_synchronise(self) -> dict:
        eligibility = self.env["iot.eligibility"]
        identity = eligibility._database_identity()  # read once for the synchronisation and the verdict
        try:
            self._synchronise(identity)
        except OdooComUnreachable as exc:
            return _notification(_("Synchronisation failed"), str(exc), "warning")
        verdict = eligibility._evaluate(identity)
        return _notification(_("Synchronised with odoo.com"), verdict["message"], "success")

    def action_connect_box(self) -> dict:
        connection = self.env["iot.connect.token"]._issue(request.httprequest.host_url if request else None)
        message = _(
            "Paste this connection token on the IoT system's homepage (or run iot-box --connect) within 15 "
            "minutes; it works once."
        )
        # The token goes in a field of its own with a Copy button (the host's ``copy`` param): no hand selection.
        notification = _notification(_("Connect an IoT box"), message, "info", sticky=True)
        notification["params"].update(copy=connection, copy_label=_("Connection token"))
        return notification


def _notification(title: str, message: str, kind: str, sticky: bool = False) -> dict:
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {"title": title, "message": message, "type": kind, "sticky": sticky},
    }


def _fetch_publisher_warranty(db_uuid: str, enterprise_code: str) -> dict:
    """Ask odoo.com for this database's subscription facts (contract: common brief, docs/protocols.md §6)."""
    options = config.misc.get("iot_https", {})  # the [iot_https] section of the server's configuration
    base_url = (options.get("odoo_com_url") or ODOO_COM_URL).rstrip("/")
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {"db_uuid": db_uuid, "enterprise_code": enterprise_code},
    }
    try:
        response = requests.post(
            f"{base_url}/publisher-warranty/",
            json=payload,
            timeout=TIMEOUT_SECONDS,
            verify=options.get("odoo_com_ca") or True,
        )
    except requests.exceptions.SSLError:
        raise OdooComUnreachable(
            _("The TLS certificate of %s is not trusted (for a test CA, pass --odoo-com-ca).", base_url)
        ) from None
    except requests.Timeout:
        raise OdooComUnreachable(_("%s did not answer within %s seconds.", base_url, TIMEOUT_SECONDS)) from None
    except requests.RequestException:
        raise OdooComUnreachable(
            _("%s could not be reached: check the server's internet access and --odoo-com-url.", base_url)
        ) from None
    if response.status_code != 200:
        raise OdooComUnreachable(_("%s answered HTTP %s to the subscription check.", base_url, response.status_code))
    try:
        return _parse_facts(response.json()["result"])
    except (ValueError, KeyError, TypeError, AttributeError, UserError):
        raise OdooComUnreachable(_("%s gave an unexpected answer to the subscription check.", base_url)) from None


def _parse_facts(result: dict) -> dict:
    """The answer of /publisher-warranty/ checked and shaped for storage; raises on anything unexpected."""
    subscription = result["subscription"]
    database = result["database"]
    if subscription is not None:
        if subscription["state"] not in dict(STATES):
            raise ValueError(subscription["state"])
        subscription = {
            "state": subscription["state"],
            "lines": [
                {
                    "product": str(line["product"]),
                    "quantity": int(line.get("quantity", 1)),
                    "added_at": parse_utc(line.get("added_at"), "added_at"),
                }
                for line in subscription.get("lines") or []
            ],
        }
    if database is not None:
        if database["kind"] not in dict(DATABASE_KINDS):
            raise ValueError(database["kind"])
        database = {"kind": database["kind"]}
    return {
        "subscription": subscription,
        "database": database,
        "production_database": bool(result.get("production_database")),
    }
