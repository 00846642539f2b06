"""``iot-server`` (``python -m odoo_host``): the subcommands, Odoo 17's ``Command`` classes.

As in Odoo 17, a command is a ``Command`` subclass (its name: ``name``, or the class name in lower case) whose
``run(cmdargs)`` gets the arguments after the command's name; an addon declares its commands in its ``cli/``
package, which its ``__init__`` imports: the host imports the addons of the addons path before it reads the command
line, so their commands are there. A command opens the database as on Odoo 17:
``config.parse_config(rest)``, then ``odoo.registry(config["db_name"]).cursor()``. docs/odoo17-compatibility.md."""

from __future__ import annotations

import argparse
import contextlib
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import modules as M
from .alias import RealOdooError
from .api import SUPERUSER_ID, Environment
from .cron import run_due_jobs
from .exceptions import UserError
from .postgres import PostgresError, database_dsn
from .registry import Registry
from .server import ListenError, serve
from .tools import DATABASE_NAME, DEFAULTS, add_common_options, config

commands: dict[str, type[Command]] = {}
"""Every command known to the process: the host's and those of the imported addons."""

# The database of the command being run, opened on demand (embedded cluster started) and closed after it.
_opened = contextlib.ExitStack()


class Command:
    """An ``iot-server`` subcommand, as Odoo 17's ``odoo.cli.Command``: ``run(cmdargs)`` does the work (and
    ``sys.exit(status)`` for a status other than 0)."""

    name: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = cls.name or cls.__name__.lower()
        commands[cls.name] = cls

    def run(self, cmdargs: list[str]) -> None:
        raise NotImplementedError


def open_registry(database_name: str) -> Registry:
    """``odoo.registry(name)`` in a command: the registry of the host's database, whose embedded cluster (if
    any) stays up until the command returns."""
    if database_name != config["db_name"]:
        raise UserError(
            f"this server has one database, '{config['db_name']}', not '{database_name}': "
            "open odoo.registry(config['db_name'])"
        )
    return Registry.open(_opened.enter_context(database()), config["addons_path"])


class HostCommand(Command):
    """The host's own commands: options of their own (``add_arguments``) beside the common ones, and
    ``execute(args)``; by default ``in_env(env, args)`` gets a superuser environment committed when it returns."""

    help = ""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the command's own options."""

    def parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(prog=f"iot-server {self.name}", description=self.help)
        add_common_options(parser, suppress=True)
        self.add_arguments(parser)
        return parser

    def run(self, cmdargs: list[str]) -> None:
        args = self.parser().parse_args(cmdargs)
        config.apply(args)
        status = self.execute(args)
        if status:
            sys.exit(status)

    def execute(self, args: argparse.Namespace) -> int:
        with installed() as registry, registry.cursor() as cr:
            return self.in_env(Environment(cr, SUPERUSER_ID, {}), args)

    def in_env(self, env: Environment, args: argparse.Namespace) -> int:
        raise NotImplementedError


commands.pop(HostCommand.name)  # a base class, not a command


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


class Init(HostCommand):
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


class Serve(HostCommand):
    name = "serve"
    help = "run the web server (and the scheduled jobs)"

    def execute(self, args: argparse.Namespace) -> int:
        with installed() as registry:
            serve(registry, config["http_interface"], config["http_port"], config["workers"])
        return 0


class Cron(HostCommand):
    name = "cron"
    help = "run the scheduled jobs that are due, once"

    def execute(self, args: argparse.Namespace) -> int:
        with installed() as registry:
            count = run_due_jobs(registry)
        print(f"{count} scheduled job(s) run")
        return 0


class Config(HostCommand):
    name = "config"
    help = "read or set a database parameter: config get KEY | config set KEY VALUE"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("action", choices=["get", "set"])
        parser.add_argument("key")
        parser.add_argument("value", nargs="?")

    def in_env(self, env: Environment, args: argparse.Namespace) -> int:
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


class ApiKey(HostCommand):
    name = "api-key"
    help = "make an API key for the external API (shown once; only its hash is kept)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--login", default="admin", help="the user the key acts as (default admin)")
        parser.add_argument("--description", default="iot-server api-key", help="what the key is for")

    def in_env(self, env: Environment, args: argparse.Namespace) -> int:
        user = env["res.users"].search([("login", "=", args.login)], limit=1)
        if not user:
            print(f"error: no active user with login '{args.login}'", file=sys.stderr)
            return 1
        print(env["res.users.apikeys"].with_user(user)._generate("rpc", args.description))
        return 0


def _addons_path(argv: list[str]) -> list[str]:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--addons-path")
    known, _rest = pre.parse_known_args(argv)
    if known.addons_path:
        return [p.strip() for p in known.addons_path.split(",") if p.strip()]
    return list(DEFAULTS["addons_path"])


def _summary(command: type[Command]) -> str:
    """A host command's ``help``, else the first line of an Odoo-style command's docstring (if it has one)."""
    return getattr(command, "help", "") or next(iter((command.__doc__ or "").strip().splitlines()), "")


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``iot-server [OPTIONS] COMMAND ...``: what follows the command's name is the command's."""
    epilog = "\n".join(f"  {name:<20}{_summary(cls)}" for name, cls in sorted(commands.items()))
    parser = argparse.ArgumentParser(
        prog="iot-server",
        description="The IoT database server (an Odoo-17-style host)",
        epilog=f"commands:\n{epilog}\n\n'iot-server COMMAND --help' for a command's options",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common_options(parser, suppress=False)
    parser.add_argument("command", nargs="?", metavar="COMMAND", choices=sorted(commands))
    parser.add_argument("cmdargs", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    addons_path = _addons_path(argv)
    try:
        found = M.available(addons_path)
        M.import_addons([m for m in found.values() if m.installable], addons_path)
    except (M.ModuleError, RealOdooError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    config.reset()
    config.apply(args)
    config["addons_path"] = addons_path
    try:
        with _opened:
            commands[args.command]().run(args.cmdargs)
    except (UserError, M.ModuleError, PostgresError, ListenError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if not isinstance(exc, UserError) else 1
    return 0
