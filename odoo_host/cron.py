"""Run the scheduled jobs that are due. Each job runs in its own transaction with its row locked (``FOR UPDATE
SKIP LOCKED``): two servers never run the same job at once, and a job that fails is rolled back and tried
again at its next slot. Each run counts against the job's ``numbercall`` (docs/odoo17-compatibility.md)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from .api import SUPERUSER_ID, Environment
from .fields import Datetime

_logger = logging.getLogger(__name__)


def run_due_jobs(registry: Any) -> int:
    """Run every due job once; returns how many ran without error."""
    done: list[int] = []
    succeeded = 0
    while True:
        with registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM ir_cron WHERE active AND numbercall != 0 AND nextcall <= (now() at time zone 'UTC') "
                "AND NOT id = ANY(%s) "
                "ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                (done,),
            )
            row = cr.fetchone()
            if row is None:
                return succeeded
            done.append(row[0])
            env = Environment(cr, SUPERUSER_ID, {})
            job = env["ir.cron"].browse(row[0])
            now = Datetime.now()
            cr.execute("SAVEPOINT cron_job")
            try:
                job._execute()
            except Exception:
                cr.execute("ROLLBACK TO SAVEPOINT cron_job")
                _logger.exception("scheduled job %s (%s) failed", job.id, job.name)
            else:
                cr.execute("RELEASE SAVEPOINT cron_job")
                succeeded += 1
            env.invalidate_all()
            job.write(job._counted_run(now))


def start_thread(registry: Any, interval: float) -> threading.Event:
    """Check for due jobs every ``interval`` seconds in a daemon thread of the server; set the returned event
    to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                run_due_jobs(registry)
            except Exception:
                _logger.exception("scheduled jobs could not run")

    threading.Thread(target=loop, name="cron", daemon=True).start()
    return stop
