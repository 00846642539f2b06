"""Many boxes obtaining certificates from the mock odoo.com, 32 at a time.

The boxes are simulated, not box processes: each one is the box's own certificate check
(``iot_box.check.CertificateCheck``, as ``iot-box`` runs it) with its own configuration and certificate folder,
run on a thread. It makes its key and CSR, requests its certificate over its own new HTTPS connection, verifies
what comes back (chain to the mock's root, key, name, dates) and installs it atomically. The 32 threads are
spread over 8 processes: in one interpreter the boxes' own work would queue for its lock. The folders are
on a memory file system when the machine has one (``/dev/shm``): real boxes each flush to a disk of their own,
while here they would all queue for one.
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.report import SECONDS, Bar, Row
from iot_box.check import CertificateCheck
from iot_box.config import BoxConfig
from iot_box.installer import CertStore
from iot_box.odoo_com import OdooCom
from iot_stack.register import register_new_database

AT_A_TIME = 32
PROCESSES = 8  # of 4 threads each: fewer threads per interpreter lock wait less for it
TIMEOUT = 900.0


def _scratch() -> tempfile.TemporaryDirectory:
    shm = Path("/dev/shm")  # noqa: S108 - a private folder made by mkdtemp inside it
    return tempfile.TemporaryDirectory(prefix="bench-fleet-", dir=shm if shm.is_dir() else None)


def _box_ip(index: int) -> str:
    """A distinct loopback address per box: only its name in the certificate depends on it."""
    return f"127.{index >> 16 & 255}.{index >> 8 & 255}.{(index & 255) or 1}"


def _share(indices: range, threads: int, folder: str, settings: dict, start: multiprocessing.synchronize.Barrier,
           results: multiprocessing.Queue) -> None:
    """One process's boxes: configured first; then, once every process is ready, checked ``threads`` at a time."""
    try:
        for index in indices:
            box_dir = Path(folder) / f"box-{index}"
            box_dir.mkdir()
            BoxConfig(box_dir / "odoo.conf").update(remote_server=settings["server_url"], db_uuid=settings["db_uuid"],
                                                    enterprise_code=settings["enterprise_code"])

        def box(index: int) -> str | None:
            """The check of one box, as ``iot-box`` starts it; its error, None when it installed a certificate."""
            box_dir = Path(folder) / f"box-{index}"
            ca_file = Path(settings["odoo_com_ca"])
            check = CertificateCheck(config=BoxConfig(box_dir / "odoo.conf"), store=CertStore(box_dir / "certs"),
                                     odoo_com=OdooCom(settings["odoo_com_url"], ca_file),
                                     advertise_ip=_box_ip(index), ca_file=ca_file)
            outcome = check.run()
            if outcome.error_code or outcome.installed is None:
                return f"{outcome.error_code}: {outcome.error_detail}"
            return None  # the box's objects go: thousands of them kept would slow the garbage collector

        start.wait(TIMEOUT)
        began = time.monotonic()  # the system-wide monotonic clock: comparable between processes
        with ThreadPoolExecutor(threads) as pool:
            failed = [error for error in pool.map(box, indices) if error]
        results.put((began, time.monotonic(), len(failed), failed[0] if failed else ""))
    except BaseException:
        start.abort()
        results.put((0.0, 0.0, len(indices), traceback.format_exc()))


def obtain(count: int, odoo_com_url: str, admin_url: str, odoo_com_ca: str,
           server_url: str) -> tuple[float, int, str]:
    """``(seconds, failures, first failure)`` for ``count`` boxes of one new database, 32 at a time."""
    db_uuid, code = register_new_database(admin_url, odoo_com_ca, "M-FLEET")
    settings = {"odoo_com_url": odoo_com_url, "odoo_com_ca": odoo_com_ca, "server_url": server_url,
                "db_uuid": db_uuid, "enterprise_code": code}
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of ours crosses a fork
    start, results = context.Barrier(PROCESSES), context.Queue()
    with _scratch() as folder:
        parts = [(range(first, count, PROCESSES), AT_A_TIME // PROCESSES) for first in range(PROCESSES)]
        workers = [context.Process(target=_share, args=(*part, folder, settings, start, results)) for part in parts]
        for worker in workers:
            worker.start()
        try:
            shares = [results.get(timeout=TIMEOUT) for _ in workers]
        except queue.Empty:
            shares = [(0.0, 0.0, count, f"the simulated boxes did not finish within {TIMEOUT:.0f} s")]
        for worker in workers:
            worker.join(TIMEOUT)
    seconds = max(end for _began, end, _failed, _first in shares) - min(began for began, *_ in shares)
    return seconds, sum(failed for *_, failed, _first in shares), next((f for *_, f in shares if f), "")


def _measured(count: int, odoo_com_url: str, admin_url: str, odoo_com_ca: str,
              server_url: str) -> tuple[float, int]:
    """``(seconds, failures)`` of one fleet, its first failure shown in full on stderr."""
    seconds, failures, first = obtain(count, odoo_com_url, admin_url, odoo_com_ca, server_url)
    if failures:
        print(f"bench: {failures} of {count} simulated boxes got no certificate; the first:\n{first}",
              file=sys.stderr)
    return seconds, failures


def rows(odoo_com_url: str, admin_url: str, odoo_com_ca: str, server_url: str, small: int,
         large: int) -> list[Row]:
    """Each fleet runs twice, in the order small, large, large, small, and its figure is the mean of its two runs:
    a moment when the shared machine was busy or idle then weighs on both fleets alike.

    The large fleet's bar is on its time per box against the small one's: no step may grow with the fleet. (A bar on
    the time, ``large / small`` times the small fleet's, sat on a knife edge: perfect scaling gives the ratio
    exactly, less the fixed start and end of a run.)"""
    runs: dict[int, list[tuple[float, int]]] = {small: [], large: []}
    for count in (small, large, large, small):
        runs[count].append(_measured(count, odoo_com_url, admin_url, odoo_com_ca, server_url))
    (small_s, small_failed), (large_s, large_failed) = (
        (sum(seconds for seconds, _ in runs[n]) / 2, sum(failed for _, failed in runs[n])) for n in (small, large))
    return [
        Row(f"{small:,} boxes obtain certificates, {AT_A_TIME} at a time", small_s, SECONDS,
            note=f"{2 * small - small_failed:,}/{2 * small:,} certified, mean of 2 runs",
            bar=Bar("all, <= 5 s", 5.0), ok=not small_failed),
        Row(f"{large:,} boxes obtain certificates, {AT_A_TIME} at a time: time per box", large_s / large, SECONDS,
            f"{small:,} boxes", small_s / small, Bar(f"all, <= 1.1 x {small:,}", 1.1, on_ratio=True),
            f"{2 * large - large_failed:,}/{2 * large:,} certified, {large_s:.3g} s, mean of 2 runs",
            ok=not large_failed),
    ]
