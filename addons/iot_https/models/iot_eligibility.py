"""Whether odoo.com will issue HTTPS certificates to this database's IoT boxes (docs/protocols.md §6), and why not.

The rules are odoo.com's, in odoo.com's order, evaluated on the server's own data: its identity parameters and
the subscription as last synchronised. ``check()`` is the entry point for scripts (external API, ``iot-server
check-eligibility``); the admin pages show ``_evaluate()`` of the stored facts.
"""

from __future__ import annotations

from odoo import _, _lt, api, fields, models

from .iot_subscription import DATABASE_KINDS, STATES, OdooComUnreachable

CHECK_FAILED = "check_failed"
NOT_PRODUCTION = _lt(
    "The database must be a production instance. The database instance may not be a copy, duplicate, staging "
    "or development environment."
)


class IotEligibility(models.AbstractModel):
    _name = "iot.eligibility"
    _description = "IoT HTTPS Certificate Eligibility"

    @api.model
    def check(self) -> dict:
        """Synchronise with odoo.com, then give the verdict.

        Returns ``{"eligible": bool, "reason": code or False, "message": str, "checked_at": ISO 8601 UTC}``;
        ``reason`` is ``check_failed`` when odoo.com could not be asked (the verdict is then unknown).
        """
        checked_at = fields.Datetime.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        identity = self._database_identity()  # read once for the synchronisation and the verdict
        try:
            self.env["iot.subscription"].sudo()._synchronise(identity)
        except OdooComUnreachable as exc:
            message = _("The eligibility could not be checked: %s", str(exc))
            return {"eligible": False, "reason": CHECK_FAILED, "message": message, "checked_at": checked_at}
        return {**self._evaluate(identity), "checked_at": checked_at}

    @api.model
    def _evaluate(self, identity: dict | None = None) -> dict:
        """The verdict on the stored facts: ``{"eligible", "reason", "message"}``; ``identity`` is
        ``_database_identity()`` when the caller has read it already."""
        identity = identity or self._database_identity()
        subscription = self.env["iot.subscription"].sudo()._get_main(create=False)
        reason, detail = self._first_failing_rule(identity, subscription)
        if not reason:
            return {
                "eligible": True,
                "reason": False,
                "message": _(
                    "The database meets the eligibility criteria: its IoT systems can get their HTTPS "
                    "certificate."
                ),
            }
        return {"eligible": False, "reason": reason, "message": detail}

    @api.model
    def _first_failing_rule(self, identity: dict, subscription) -> tuple[str | bool, str]:
        """The first rule that fails, in the order odoo.com checks them (docs/protocols.md §6), with its explanation.

        rate_limited is odoo.com's alone (a 429, not a refusal), so it is not among them.
        """
        code = identity["enterprise_code"]
        if not code:
            return "unknown_subscription", _(
                "No IoT box subscription is linked to your account: this database has no enterprise code. "
                "Set it with: iot-server config set database.enterprise_code CODE."
            )
        if not subscription.last_sync_at or subscription.code != code:
            return CHECK_FAILED, _(
                "The subscription of this enterprise code was not synchronised with odoo.com yet: "
                "synchronise now."
            )
        if not subscription.found:
            return "unknown_subscription", _(
                "No IoT box subscription is linked to your account: odoo.com does not know this database's "
                "enterprise code. Check it with: iot-server config get database.enterprise_code."
            )
        if not subscription.database_registered:
            return "unknown_database", _(
                "This database (UUID %s) is not registered with the Odoo subscription of its enterprise "
                "code.",
                identity["uuid"],
            )
        if identity["is_neutralized"]:
            return "database_not_production", str(NOT_PRODUCTION) + " " + _("This database is neutralized.")
        if identity["environment"] != "production":
            return "database_not_production", str(NOT_PRODUCTION) + " " + _(
                "This database's environment is %s.", identity["environment"]
            )
        if not subscription.production_database:
            return "database_not_production", str(NOT_PRODUCTION) + " " + _(
                "odoo.com knows this database as a %s database, not as the subscription's production "
                "database.",
                _(dict(DATABASE_KINDS).get(subscription.database_kind, "Duplicate")).lower(),
            )
        if subscription.state != "in_progress":
            return "subscription_not_in_progress", _(
                "The Odoo subscription must be ongoing (In Progress status); it is %s.",
                _(dict(STATES).get(subscription.state, "Quotation")),
            )
        if not subscription.line_ids._iot_box_lines_at(fields.Datetime.now()):
            return "no_iot_box_line", _(
                "No IoT box subscription is linked to your account: the Odoo subscription must have an IoT "
                "box "
                "subscription line."
            )
        return False, ""

    @api.model
    def _database_identity(self) -> dict:
        params = self.env["ir.config_parameter"].sudo()
        return {
            "uuid": params.get_param("database.uuid") or "",
            "enterprise_code": params.get_param("database.enterprise_code") or "",
            "environment": params.get_param("database.environment") or "production",
            "is_neutralized": params.get_param("database.is_neutralized") == "True",
        }
