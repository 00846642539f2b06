"""``make run`` (``python -m iot_stack``): brings the whole system up, prints where it is, and Ctrl-C leaves nothing.

Run on free ports (``--free-ports``) in a temporary folder, with the embedded PostgreSQL, as a new user would.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_starts_everything_and_ctrl_c_stops_everything(pg_state_dir, monkeypatch):
    monkeypatch.delenv("IOT_HTTPS_DB_DSN", raising=False)
    state = pg_state_dir / "state"
    run = subprocess.Popen(
        [sys.executable, "-m", "iot_stack", "--state-dir", str(state), "--free-ports"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    output = _read_until(run, "Press Ctrl-C")
    try:
        server_url = re.search(r"Database server\s+(\S+)/web/login\s+login: admin\s+password: admin", output)[1]
        box_url = re.search(r"Demo box\s+(http://\S+)/", output)[1]
        https_url = re.search(r"Demo box \(HTTPS\)\s+(https://\S+\.odoo-iot\.com:\d+)", output)[1]
        assert requests.get(f"{server_url}/web/login", timeout=10).status_code == 200
        status = requests.get(f"{box_url}/status.json", timeout=10).json()
        assert status["https_url"] == https_url
        ports = [int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", output)]
    finally:
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        rest, _ = run.communicate(timeout=60)
    assert run.returncode == 0, output + rest
    assert _processes_mentioning(str(state)) == []
    for port in set(ports):
        assert not _listening(port), f"port {port} still open after Ctrl-C"


def _read_until(process: subprocess.Popen, marker: str) -> str:
    """Its output up to the line with ``marker``; an AssertionError with the output when it ends before."""
    lines = []
    while line := process.stdout.readline():  # an event: the next line, or the end of the output
        lines.append(line)
        if marker in line:
            return "".join(lines)
    process.kill()
    raise AssertionError("make run did not come up:\n" + "".join(lines))


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline)
    return found


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
