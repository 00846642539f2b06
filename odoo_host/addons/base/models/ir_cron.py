"""Scheduled jobs, declared as data records as on Odoo 17 (``interval_number``, ``interval_type``, ``numbercall``:
how many runs are left, -1 for no limit, 1 by default: a job runs once unless it says otherwise);
``odoo_host.cron`` runs the due ones."""

from __future__ import annotations

import datetime
from typing import Any

from odoo_host import fields, models
from odoo_host.exceptions import UserError

INTERVALS = {
    "minutes": datetime.timedelta(minutes=1),
    "hours": datetime.timedelta(hours=1),
    "days": datetime.timedelta(days=1),
    "weeks": datetime.timedelta(weeks=1),
    "months": datetime.timedelta(days=30),
}


class IrCron(models.Model):
    _name = "ir.cron"
    _description = "Scheduled Actions"
    _order = "priority, id"

    name = fields.Char(required=True)
    model_id = fields.Many2one("ir.model", string="Model", required=True, ondelete="cascade")
    code = fields.Text(
        help="Python expression run with `model`, `env` and `datetime`, e.g. model._cron_sweep()"
    )
    method = fields.Char(help="Instead of code: the name of a method of the model to call")
    user_id = fields.Many2one("res.users", string="Scheduler User", default=lambda self: self.env.uid)
    interval_number = fields.Integer(default=1)
    interval_type = fields.Selection([(k, k.title()) for k in INTERVALS], default="hours")
    numbercall = fields.Integer(
        string="Number of Calls", default=1, help="Runs left: -1 for no limit; at 0 the job is deactivated"
    )
    nextcall = fields.Datetime(string="Next Execution Date", required=True, default=fields.Datetime.now)
    lastcall = fields.Datetime(string="Last Execution Date")
    priority = fields.Integer(default=5)
    active = fields.Boolean(default=True)

    def _execute(self) -> Any:
        """Run this job's code as its user."""
        self.ensure_one()
        model = self.env[self.model_id.model].with_user(self.user_id.id or self.env.uid)
        if self.method:
            return getattr(model, self.method)()
        if not self.code:
            raise UserError(f"Scheduled action '{self.name}' has neither code nor method")
        # The code is a data record of an installed addon, as trusted as its Python modules.
        return eval(  # noqa: S307
            self.code,
            {"__builtins__": {}},
            {
                "model": model,
                "env": model.env,  # noqa: S307
                "datetime": datetime,
            },
        )

    def _next_call(self, now: datetime.datetime) -> datetime.datetime:
        step = INTERVALS[self.interval_type or "hours"] * max(self.interval_number, 1)
        nextcall = self.nextcall or now
        while nextcall <= now:  # missed runs are not made up: one run, then the next slot in the future
            nextcall += step
        return nextcall

    def _counted_run(self, now: datetime.datetime) -> dict:
        """What a run (successful or not, as in Odoo 17) changes: the next slot, and one call fewer left."""
        values: dict = {"nextcall": self._next_call(now), "lastcall": now}
        if self.numbercall > 0:
            values["numbercall"] = self.numbercall - 1
        if values.get("numbercall", self.numbercall) == 0:
            values["active"] = False
        return values

    def method_direct_trigger(self) -> bool:
        """The "Run Manually" button."""
        for job in self:
            job._execute()
            job.write({"lastcall": fields.Datetime.now()})
        return True
