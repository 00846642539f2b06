"""Start the system's processes and wait until they answer: shared by ``make run``, the tests and the benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class ProcessFailed(RuntimeError):
    """A process exited or never answered; the message carries the end of its log."""


class Service:
    """A child process whose output goes to a log file, stopped with SIGTERM (then SIGKILL) by ``stop()``."""

    def __init__(self, name: str, argv: list[str], log_path: Path, env: dict | None = None) -> None:
        self.name = name
        self.log_path = Path(log_path)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})}, start_new_session=True,
            )

    def wait_for_port(self, port: int, host: str = "127.0.0.1", timeout: float = 60.0) -> Service:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProcessFailed(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection((host, port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        raise ProcessFailed(f"{self.name} did not listen on {host}:{port} within {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        # The whole process group: a server's worker processes go with it.
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def console(command: str) -> list[str]:
    """argv for one of our console commands, run with this interpreter (``python -m <package>``)."""
    packages = {"iot-server": "odoo_host", "mock-odoo-com": "mock_odoo_com", "iot-box": "iot_box"}
    return [sys.executable, "-m", packages[command]]


def wait_until(condition: Callable[[], T], service: Service | None = None, interval: float = 0.05) -> T:
    """Call ``condition`` until it returns something true, and return that.

    It has no time limit of its own: what the caller waits for is an event (a process's answer, a state it
    reaches), and a limit on the whole run (pytest-timeout in the tests) stops a wait that never ends. A
    ``service`` that exits meanwhile ends the wait at once, with its log."""
    while not (result := condition()):
        if service is not None and service.process.poll() is not None:
            raise ProcessFailed(f"{service.name} exited with {service.process.returncode}:\n{service.log_tail()}")
        time.sleep(interval)
    return result
