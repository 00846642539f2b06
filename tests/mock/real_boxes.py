"""The recorded requests of real IoT boxes (tests/data/real_boxes) and how each generation reads the answer.

The readers follow the order of checks of the boxes' own code, step for step, in our words (the recordings name
the source): where the box's code would fail on an answer it does not expect, the reader fails the same way
(``KeyError``, ``TypeError``, ``AttributeError``), so a test sees the crash a real box would have.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "real_boxes"
GENERATIONS = ("odoo17_hw_drivers", "odoo19_iot_drivers")


def recording(generation: str) -> dict[str, Any]:
    return json.loads((DATA / f"{generation}.json").read_text(encoding="utf-8"))


def hw_drivers_reads(status: int, body: bytes) -> str:
    """What an Odoo 17 box makes of odoo.com's answer: an error code, or ``"installed <subject>"``."""
    if status != 200:
        return f"ERR_IOT_HTTPS_LOAD_REQUEST_STATUS {status}"
    result = json.loads(body.decode("utf8"))["result"]
    if not result:
        return "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"
    subject, certificate, key = result["subject_cn"], result["x509_pem"], result["private_key_pem"]
    assert certificate and key
    return f"installed {subject}"


def iot_drivers_reads(status: int, body: bytes) -> str:
    """What an Odoo 18.3+/19 box makes of odoo.com's answer: what it logs, or ``"installed <subject>"``."""
    if not 200 <= status < 400:  # raise_for_status()
        return f"request failed: HTTP {status}"
    try:
        answer = json.loads(body)
    except ValueError:
        return "request failed: not JSON"
    if answer.get("error"):
        return f"server error: {answer['error']}"
    result = answer.get("result", {})
    if result.get("error"):
        return f"refused: {result['error']}"
    subject, certificate, key = result["subject_cn"], result["x509_pem"], result["private_key_pem"]
    if not certificate or not key:
        return "certificate not valid"
    return f"installed {subject}"


READS = {"odoo17_hw_drivers": hw_drivers_reads, "odoo19_iot_drivers": iot_drivers_reads}
