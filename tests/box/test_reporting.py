"""Reporting to the database server (docs/protocols.md §3). The real server comes from other branches; these tests use a
small JSON-RPC endpoint of their own that records the calls (the integrator's end-to-end test covers the real
pairing)."""

from __future__ import annotations

import json
import threading

import pytest
from boxhelpers import IP, new_box
from werkzeug.serving import make_server
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from iot_box.web import BoxWeb
from iot_common.net import free_port
from iot_common.procs import wait_until

SECRET = "box-secret-1"


class FakeServer:
    """Records every call; ``/iot/setup`` takes the token ``good`` once and answers with SECRET."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.calls: list[tuple[str, dict, str | None]] = []
        self.used = False
        self.server = make_server("127.0.0.1", port, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @Request.application
    def app(self, request: Request) -> Response:
        params = request.get_json()["params"]
        self.calls.append((request.path, params, request.headers.get("Authorization")))
        if request.path == "/iot/setup" and params.get("token"):
            if params["token"] != "good" or self.used:
                return self.answer(error={"code": 200, "message": "The connection token is invalid or used"})
            self.used = True
            return self.answer(result={"identifier": params["identifier"], "box_secret": SECRET})
        if request.headers.get("Authorization") != f"Bearer {SECRET}":
            return Response("unauthorized", status=401)
        return self.answer(result=True if "certificate" in request.path else
                           {"identifier": params["identifier"], "box_secret": None})

    @staticmethod
    def answer(**body) -> Response:
        return Response(json.dumps({"jsonrpc": "2.0", "id": 1, **body}), mimetype="application/json")

    def reported(self) -> bool:
        return any(path == "/iot/box/update_certificate_status" for path, _, _ in self.calls)

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def box(tmp_path):
    box = new_box(tmp_path)
    yield box
    box.stop()


@pytest.fixture
def server():
    server = FakeServer(free_port())
    yield server
    server.stop()


def token(port: int, secret: str) -> str:
    return f"http://127.0.0.1:{port}?token={secret}&db_uuid=u&enterprise_code=c"


def test_token_pairing_then_status_report(box, server):
    box.connect(token(server.port, "good"))
    wait_until(lambda: server.reported())
    (setup_path, setup, auth), (status_path, status, status_auth) = server.calls[:2]
    assert setup_path == "/iot/setup" and setup["token"] == "good" and auth is None
    assert setup["ip"] == f"{IP}:8080" and setup["identifier"] == box.config.get("identifier")
    assert status_auth == f"Bearer {SECRET}"
    assert status["identifier"] == setup["identifier"] and status["ip"] == f"{IP}:8080"
    assert status["error_code"] == "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION" and status["error_status"] is None
    assert status["ssl_certificate_end_date"] is None and status["subject"] is None
    assert box.config.get("box_secret") == SECRET and box.config.get("token") is None
    # A restart pairs again with the secret, not the (used) token.
    box.reporter.pair()
    wait_until(lambda: len(server.calls) >= 3)
    assert server.calls[2][0] == "/iot/setup" and server.calls[2][2] == f"Bearer {SECRET}"
    assert "token" not in server.calls[2][1]


def test_an_invalid_token_is_shown_and_not_retried(box, server):
    box.connect(token(server.port, "bad"))
    wait_until(lambda: box.reporter.state is not None)
    assert box.reporter.state[0] == "pairing_failed" and "invalid or used" in box.reporter.state[1]
    page = Client(BoxWeb(box)).get("/", headers={"Accept-Language": "nl"}).text
    assert "Koppelen met de databaseserver is mislukt: The connection token is invalid or used" in page
    box.reporter.idle.wait()  # nothing left to send and no retry planned
    assert len(server.calls) == 1


def test_the_reporter_is_idle_only_once_every_call_made_is_sent(box, server):
    box.connect(token(server.port, "good"))
    wait_until(lambda: server.reported())
    box.reporter.idle.wait()
    sent = len(server.calls)
    box.reporter.report({"ssl_certificate_end_date": None, "subject": None, "error_code": "ERR_X",
                         "error_status": None, "error_detail": "a new status"})
    assert not box.reporter.idle.is_set(), "a status waits to be sent: the reporter is not idle"
    box.reporter.idle.wait()
    assert len(server.calls) == sent + 1 and server.calls[-1][1]["error_detail"] == "a new status"


def test_a_server_that_is_down_is_retried_and_never_delays_the_check(box):
    port = free_port()
    result = box.connect(token(port, "good"))
    assert result.error_code == "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION"  # the check ran to its end meanwhile
    wait_until(lambda: box.reporter.state == ("server_unreachable", "ConnectionError"))
    server = FakeServer(port)  # the server comes up: the pending calls go through
    try:
        wait_until(lambda: box.config.get("box_secret") == SECRET)
        wait_until(lambda: server.reported())
    finally:
        server.stop()


def test_the_same_token_at_the_next_start_pairs_with_the_box_secret(box, server):
    box.connect(token(server.port, "good"))
    wait_until(lambda: box.config.get("box_secret") == SECRET)
    box.save_connection(token(server.port, "good"))  # a restart with the same --connect
    assert box.config.get("token") is None
    box.reporter.pair()
    wait_until(lambda: any(auth == f"Bearer {SECRET}" and path == "/iot/setup"
                                for path, _, auth in server.calls))
    assert box.reporter.state is None
