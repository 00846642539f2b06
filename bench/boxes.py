"""The box's own figures, on real ``iot-box`` processes paired with the database server.

- Check to handshake: a box whose start-up check failed (an injected 503 from odoo.com) serves its placeholder;
  once the homepage may run the check again (10 s later), the homepage is requested and the clock runs from that
  request to the first TLS handshake that a client trusting the mock's root completes with the box's name (tried
  every few milliseconds meanwhile, while the page itself is still being answered).
- Process start to handshake: the clock runs from just before the process is started (no certificate yet) to
  that first trusted handshake. Its peer is the floor of any Python box: the interpreter starting and importing
  the box's modules.
"""

from __future__ import annotations

import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time

import requests

from bench.report import SECONDS, Bar, Row
from iot_box.box import HOMEPAGE_CHECK_INTERVAL
from iot_box.names import box_hostname
from iot_common.net import free_port
from iot_stack.system import Box, System

REAL_BOX_DELAY = 3.0  # the real box sleeps 3 s, then restarts nginx (docs/benchmark.md): shown beside our figure
TIMEOUT = 60.0
RETRY = 0.005  # between handshake attempts: often enough to time the bars, rarely enough not to load the box


def trusted_handshake_at(port: int, hostname: str, cafile: str, timeout: float = TIMEOUT) -> float | None:
    """``time.monotonic()`` of the first handshake with ``hostname`` that verifies against ``cafile``."""
    context = ssl.create_default_context(cafile=cafile)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
                with context.wrap_socket(raw, server_hostname=hostname):
                    return time.monotonic()
        except OSError:  # not listening yet, or the placeholder (ssl.SSLCertVerificationError is an OSError)
            time.sleep(RETRY)
    return None


def _start_box(system: System, name: str, token: str) -> Box:
    return system.start_box(name, http_port=free_port(), https_port=free_port(), connect=token)


def _wait_for_error(box: Box, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if box.status().get("error_code"):
            return
        time.sleep(0.05)
    raise RuntimeError(f"the box's start-up check did not fail as arranged:\n{box.service.log_tail()}")


def import_floor(runs: int = 3) -> float:
    """Seconds for a Python process to start and import the box's modules, then exit (median)."""
    code = "import iot_box.cli, iot_box.web, iot_box.serving, iot_box.check"
    times = []
    for _ in range(runs):
        start = time.monotonic()
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        times.append(time.monotonic() - start)
    return statistics.median(times)


def rows(system: System, db_uuid: str) -> list[Row]:
    cafile = str(system.odoo_com_ca)
    hostname = box_hostname("127.0.0.1", db_uuid)
    session = requests.Session()
    session.trust_env = False
    system.odoo_com_admin().set_fault("status", status=503, times=1)  # the next box's start-up check fails
    waiting = _start_box(system, "bench-box-check", system.connect_token())
    fresh = None
    try:
        _wait_for_error(waiting)
        failed_at = time.monotonic()

        token = system.connect_token()  # before the clock starts: it is the server's work, not the box's
        start = time.monotonic()
        fresh = _start_box(system, "bench-box-start", token)
        started = trusted_handshake_at(fresh.https_port, hostname, cafile)
        floor = import_floor()

        time.sleep(max(0.0, failed_at + HOMEPAGE_CHECK_INTERVAL + 0.5 - time.monotonic()))
        homepage = threading.Thread(target=session.get, args=(f"{waiting.http_url}/",),
                                    kwargs={"timeout": TIMEOUT})
        begin = time.monotonic()
        homepage.start()
        checked = trusted_handshake_at(waiting.https_port, hostname, cafile)
        homepage.join(TIMEOUT)
    finally:  # measured: the later figures need the two cores without them
        for box in (waiting, fresh):
            if box is not None:
                box.service.stop()
    return [
        Row("box: check start to trusted handshake", checked - begin if checked else None, SECONDS,
            "real box (documented)", REAL_BOX_DELAY, Bar("<= 0.2 s", 0.2),
            "" if checked else "no trusted handshake", ok=checked is not None),
        Row("box: process start to trusted handshake", started - start if started else None, SECONDS,
            "python + box imports", floor, Bar("<= 1.5 s", 1.5), "" if started else "no trusted handshake",
            ok=started is not None),
    ]
