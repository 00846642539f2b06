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
    "issuance over HTTP, 16 keep-alive clients: share of trivial",
    "issuance over HTTP, 16 keep-alive clients: p99",
    "issuance over HTTP with a rate limit, 16 clients",
    "issuance over HTTP with a rate limit, 16 clients, 300 more logged",
    "admin box list, 30 boxes, one page: p95",
    "status reports into the server, 16 clients",
    "4 boxes obtain certificates, 32 at a time",
    "8 boxes obtain certificates, 32 at a time",
)


def test_the_quick_benchmark_measures_every_figure_and_counts_the_bars(fresh_db_dsn, tmp_path):
    env = {**os.environ, "IOT_HTTPS_DB_DSN": fresh_db_dsn}
    result = subprocess.run([sys.executable, "-m", "bench", "--quick", "--state-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=600, env=env, check=False)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    figures = [line.split("  ")[0] for line in result.stdout.splitlines()[4:-2]]
    assert figures == list(FIGURES), result.stdout
    assert "not measured" not in result.stdout, result.stderr[-3000:]
    assert re.fullmatch(r"\d+ of 12 bars hold", result.stdout.splitlines()[-1])
    assert result.returncode == (0 if result.stdout.splitlines()[-1].startswith("12 of") else 1)


def test_missing_tools_are_named_with_the_way_to_install_them(tmp_path, fresh_db_dsn):
    env = {**os.environ, "PATH": str(tmp_path), "IOT_HTTPS_DB_DSN": fresh_db_dsn}
    result = subprocess.run([sys.executable, "-m", "bench"], capture_output=True, text=True, timeout=60, env=env,
                            check=False)
    assert result.returncode == 2
    assert "make bench cannot run; missing:" in result.stderr
    assert "wrk, the HTTP load generator (apt-get install wrk)" in result.stderr
    assert "apt-get install openssl" in result.stderr
    assert result.stdout == ""
