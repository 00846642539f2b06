"""Reporting to the database server (docs/protocols.md §3): ``/iot/setup`` to pair, ``update_certificate_status``
on every change of the certificate state.

All calls run on one background thread: a server that is down is retried with a growing pause and never delays
the certificate work. Only the newest status waits to be sent; older ones are superseded.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import requests

from iot_box.config import BoxConfig

log = logging.getLogger(__name__)

FIRST_PAUSE, LONGEST_PAUSE = 0.5, 60.0
PROBLEMS = ("server_unreachable", "pairing_failed", "status_refused")  # their texts: i18n.PROBLEMS


def token_digest(token: str) -> str:
    """What the box keeps of a spent token: enough to recognise it, useless to anyone who reads it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RpcError(Exception):
    """The server answered, and said no (invalid token, unknown box): retrying would not help."""


@dataclass(frozen=True)
class Identity:
    identifier: str
    name: str
    ip: str
    version: str


def call(url: str, params: dict, secret: str | None = None, timeout: float = 10.0) -> object:
    """One JSON-RPC 2.0 call; RpcError for an answer that refuses, OSError (requests' errors) to retry."""
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    response = requests.post(url, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
                             headers=headers, timeout=timeout)
    if response.status_code in (401, 403):
        raise RpcError(f"the server refused this IoT system's credentials (HTTP {response.status_code})")
    response.raise_for_status()
    try:
        answer = response.json()
    except ValueError:
        raise requests.RequestException("the server's answer is not JSON") from None
    if isinstance(answer, dict) and answer.get("error"):
        error = answer["error"]
        raise RpcError(error.get("message", str(error)) if isinstance(error, dict) else str(error))
    return answer.get("result") if isinstance(answer, dict) else None


class Reporter:
    """Sends pairing and status calls in the background; ``state`` says how it went, for the homepage."""

    def __init__(self, config: BoxConfig, identity: Callable[[], Identity]) -> None:
        self.config = config
        self.identity = identity
        # None: nothing to say; else the last problem: (kind, detail), kind one of PROBLEMS
        self.state: tuple[str, str] | None = None
        self._setup_due = False
        self._status: dict | None = None
        self._wake = threading.Event()
        # Set while nothing is due and no retry is planned: the thread waits for the next call alone. A call
        # clears it at once (under the lock, so the thread cannot set it again between the call and its wake-up).
        self.idle = threading.Event()
        self._idle_lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="reporter", daemon=True)
        self._thread.start()

    def pair(self) -> None:
        """Call ``/iot/setup`` (with the token when there is one, else with the box secret)."""
        self._setup_due = True
        self._due()

    def report(self, status: dict) -> None:
        self._status = status
        self._due()

    def _due(self) -> None:
        with self._idle_lock:
            self.idle.clear()
            self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def _run(self) -> None:
        pause = FIRST_PAUSE
        while not self._stopped:
            try:
                self._send_due()
                pause = FIRST_PAUSE
                with self._idle_lock:
                    if not self._wake.is_set():  # no call came while _send_due ran
                        self.idle.set()
                self._wake.wait()
            except OSError as exc:  # requests' errors are OSErrors too
                self.state = ("server_unreachable", type(exc).__name__)
                log.warning("report to the database server failed, retry in %.1fs: %s", pause, exc)
                self._wake.wait(pause)  # a new call wakes it early; the pending work is kept either way
                pause = min(pause * 2, LONGEST_PAUSE)
            self._wake.clear()  # the work itself is read afresh by _send_due, so no call is lost

    def _send_due(self) -> None:
        server = self.config.get("remote_server")
        if not server:
            self._setup_due, self._status = False, None
            return
        server = server.rstrip("/")
        if self._setup_due:
            self._setup_due = False
            try:
                self._setup(server)
            except OSError:
                self._setup_due = True
                raise
            except RpcError as exc:
                self.state = ("pairing_failed", str(exc))
                log.warning("pairing failed: %s", exc)
                return
        status, secret = self._status, self.config.get("box_secret")
        if status is None or not secret:
            return  # without a secret (not paired yet) the status goes with the next successful pairing
        me = self.identity()
        try:
            call(f"{server}/iot/box/update_certificate_status", {"identifier": me.identifier, "ip": me.ip,
                                                                 **status}, secret)
            if self._status is status:
                self._status = None
            self.state = None
        except RpcError as exc:
            self._status = None
            self.state = ("status_refused", str(exc))

    def _setup(self, server: str) -> None:
        me = self.identity()
        params = {"identifier": me.identifier, "name": me.name, "ip": me.ip, "version": me.version}
        token, secret = self.config.get("token"), self.config.get("box_secret")
        if token:
            params["token"] = token
        result = call(f"{server}/iot/setup", params, None if token else secret)
        new_secret = result.get("box_secret") if isinstance(result, dict) else None
        if token:
            # The token is single use: once exchanged for the box's own secret it is of no more use.
            self.config.update(box_secret=new_secret or secret, token=None, token_used=token_digest(token))
        self.state = None
        log.info("paired with the database server %s", server)
