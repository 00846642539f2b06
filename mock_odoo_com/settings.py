"""The knobs a test can turn with ``PUT /mock/settings``: each has a name, a default, a check and a sentence.

The settings live in the store, so every worker process and the DNS process see a change at once.
"""

from __future__ import annotations

import copy
from typing import Any

from mock_odoo_com.generations import AUTO, ERROR_OBJECT, FALSE

DEFAULTS: dict[str, Any] = {
    "validity_days": 90,
    "key_type": "ecdsa-p256",
    "refusal_style": AUTO,
    "rate_limit": {"per_db": None, "window_s": 3600},
    "dns_rebinding_protection": False,
}

DOCS = {
    "validity_days": "days from notBefore to notAfter of an issued certificate (1 to 3650; default 90)",
    "key_type": 'key of a certificate whose key the mock makes: "ecdsa-p256" (default) or "rsa-2048"',
    "refusal_style": 'how a refusal looks: "auto" (default: the shape the calling box reads, told from what it '
    'sends: result false for an Odoo 17 box and for a JSON-RPC 2.0 call, result {"error": <reason code>, '
    '"message": ...} for an Odoo 18.3+/19 box; see docs/real-boxes.md), or one shape for every caller: '
    '"false" or "error_object"',
    "rate_limit": 'at most "per_db" certificates per database in "window_s" seconds, then HTTP 429 '
    '("per_db": null, the default, means no limit)',
    "dns_rebinding_protection": "the mock DNS drops answers that point at private addresses, as a router "
    "with DNS-rebinding protection does (default false)",
}

KEY_TYPES = ("ecdsa-p256", "rsa-2048")
REFUSAL_STYLES = (AUTO, FALSE, ERROR_OBJECT)


class SettingsError(ValueError):
    """A settings change that cannot be applied; the message says which value and what is allowed."""


def merged(current: dict[str, Any], changes: object) -> dict[str, Any]:
    """``current`` with ``changes`` (any subset; ``rate_limit`` may be partial), all checked first."""
    if not isinstance(changes, dict):
        raise SettingsError('settings must be a JSON object, e.g. {"validity_days": 30}')
    unknown = sorted(set(changes) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
    result = copy.deepcopy(current)
    for name, value in changes.items():
        result[name] = _CHECKS[name](value, result[name])
    return result


def _int_in(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return value


def _one_of(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _rate_limit(value: object, current: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - {"per_db", "window_s"}:
        raise SettingsError('rate_limit must be an object with "per_db" (number or null) and/or "window_s"')
    result = dict(current)
    if "per_db" in value:
        per_db = value["per_db"]
        result["per_db"] = None if per_db is None else _int_in("rate_limit.per_db", per_db, 1, 10**9)
    if "window_s" in value:
        result["window_s"] = _int_in("rate_limit.window_s", value["window_s"], 1, 10**8)
    return result


def _bool(value: object, _current: object) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(f"dns_rebinding_protection must be true or false, not {value!r}")
    return value


_CHECKS = {
    "validity_days": lambda value, _current: _int_in("validity_days", value, 1, 3650),
    "key_type": lambda value, _current: _one_of("key_type", value, KEY_TYPES),
    "refusal_style": lambda value, _current: _one_of("refusal_style", value, REFUSAL_STYLES),
    "rate_limit": _rate_limit,
    "dns_rebinding_protection": _bool,
}
