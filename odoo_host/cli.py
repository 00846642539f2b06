"""``iot-server`` (``python -m odoo_host``): the subcommands, with a registry addons add theirs to.

An addon declares ``class X(odoo_host.cli.Command): name = "..."`` in a module its package imports; the host
imports the addons of the addons path before it reads the command line, so their commands are there."""

from __future__ import annotations

import argparse
import contextlib
import logging
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import modules as M
from .api import SUPERUSER_ID, Environment
from .cron import run_due_jobs
from .exceptions import UserError
from .postgres import PostgresError, database_dsn
from .registry import Registry
from .server import ListenError, serve
from .tools import DEFAULTS, config

DATABASE_NAME = "iot_https"


class Command:
    """A subcommand. ``run(env, args)`` gets a superuser environment whose transaction is committed when it
    returns; it returns the exit status."""

    name = ""
    help = ""
    commands: dict[str, type[Command]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            Command.commands[cls.name] = cls

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the command's own options."""

    def run(self, env: Environment, args: argparse.Namespace) -> int:
        raise NotImplementedError

    def execute(self, args: argparse.Namespace) -> int:
        with installed() as registry, registry.cursor() as cr:
            return self.run(Environment(cr, SUPERUSER_ID, {}), args)


@contextlib.contextmanager
def database() -> Iterator[str]:
    """The configured DSN, or the embedded cluster of the data folder (started for as long as needed)."""
    with database_dsn(Path(config["data_dir"]) / "pg", DATABASE_NAME, config["db_dsn"]) as dsn:
        yield dsn


@contextlib.contextmanager
def installed() -> Iterator[Registry]:
    """The registry of the database's installed addons."""
    with database() as dsn:
        yield Registry.open(dsn, config["addons_path"])


class Init(Command):
    name = "init"
    help = "create or upgrade the database: schema, addons, data (--demo: demo data, admin password 'admin')"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--demo", action="store_true", help="load demo data; the admin password becomes 'admin'"
        )
        parser.add_argument("--admin-password", help="set the password of the login 'admin'")
        parser.add_argument(
            "--modules", help="comma-separated addons to install (default: all in the addons path)"
        )

    def execute(self, args: argparse.Namespace) -> int:
        names = (
            [n.strip() for n in args.modules.split(",")]
            if args.modules
            else [
                name for name, manifest in M.available(config["addons_path"]).items() if manifest.installable
            ]
        )
        with database() as dsn:
            registry = Registry(dsn, config["addons_path"])
            registry.install(names, demo=args.demo)
            with registry.cursor() as cr:
                env = Environment(cr, SUPERUSER_ID, {})
                admin = env.ref("base.user_admin")
                password = args.admin_password or ("admin" if args.demo else None)
                if password:
                    admin.write({"password": password})
                elif not admin.password:
                    password = secrets.token_urlsafe(12)
                    admin.write({"password": password})
                    print(f"Admin password (login 'admin'): {password}")
        print(
            f"database '{registry.db_name}' ready with addons: "
            f"{', '.join(m.name for m in registry.manifests)}"
        )
        return 0


class Serve(Command):
    name = "serve"
    help = "run the web server (and the scheduled jobs)"

    def execute(self, args: argparse.Namespace) -> int:
        with installed() as registry:
            serve(registry, config["host"], config["port"], config["workers"])
        return 0


class Cron(Command):
    name = "cron"
    help = "run the scheduled jobs that are due, once"

    def execute(self, args: argparse.Namespace) -> int:
        with installed() as registry:
            count = run_due_jobs(registry)
        print(f"{count} scheduled job(s) run")
        return 0


class Config(Command):
    name = "config"
    help = "read or set a database parameter: config get KEY | config set KEY VALUE"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=["get", "set"])
        parser.add_argument("key")
        parser.add_argument("value", nargs="?")

    def run(self, env: Environment, args: argparse.Namespace) -> int:
        parameters = env["ir.config_parameter"]
        if args.action == "get":
            value = parameters.get_param(args.key)
            if value is False:
                print(f"{args.key} is not set", file=sys.stderr)
                return 1
            print(value)
            return 0
        if args.value is None:
            print("config set needs a value: config set KEY VALUE", file=sys.stderr)
            return 2
        parameters.set_param(args.key, args.value)
        print(f"{args.key} = {args.value}")
        return 0


class ApiKey(Command):
    name = "api-key"
    help = "make an API key for the external API (shown once; only its hash is kept)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--login", default="admin", help="the user the key acts as (default admin)")
        parser.add_argument("--description", default="iot-server api-key", help="what the key is for")

    def run(self, env: Environment, args: argparse.Namespace) -> int:
        user = env["res.users"].search([("login", "=", args.login)], limit=1)
        if not user:
            print(f"error: no active user with login '{args.login}'", file=sys.stderr)
            return 1
        print(env["res.users.apikeys"].with_user(user)._generate("rpc", args.description))
        return 0


def _common_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """The options every command takes, before or after the subcommand."""
    default = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument(
        "--data-dir", help="state folder (the embedded PostgreSQL lives in DIR/pg)", **default
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)", **default)
    parser.add_argument("--port", type=int, help="HTTP port (default 8069)", **default)
    parser.add_argument(
        "--db-dsn", help="PostgreSQL DSN (or IOT_HTTPS_DB_DSN; default: embedded cluster)", **default
    )
    parser.add_argument("--addons-path", help="comma-separated folders holding addons", **default)
    parser.add_argument("--odoo-com-url", help="odoo.com base URL", **default)
    parser.add_argument("--odoo-com-ca", help="CA bundle (PEM) to verify odoo.com with", **default)
    parser.add_argument(
        "--workers", type=int, help="server worker processes (0: one process with threads)", **default
    )
    parser.add_argument("--log-level", help="debug, info, warning (default), error", **default)


def _addons_path(argv: list[str]) -> list[str]:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--addons-path")
    known, _rest = pre.parse_known_args(argv)
    if known.addons_path:
        return [p.strip() for p in known.addons_path.split(",") if p.strip()]
    return list(DEFAULTS["addons_path"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iot-server", description="The IoT database server (an Odoo-style host)"
    )
    _common_options(parser, suppress=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cls in sorted(Command.commands.items()):
        sub = subparsers.add_parser(name, help=cls.help, description=cls.help)
        _common_options(sub, suppress=True)
        cls().add_arguments(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    addons_path = _addons_path(argv)
    try:
        found = M.available(addons_path)
        M.import_addons([m for m in found.values() if m.installable], addons_path)
    except M.ModuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    config.reset()
    for key in DEFAULTS:
        value = getattr(args, key, None)
        if value is not None:
            config[key] = value
    config["addons_path"] = addons_path
    logging.basicConfig(
        level=(getattr(args, "log_level", None) or "warning").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return Command.commands[args.command]().execute(args)
    except (UserError, M.ModuleError, PostgresError, ListenError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if not isinstance(exc, UserError) else 1
