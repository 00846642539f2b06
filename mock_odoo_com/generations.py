"""Which kind of client sent a certificate request, told from what it sends, and the refusal shape it reads.

Real IoT boxes of two generations call ``/odoo-enterprise/iot/x509`` with the same bare body
``{"params": {"db_uuid": ..., "enterprise_code": ...}}`` but read a refusal differently (docs/real-boxes.md has
the requests and the answers byte for byte):

- an Odoo 17 box (``hw_drivers``) posts with urllib3 and sets ``Accept: text/plain`` itself; it takes a falsy
  ``result`` as a refusal, and fails on any other refusal;
- an Odoo 18.3+/19 box (``iot_drivers``) posts with ``requests`` (``Accept: */*``); it reads
  ``result.get("error")``, and fails on ``result: false``.

A client that wraps its call in a JSON-RPC 2.0 envelope (``"jsonrpc": "2.0"``: this project's box, scripts,
the README's example) is no real box of either generation; it gets the ``result: false`` that odoo.com has
always answered, with the reason in the ``X-Odoo-Iot-Refusal`` header.
"""

from __future__ import annotations

from werkzeug.datastructures import Headers

HW_DRIVERS = "hw_drivers"
IOT_DRIVERS = "iot_drivers"
JSON_RPC = "json_rpc"

FALSE, ERROR_OBJECT = "false", "error_object"
AUTO = "auto"

# The refusal each kind of client reads when the ``refusal_style`` setting is "auto".
_REFUSAL_READ = {HW_DRIVERS: FALSE, IOT_DRIVERS: ERROR_OBJECT, JSON_RPC: FALSE}


def generation(headers: Headers, enveloped: bool) -> str:
    """``HW_DRIVERS``, ``IOT_DRIVERS`` or ``JSON_RPC``: the kind of client behind a well-formed call."""
    if enveloped:
        return JSON_RPC
    if headers.get("Accept", "").strip().lower() == "text/plain":
        return HW_DRIVERS
    return IOT_DRIVERS


def refusal_style(setting: str, kind: str) -> str:
    """The refusal shape to answer: the one the setting forces, or with "auto" the one ``kind`` reads."""
    return _REFUSAL_READ[kind] if setting == AUTO else setting
