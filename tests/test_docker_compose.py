"""docker-compose.yml runs the same system as ``make run``: its services, commands and ports match our commands.

There is no Docker engine on the test machines, so this reads the file and checks every command line against the
console commands' own ``--help``.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from iot_common.procs import console

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SCRIPTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]


def _command_lines(service: dict) -> list[list[str]]:
    """The command lines a service runs: its ``command``, or each part of an ``sh -c "a && b && exec c"``."""
    command = service["command"]
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part.replace("exec ", "", 1)) for part in command[2].split("&&")]
    return [command]


def _help_text(argv: list[str]) -> str:
    result = subprocess.run([*argv, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_four_services_are_there():
    assert set(SERVICES) == {"db", "server", "odoo-com", "iot-box"}
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(SERVICES["db"]["healthcheck"]["test"])
    assert SERVICES["server"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "IOT_HTTPS_DB_DSN" in SERVICES["server"]["environment"]


@pytest.mark.parametrize("name", ["server", "odoo-com", "iot-box"])
def test_every_command_and_option_exists(name):
    for line in _command_lines(SERVICES[name]):
        program, *words = line
        if program in SCRIPTS:
            subcommand = [words[0]] if program == "iot-server" and not words[0].startswith("-") else []
            help_text = _help_text([*console(program), *subcommand])
        else:
            assert program == "python" and words[:2] == ["-m", "iot_stack.register"], line
            help_text = _help_text([sys.executable, "-m", "iot_stack.register"])
        for option in (w for w in words if w.startswith("--")):
            assert option in help_text, f"{name}: {option} is not an option of {line[:2]}"


def test_published_ports_are_the_documented_defaults():
    published = {name: {p.split(":")[0] for p in service.get("ports", [])} for name, service in SERVICES.items()}
    assert published["server"] == {"8069"}
    assert published["odoo-com"] == {"8070", "5353"}
    assert published["iot-box"] == {"8080", "8443"}
    for name, service in SERVICES.items():
        text = " ".join(" ".join(line) for line in _command_lines(service)) if "command" in service else ""
        for port in published[name]:
            assert port in text, f"{name} publishes {port} but its command does not listen there"


def _option(line: list[str], name: str) -> str:
    return line[line.index(name) + 1]


def test_the_mock_admin_api_is_not_published_and_the_registration_step_uses_it():
    (mock_line,) = _command_lines(SERVICES["odoo-com"])
    admin_port = _option(mock_line, "--admin-port")
    assert admin_port != _option(mock_line, "--port")
    published = {part for p in SERVICES["odoo-com"]["ports"] for part in p.split(":")}
    assert admin_port not in {part.split("/")[0] for part in published}
    (register,) = [line for line in _command_lines(SERVICES["server"]) if "iot_stack.register" in line]
    assert _option(register, "--odoo-com-admin-url") == f"https://odoo-com:{admin_port}"
