"""The wrk wrapper against a small server of the test's own: counts, latencies, bad answers, any body."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from bench import loadgen
from iot_common.net import free_port

SEEN: set[bytes] = set()


@pytest.fixture
def echo_url():
    """A threaded HTTP server that answers each POST with its body (kept in ``SEEN``) and each GET with hello."""

    @Request.application
    def app(request: Request) -> Response:
        if request.method == "POST":
            SEEN.add(request.get_data())
            return Response(request.get_data(), status=200 if request.headers.get("X-Ok") == "yes" else 403)
        return Response("hello")

    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


def test_wrk_reports_requests_and_latencies(echo_url):
    load = loadgen.run(echo_url, [loadgen.Call("/")], connections=2, seconds=1, expect="hello")
    assert load.requests > 0 and load.errors == 0
    assert 0 < load.p50 <= load.p95 <= load.p99 <= load.max
    assert load.rate == pytest.approx(load.requests / load.seconds)


def test_answers_without_the_expected_text_or_with_a_bad_status_are_errors(echo_url):
    wrong_text = loadgen.run(echo_url, [loadgen.Call("/")], connections=1, seconds=1, expect="goodbye")
    assert wrong_text.bad_answers == wrong_text.requests > 0
    refused = loadgen.run(echo_url, [loadgen.Call("/", "POST", "x", (("X-Ok", "no"),))], connections=1, seconds=1)
    assert refused.bad_answers == refused.requests > 0


def test_bodies_and_headers_of_any_content_reach_the_server_round_robin(echo_url):
    awkward = json.dumps({"text": "]] ]=] \" \\ '\n"}) + "\r\n\tné"
    calls = [loadgen.Call("/", "POST", awkward, (("X-Ok", "yes"), ("Content-Type", "application/json"))),
             loadgen.Call("/", "POST", "second ]==]", (("X-Ok", "yes"),))]
    SEEN.clear()
    load = loadgen.run(echo_url, calls, connections=1, seconds=1, expect="]")
    assert load.requests > 1 and load.errors == 0
    assert SEEN == {awkward.encode(), b"second ]==]"}


def test_a_server_that_is_not_there_is_a_clear_error():
    with pytest.raises(loadgen.LoadError, match="unable to connect"):
        loadgen.run(f"http://127.0.0.1:{free_port()}", [loadgen.Call("/")], connections=1, seconds=1)


def test_contenders_are_loaded_in_turn_and_their_rounds_combined(echo_url):
    prepared = []
    loads = loadgen.compare(echo_url, {"get": ([loadgen.Call("/")], "hello"),
                                       "refused": ([loadgen.Call("/", "POST", "x")], None)},
                            connections=1, seconds=1, rounds=2, before=prepared.append)
    assert prepared == ["get", "refused", "get", "refused"]
    assert loads["get"].errors == 0 and loads["get"].seconds >= 2
    assert loads["refused"].bad_answers == loads["refused"].requests > 0


def test_combined_runs_count_everything_and_take_the_median_percentiles():
    runs = [loadgen.Load(100, 1.0, 1, 0, 0, 0.001, 0.002, p99, 0.5, 0.01) for p99 in (0.010, 0.030, 0.020)]
    combined = loadgen.Load.combined(runs)
    assert (combined.requests, combined.seconds, combined.errors) == (300, 3.0, 3)
    assert (combined.p99, combined.max, combined.rate) == (0.020, 0.5, 100.0)
    assert combined.cpu_per_request == pytest.approx(0.03 / 300)


def test_a_run_counts_the_cpu_of_wrk_and_of_the_server_group(echo_url):
    alone = loadgen.run(echo_url, [loadgen.Call("/")], connections=2, seconds=1)
    assert alone.cpu_seconds > 0 and alone.cpu_per_request == pytest.approx(alone.cpu_seconds / alone.requests)
    # The echo server is a thread of this process: its group's CPU includes every answer's.
    with_server = loadgen.run(echo_url, [loadgen.Call("/")], connections=2, seconds=1, server_pgid=os.getpgrp())
    assert with_server.cpu_per_request > alone.cpu_per_request


BURNER = """
import sys, time
while time.process_time() < 0.3:
    pass
print("burnt", flush=True)
sys.stdin.read()
"""


def test_the_cpu_of_a_process_group_is_that_of_its_processes():
    child = subprocess.Popen([sys.executable, "-c", BURNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        assert child.stdout.readline() == "burnt\n"
        assert loadgen.process_group_cpu(child.pid) >= 0.29  # clock ticks round down
    finally:
        child.communicate("")
    assert loadgen.process_group_cpu(child.pid) == 0  # no process left in the group


def test_a_json_rpc_call_sends_the_envelope_its_content_type_and_the_callers_headers(echo_url):
    call = loadgen.json_rpc("/", {"db_uuid": "u", "enterprise_code": "c"}, (("X-Ok", "yes"),))
    assert ("Content-Type", "application/json") in call.headers
    SEEN.clear()
    load = loadgen.run(echo_url, [call], connections=1, seconds=1, expect='"enterprise_code"')
    assert load.requests > 0 and load.errors == 0  # the server saw X-Ok: the caller's header went out too
    assert [json.loads(body) for body in SEEN] == [
        {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"db_uuid": "u", "enterprise_code": "c"}}
    ]
