"""Who gets a certificate (docs/protocols.md §6): the rules in their order, each failing one with its reason code.

The facts are read fresh for every request, so a subscription whose IoT box line is added after a refusal
issues on the next request."""

from __future__ import annotations

import datetime as dt
from typing import Any

# Reason codes in the order they are checked, with the documentation's words for a person who reads them.
REASONS = {
    "unknown_subscription": "The enterprise code is not a known Odoo subscription.",
    "unknown_database": "The database UUID is not registered with this Odoo subscription.",
    "database_not_production": "The database must be a production instance: it may not be a copy, duplicate, "
    "staging or development environment.",
    "subscription_not_in_progress": "The Odoo subscription must be ongoing (In Progress status).",
    "no_iot_box_line": "The Odoo subscription must have an IoT box subscription line.",
}
RATE_LIMITED = "rate_limited"


def has_iot_box_line(subscription: dict[str, Any], now: dt.datetime) -> bool:
    """An IoT box line with a quantity, already added (a line dated in the future does not count yet)."""
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return any(
        line["product"] == "iot_box" and line["quantity"] > 0 and line["added_at"] <= stamp
        for line in subscription["lines"]
    )


def refusal(
    subscription: dict[str, Any] | None, database: dict[str, Any] | None, now: dt.datetime
) -> str | None:
    """The first failing rule's reason code, or None when the database may have a certificate."""
    if subscription is None:
        return "unknown_subscription"
    if database is None or database["subscription"] != subscription["code"]:
        return "unknown_database"
    if database["kind"] != "production":
        return "database_not_production"
    if subscription["state"] != "in_progress":
        return "subscription_not_in_progress"
    if not has_iot_box_line(subscription, now):
        return "no_iot_box_line"
    return None

