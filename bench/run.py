"""``python -m bench``: start the system, measure every figure beside its peer, print the table (and with
``--output``, write it to a Markdown file: ``make bench`` writes docs/benchmark-latest.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import boxes, fleet, http_issuance, issuance, loadgen, rate_limit, server
from bench.report import SECONDS, Bar, Row, render
from iot_common.procs import ProcessFailed
from iot_stack.system import Ports, System
from odoo_host.postgres import PostgresError, find_bindir


@dataclass(frozen=True)
class Sizes:
    """How much work each figure does: docs/benchmark.md's sizes, or tiny ones that only prove the code runs."""

    issuance_calls: int = 200
    openssl_calls: int = 10
    batches: int = 15
    load_seconds: float = 4.0
    load_rounds: int = 3
    listed_boxes: int = 10_000
    fleet: tuple[int, int] = (1_000, 10_000)
    log_backlog: int = 100_000  # requests logged between the two figures of the rate limit


FULL = Sizes()
QUICK = Sizes(issuance_calls=10, openssl_calls=2, batches=1, load_seconds=1.0, load_rounds=1, listed_boxes=30,
              fleet=(4, 8), log_backlog=300)


def missing_tools() -> list[str]:
    """What this machine lacks to run the benchmark, each with the way to get it."""
    missing = []
    if not loadgen.available():
        missing.append("wrk, the HTTP load generator (apt-get install wrk)")
    if shutil.which("openssl") is None:
        missing.append("the openssl command line, a peer of the issuance figure (apt-get install openssl)")
    if not os.environ.get("IOT_HTTPS_DB_DSN"):
        try:
            find_bindir()
        except PostgresError as exc:
            missing.append(str(exc))
    return missing


IN_PROCESS = "in-process issuance (ECDSA P-256)"
FLOOR = "cryptography floor"


def in_process_rows(sizes: Sizes) -> list[Row]:
    per = issuance.in_process(sizes.issuance_calls, sizes.openssl_calls, sizes.batches)
    figure = IN_PROCESS
    return [
        Row(figure, per["mock"], SECONDS, FLOOR, per["floor"],
            Bar("<= 1.5 x floor", 1.5, on_ratio=True)),
        Row(f"{figure} vs trustme", per["mock"], SECONDS, "trustme", per["trustme"]),
        Row(f"{figure} vs openssl CLI", per["mock"], SECONDS, "openssl req -x509 -CA", per["openssl"]),
    ]


def _section(name: str, measure: Callable[[], list[Row]]) -> list[Row]:
    """The rows of one part of the benchmark; a failing row naming the error when it could not be measured."""
    print(f"bench: {name} ...", file=sys.stderr, flush=True)
    try:
        return measure()
    except Exception as exc:  # one broken part must not hide the others' figures
        traceback.print_exc(file=sys.stderr)
        return [Row(name, None, SECONDS, note=f"not measured: {type(exc).__name__}: {exc}"[:160],
                    bar=Bar("measured", 0), ok=False)]


def measure(sizes: Sizes, state_dir: Path) -> list[Row]:
    """Every part's rows in the table's order. A part is one ``_section`` line: its module measures and makes
    its rows."""
    rows = _section("in-process issuance", lambda: in_process_rows(sizes))
    # The issuance floor of this run is the peer of what issuing costs over HTTP (None when it was not measured).
    floor = next((row.peer for row in rows if row.figure == IN_PROCESS), None)
    with System(state_dir, Ports.free()) as system:
        print("bench: starting PostgreSQL, the mock odoo.com and the database server ...", file=sys.stderr,
              flush=True)
        db_uuid = system.start_demo_server()
        ca = str(system.odoo_com_ca)
        mock_pgid = system.service("mock-odoo-com").process.pid  # its own session: the group of all its workers
        rows += _section("box processes", lambda: boxes.rows(system, db_uuid))
        rows += _section("issuance over HTTP",
                         lambda: http_issuance.rows(system.odoo_com_url, system.odoo_com_admin_url, ca,
                                                    sizes.load_seconds, sizes.load_rounds, floor, mock_pgid))
        rows += _section("issuance with a rate limit",
                         lambda: rate_limit.rows(system.odoo_com_admin(), sizes.load_seconds, sizes.load_rounds,
                                                 sizes.log_backlog))
        # The fleet is timed before the database server's figures: the 10,000 boxes these write would keep
        # PostgreSQL's autovacuum busy on the same two cores while the fleet runs. Its rows still come last.
        fleet_rows = _section("fleet of boxes",
                              lambda: fleet.rows(system.odoo_com_url, system.odoo_com_admin_url, ca,
                                                 system.server_url, *sizes.fleet))
        rows += _section("database server",
                         lambda: server.rows(system, db_uuid, sizes.listed_boxes, sizes.load_seconds,
                                             sizes.load_rounds))
        rows += fleet_rows
    return rows


def heading(started: dt.datetime, quick: bool, load: tuple[float, float]) -> str:
    """When and where the table was measured: the date, the machine's cores, the interpreter, and how busy the
    machine was (its load average at the start and at the end: above the core count, other work took cores)."""
    return (f"make bench{' --quick' if quick else ''}: {started:%Y-%m-%d %H:%M} UTC, {platform.node()}, "
            f"{os.cpu_count()} cores, load average {load[0]:.1f} at the start and {load[1]:.1f} at the end, "
            f"Python {platform.python_version()}")


def markdown(title: str, table: str) -> str:
    """The table as docs/benchmark-latest.md holds it, under its ``heading``."""
    return (f"# The latest benchmark\n\n{title}.\n\nWritten by the benchmark, not by hand. What each figure "
            f"measures, its peer and its bar: [benchmark.md](benchmark.md).\n\n```\n{table}\n```\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: proves the benchmark runs, not the bars")
    parser.add_argument("--state-dir", type=Path, help="keep the system's state and logs here (default: a "
                                                         "temporary folder, removed afterwards)")
    parser.add_argument("--output", type=Path, help="also write the table, with its date and the machine's core "
                                                      "count, to this Markdown file")
    args = parser.parse_args(argv)
    missing = missing_tools()
    if missing:
        print("make bench cannot run; missing:\n" + "\n".join(f"  - {item}" for item in missing), file=sys.stderr)
        return 2
    sizes = QUICK if args.quick else FULL
    started, load_before = dt.datetime.now(dt.UTC), os.getloadavg()[0]
    try:
        if args.state_dir:
            rows = measure(sizes, args.state_dir)
        else:
            with tempfile.TemporaryDirectory(prefix="bench-") as folder:
                rows = measure(sizes, Path(folder))
    except (PostgresError, ProcessFailed) as exc:  # the system did not start: nothing to measure
        print(f"make bench: the system did not start: {exc}", file=sys.stderr)
        return 2
    table = render(rows)
    title = heading(started, args.quick, (load_before, os.getloadavg()[0]))
    print(title + "\n")
    print(table, flush=True)
    if args.output:
        args.output.write_text(markdown(title, table))
        print(f"\nmake bench: the table is in {args.output}", file=sys.stderr)
    return 0 if all(row.holds is not False for row in rows) else 1
