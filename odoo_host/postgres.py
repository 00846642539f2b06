"""A private PostgreSQL cluster in a state folder: the embedded default when no database address is configured.

The cluster listens on 127.0.0.1 only, on a free port picked at start, with password authentication; its superuser
password lives in a file readable by its owner alone. PostgreSQL refuses to run as root, so when we are root the
cluster belongs to an unprivileged account (``nobody`` unless ``IOT_HTTPS_PG_USER`` names another).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
from psycopg2 import sql

from iot_common.net import free_port

DSN_ENV = "IOT_HTTPS_DB_DSN"
SUPERUSER = "iot_https"
NO_BINARIES = (
    "PostgreSQL server binaries not found (initdb, pg_ctl): install PostgreSQL (e.g. `apt-get install postgresql`), "
    f"or set {DSN_ENV} to an existing server, or run the system with `docker compose up`."
)


class PostgresError(RuntimeError):
    """The embedded cluster could not be created or started; the message says what to do."""


def find_bindir() -> Path:
    """Where initdb, pg_ctl and postgres live: ``IOT_HTTPS_PG_BINDIR`` alone when it is set (a folder named on
    purpose is never swapped for another), else the PATH or Debian's versioned folders (newest first).
    scripts/system-packages.sh looks in the same places."""
    chosen = os.environ.get("IOT_HTTPS_PG_BINDIR")
    if chosen:
        if _has_server(chosen):
            return Path(chosen)
        raise PostgresError(f"IOT_HTTPS_PG_BINDIR={chosen} does not hold initdb, pg_ctl and postgres: point it at "
                            "PostgreSQL's bin folder, or unset it to use the installed PostgreSQL.")
    on_path = shutil.which("initdb")
    candidates = [os.path.dirname(on_path)] if on_path else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for folder in candidates:
        if _has_server(folder):
            return Path(folder)
    raise PostgresError(NO_BINARIES)


def _has_server(folder: str) -> bool:
    return all(os.access(os.path.join(folder, tool), os.X_OK) for tool in ("initdb", "pg_ctl", "postgres"))


def _version_key(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


class EmbeddedPostgres:
    """One cluster in ``state_dir``: ``start()`` returns a DSN, ``stop()`` shuts it down.

    ``state_dir/data`` holds the cluster, ``state_dir/password`` the superuser's password, ``state_dir/port`` the
    port of the running server and ``state_dir/postgres.log`` its log.
    """

    def __init__(self, state_dir: str | os.PathLike) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.data_dir = self.state_dir / "data"
        self.log_file = self.state_dir / "postgres.log"
        self.bindir = find_bindir()
        self._owner = _cluster_owner()

    # -- the DSN -------------------------------------------------------------------------------------------
    def dsn(self, dbname: str = "postgres") -> str:
        port = (self.state_dir / "port").read_text().strip()
        password = (self.state_dir / "password").read_text().strip()
        return f"host=127.0.0.1 port={port} user={SUPERUSER} password={password} dbname={dbname}"

    def is_running(self) -> bool:
        if not (self.state_dir / "port").exists() or not (self.data_dir / "postmaster.pid").exists():
            return False
        try:
            psycopg2.connect(self.dsn(), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    # -- life cycle ------------------------------------------------------------------------------------------
    def start(self) -> str:
        """Create the cluster if needed, start it on a free port, and return the DSN of its ``postgres`` database."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if self._owner is not None:
            _make_traversable(self.state_dir)  # again: a folder on the way may have been tightened since initdb
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        port = free_port()
        (self.state_dir / "port").write_text(str(port))
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c fsync=off"
        result = self._run_as_owner(
            [self.bindir / "pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-o", options, "-w", "-t", "60",
             "start"],
        )
        if result.returncode != 0:
            raise PostgresError(f"PostgreSQL did not start; see {self.log_file}: {result.stderr.strip()}")
        self._wait_until_accepting()
        return self.dsn()

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run_as_owner([self.bindir / "pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "stop"])

    def create_database(self, name: str) -> str:
        """Create database ``name`` if it does not exist; return its DSN."""
        conn = psycopg2.connect(self.dsn())
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cur.fetchone() is None:
                    cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            conn.close()
        return self.dsn(name)

    # -- internals -------------------------------------------------------------------------------------------
    def _initdb(self) -> None:
        password_file = self.state_dir / "password"
        password_file.write_text(secrets.token_urlsafe(24))
        password_file.chmod(0o600)
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        # initdb reads the password from a file of its own, which the cluster's owner must be able to read.
        pwfile = self.state_dir / "initdb.pw"
        pwfile.write_text(password_file.read_text())
        pwfile.chmod(0o600)
        if self._owner is not None:
            os.chown(self.data_dir, self._owner.pw_uid, self._owner.pw_gid)
            os.chown(pwfile, self._owner.pw_uid, self._owner.pw_gid)
            self.log_file.touch()
            os.chown(self.log_file, self._owner.pw_uid, self._owner.pw_gid)
        try:
            result = self._run_as_owner(
                [self.bindir / "initdb", "-D", self.data_dir, "-U", SUPERUSER, "--pwfile", pwfile,
                 "-A", "scram-sha-256", "-E", "UTF8", "--no-instructions"],
            )
        finally:
            pwfile.unlink()
        if result.returncode != 0:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            raise PostgresError(f"initdb failed: {result.stderr.strip() or result.stdout.strip()}")

    def _run_as_owner(self, argv: list) -> subprocess.CompletedProcess:
        owner = self._owner

        def drop_privileges() -> None:
            if owner is not None:
                os.setgid(owner.pw_gid)
                os.setgroups([])
                os.setuid(owner.pw_uid)

        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        # A session of its own: Ctrl-C in the terminal reaches us, and we stop PostgreSQL in order, not it directly.
        return subprocess.run(
            [str(a) for a in argv], capture_output=True, text=True, env=env, cwd="/", start_new_session=True,
            preexec_fn=drop_privileges if owner is not None else None, check=False,
        )

    def _wait_until_accepting(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg2.connect(self.dsn(), connect_timeout=2).close()
                return
            except psycopg2.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PostgresError(f"PostgreSQL does not accept connections; see {self.log_file}: {exc}") from exc
                time.sleep(0.1)


def _cluster_owner() -> pwd.struct_passwd | None:
    """The account that runs PostgreSQL: ourselves, or an unprivileged one when we are root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("IOT_HTTPS_PG_USER", "nobody")
    try:
        return pwd.getpwnam(name)
    except KeyError as exc:
        raise PostgresError(
            f"running as root, PostgreSQL needs an unprivileged account and '{name}' does not exist: "
            "create it, set IOT_HTTPS_PG_USER to another, or set IOT_HTTPS_DB_DSN"
        ) from exc


def _make_traversable(folder: Path) -> None:
    """Let the unprivileged owner reach ``folder``: add search permission (x, not read) to its ancestors."""
    for part in [folder, *folder.parents]:
        mode = part.stat().st_mode
        if not mode & 0o001:
            part.chmod(mode | 0o001)


@contextlib.contextmanager
def database_dsn(state_dir: str | os.PathLike, dbname: str, dsn: str | None = None) -> Iterator[str]:
    """The DSN to use: ``dsn`` or ``IOT_HTTPS_DB_DSN`` when given, else the embedded cluster in ``state_dir``.

    An embedded cluster that is already running (another process of ours started it) is shared and left running;
    one started here is stopped on exit.
    """
    configured = dsn or os.environ.get(DSN_ENV)
    if configured:
        yield configured
        return
    cluster = EmbeddedPostgres(state_dir)
    if cluster.is_running():
        yield cluster.create_database(dbname)
        return
    cluster.start()
    try:
        yield cluster.create_database(dbname)
    finally:
        cluster.stop()


@contextlib.contextmanager
def scratch_database(server_dsn: str, prefix: str = "test") -> Iterator[str]:
    """A new empty database on the server of ``server_dsn`` (a superuser's), dropped on exit: for tests."""
    name = sql.Identifier(f"{prefix}_{secrets.token_hex(6)}")
    with contextlib.closing(psycopg2.connect(server_dsn)) as admin:
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(name))
        try:
            yield psycopg2.extensions.make_dsn(server_dsn, dbname=name.string)
        finally:
            with admin.cursor() as cur:
                cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
