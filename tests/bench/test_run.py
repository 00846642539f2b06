"""``python -m bench`` end to end on tiny sizes (the figures mean nothing there; the code must run), and its
message when a tool is missing."""

from __future__ import annotations

import os
import re
import subprocess
import sys

FIGURES = (
    "in-process issuance (ECDSA P-256)",
    "in-process issuance (ECDSA P-256) vs trustme",
    "in-process issuance (ECDSA P-256) vs openssl CLI",
    "box: check start to trusted handshake",
    "box: process start to trusted handshake",
    "issuance over HTTP, 16 keep-alive clients",
    "issuance over HTTP, 16 keep-alive clients: p99",
    "issuance over HTTP: CPU per refused request",
    "issuance over HTTP: CPU per issued request",
    "issuance over HTTP: CPU of issued - refused",
    "issuance over HTTP with a rate limit, 16 clients",
    "issuance over HTTP with a rate limit, 16 clients, 300 more logged",
    "admin box list, 30 boxes, one page: p95",
    "status reports into the server, 16 clients",
    "4 boxes obtain certificates, 32 at a time",
    "8 boxes obtain certificates, 32 at a time: time per box",
)


def test_the_quick_benchmark_measures_every_figure_and_writes_the_table(fresh_db_dsn, tmp_path):
    env = {**os.environ, "IOT_HTTPS_DB_DSN": fresh_db_dsn}
    output = tmp_path / "benchmark-latest.md"
    result = subprocess.run([sys.executable, "-m", "bench", "--quick", "--state-dir", str(tmp_path / "state"),
                             "--output", str(output)], capture_output=True, text=True, timeout=600, env=env,
                            check=False)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    lines = result.stdout.splitlines()
    figures = [line.split("  ")[0] for line in lines[4:-2]]
    assert figures == list(FIGURES), result.stdout
    assert "not measured" not in result.stdout, result.stderr[-3000:]
    assert re.fullmatch(r"\d+ of 12 bars hold", lines[-1])
    assert result.returncode == (0 if lines[-1].startswith("12 of") else 1)
    cpu_rows = [line for line in lines if line.startswith("issuance over HTTP: CPU")]
    assert [row.count(" µs") + row.count(" ms") for row in cpu_rows] == [2, 2, 2], result.stdout  # figure, peer

    written = output.read_text()
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
    assert re.search(rf"make bench --quick: {when}, .*, {os.cpu_count()} cores, load average [\d.]+ at the start",
                     written)
    assert "\n".join(lines[2:]) in written  # the printed table, from its header to the closing line


def test_missing_tools_are_named_with_the_way_to_install_them(tmp_path, fresh_db_dsn):
    env = {**os.environ, "PATH": str(tmp_path), "IOT_HTTPS_DB_DSN": fresh_db_dsn}
    result = subprocess.run([sys.executable, "-m", "bench"], capture_output=True, text=True, timeout=60, env=env,
                            check=False)
    assert result.returncode == 2
    assert "make bench cannot run; missing:" in result.stderr
    assert "wrk, the HTTP load generator (apt-get install wrk)" in result.stderr
    assert "apt-get install openssl" in result.stderr
    assert result.stdout == ""
