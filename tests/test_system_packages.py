"""``make test`` (and ``make run``, ``make bench``) on a fresh machine: the set-up step installs the system packages
they need when it runs as root with apt-get, and otherwise stops at once with the one command to run.

The step runs here with a PATH of our own, lacking one tool at a time; ``id`` and ``apt-get`` on that PATH are
stand-ins (the one says who we are, the other records what it was asked), so no package is ever installed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system-packages.sh"
TOOLS = {  # a program the tests use -> the Debian packages that bring it
    "chromium": "chromium fonts-dejavu-core",
    "initdb": "postgresql",
    "openssl": "openssl",
    "certutil": "libnss3-tools",
    "wrk": "wrk",
}
INSTALL = "apt-get install -y --no-install-recommends"


def _executable(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def run_setup(tmp_path: Path, target: str = "test", *, missing: tuple[str, ...] = (), root: bool = False,
              apt: bool = True, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, list[str]]:
    """The set-up step on a PATH holding every tool but ``missing``; returns its result and apt-get's calls."""
    bin_dir, pg_dir, apt_log = tmp_path / "bin", tmp_path / "pg", tmp_path / "apt-get.calls"
    bin_dir.mkdir(parents=True)
    pg_dir.mkdir()
    for tool in TOOLS:
        if tool not in missing:
            _executable((pg_dir if tool == "initdb" else bin_dir) / tool, "exit 0")
    if "initdb" not in missing:
        _executable(pg_dir / "pg_ctl", "exit 0")
        _executable(pg_dir / "postgres", "exit 0")
    _executable(bin_dir / "id", f"echo {0 if root else 1000}")
    if apt:
        _executable(bin_dir / "apt-get", f'echo "$*" >> {apt_log}')
    environment = {"PATH": str(bin_dir), "IOT_HTTPS_PG_BINDIR": str(pg_dir), **(env or {})}
    result = subprocess.run(["/bin/sh", str(SCRIPT), target], env=environment, capture_output=True, text=True,
                            timeout=60, check=False)
    return result, apt_log.read_text().splitlines() if apt_log.exists() else []


@pytest.mark.parametrize("tool", TOOLS)
def test_as_another_user_a_missing_tool_stops_with_the_one_command_to_run(tmp_path, tool):
    result, apt_calls = run_setup(tmp_path, missing=(tool,))
    assert result.returncode == 1
    assert f"not installed: {TOOLS[tool]}" in result.stderr
    assert f"    sudo sh -c 'apt-get update && {INSTALL} {TOOLS[tool]}'\n" in result.stderr
    assert apt_calls == []  # it stops at once: nothing is downloaded, nothing waits for a lock


@pytest.mark.parametrize("tool", TOOLS)
def test_as_root_a_missing_tool_is_installed_with_apt_get(tmp_path, tool):
    result, apt_calls = run_setup(tmp_path, missing=(tool,), root=True)
    assert result.returncode == 0, result.stderr
    assert apt_calls == ["update -q", f"install -y --no-install-recommends {TOOLS[tool]}"]


def test_every_missing_tool_goes_into_the_one_command(tmp_path):
    result, _ = run_setup(tmp_path, missing=tuple(TOOLS))
    packages = "postgresql chromium fonts-dejavu-core libnss3-tools openssl wrk"
    assert f"sudo sh -c 'apt-get update && {INSTALL} {packages}'" in result.stderr
    assert result.stderr.count("apt-get install") == 1


def test_as_root_a_failing_apt_get_is_an_error_that_says_so(tmp_path):
    bin_dir = tmp_path / "bin"
    result, _ = run_setup(tmp_path, missing=("wrk",), root=True, apt=False)  # no apt-get: not a Debian system
    assert result.returncode == 1 and "Debian's package names" in result.stderr
    _executable(bin_dir / "apt-get", "exit 100")
    result = subprocess.run(["/bin/sh", str(SCRIPT), "test"], capture_output=True, text=True, timeout=60,
                            env={"PATH": str(bin_dir), "IOT_HTTPS_PG_BINDIR": str(tmp_path / "pg")}, check=False)
    assert result.returncode == 1 and "apt-get could not install wrk" in result.stderr


def test_nothing_missing_means_nothing_to_do(tmp_path):
    for target in ("test", "run", "bench"):
        result, apt_calls = run_setup(tmp_path / target, target, root=True)
        assert (result.returncode, result.stderr, apt_calls) == (0, "", [])


def test_each_command_asks_only_for_what_it_uses(tmp_path):
    everything_but_postgres = tuple(tool for tool in TOOLS if tool != "initdb")
    result, _ = run_setup(tmp_path / "run", "run", missing=everything_but_postgres)
    assert result.returncode == 0, result.stderr  # make run needs no browser, certutil, openssl or wrk
    result, _ = run_setup(tmp_path / "bench", "bench", missing=("chromium", "certutil", "wrk"))
    assert result.returncode == 1 and f"{INSTALL} wrk'" in result.stderr


def test_a_configured_database_server_needs_no_postgresql_binaries(tmp_path):
    result, _ = run_setup(tmp_path, missing=("initdb",), env={"IOT_HTTPS_DB_DSN": "host=db dbname=x"})
    assert result.returncode == 0, result.stderr


def test_make_runs_the_step_before_the_tests_and_ci_runs_make_test():
    for target in ("test", "run", "bench"):
        plan = subprocess.run(["make", "--no-print-directory", "-n", target], cwd=ROOT, capture_output=True,
                              text=True, timeout=60, check=False,
                              env={**os.environ, "MAKEFLAGS": ""}).stdout.splitlines()
        assert plan[0] == f"sh scripts/system-packages.sh {target}", plan
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "make test" and not any("apt-get" in line for line in ci)
