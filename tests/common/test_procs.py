"""Waiting for an event: the condition's value once it holds, or at once the log of a process that died."""

from __future__ import annotations

import sys

import pytest

from iot_common.procs import ProcessFailed, Service, wait_until


def test_it_returns_the_value_the_condition_reached():
    answers = iter([None, 0, "", {"error_code": "ERR_X"}])
    assert wait_until(lambda: next(answers), interval=0) == {"error_code": "ERR_X"}


def test_a_process_that_exits_ends_the_wait_with_its_log(tmp_path):
    service = Service("dying", [sys.executable, "-c", "print('cannot bind: port in use'); raise SystemExit(3)"],
                      tmp_path / "dying.log")
    service.process.wait()  # the event the wait below must notice
    with pytest.raises(ProcessFailed, match=r"dying exited with 3:\ncannot bind: port in use"):
        wait_until(lambda: False, service)
