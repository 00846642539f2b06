"""The request log: each process appends to its own file, a reader sees every process's entries in time order."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import random
import stat

from mock_odoo_com.requestlog import FIELDS, RequestLog
from mock_odoo_com.store import Store


def append_from_a_child(folder, at):
    RequestLog(folder).append(at=at, endpoint="x509", status=200, outcome="issued", db_uuid="child")


def test_entries_of_all_processes_merge_in_time_order(tmp_path):
    log = RequestLog(tmp_path / "requests")
    log.append(at=1000.0, endpoint="x509", status=200, outcome="issued", db_uuid="parent", not_after=2000.0)
    child = multiprocessing.get_context("fork").Process(target=append_from_a_child, args=(log.folder, 500.0))
    child.start()
    child.join()
    assert child.exitcode == 0
    log.append(at=1500.0, endpoint="publisher-warranty", status=200, outcome="answered", db_uuid="parent")

    entries = log.entries()
    assert [(e["db_uuid"], e["at"]) for e in entries] == [
        ("child", "1970-01-01T00:08:20Z"),
        ("parent", "1970-01-01T00:16:40Z"),
        ("parent", "1970-01-01T00:25:00Z"),
    ]
    assert all(set(e) == set(FIELDS) for e in entries)  # the documented shape, None where it does not apply
    assert entries[1]["not_after"] == "1970-01-01T00:33:20Z" and entries[1]["csr"] is False
    assert [e["db_uuid"] for e in log.entries(endpoint="x509", db_uuid="parent")] == ["parent"]
    assert len(list(log.folder.glob("*.jsonl"))) == 2
    for path in log.folder.glob("*.jsonl"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.folder.stat().st_mode) == 0o700


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_rest_is_kept(tmp_path):
    log = RequestLog(tmp_path / "requests")
    log.append(at=1.0, endpoint="x509", status=200, outcome="issued", db_uuid="a")
    with open(log.folder / f"{os.getpid()}.jsonl", "ab") as handle:
        handle.write(b'{"at": 2.0, "endpoint": "x5')  # the process died in the middle of this line
    other = RequestLog(tmp_path / "requests")
    with open(log.folder / "12345.jsonl", "ab") as handle:
        handle.write(b'\n{"at": 3.0, "endpoint": "x509", "status": 200, "outcome": "issued", "db_uuid": "a"}\n')
    assert [e["at"] for e in other.entries()] == ["1970-01-01T00:00:01Z", "1970-01-01T00:00:03Z"]
    assert [e["at"] for e in other.read(db_uuid="a", outcome="issued", since=2.0)] == [3.0]


def test_clearing_empties_the_files_and_every_process_goes_on_appending(tmp_path):
    log = RequestLog(tmp_path / "requests")
    log.append(at=1.0, endpoint="x509", status=200, outcome="issued")
    RequestLog(log.folder).clear()  # another process's reset
    assert log.entries() == []
    log.append(at=2.0, endpoint="x509", status=200, outcome="refused")
    assert [e["outcome"] for e in log.entries()] == ["refused"]


def test_facts_are_read_again_after_every_change_and_not_before(tmp_path):
    writer, reader = Store(tmp_path / "mock.sqlite3"), Store(tmp_path / "mock.sqlite3")
    writer.initialise()
    writer.put_database("db", "code", "staging")
    facts = reader.facts()
    assert facts.database("db")["kind"] == "staging" and not facts.has_fault("x509")
    assert reader.facts() is facts  # nothing changed: the same facts, no query

    writer.put_database("db", "code", "production")
    writer.add_fault("x509", "status", {"status": 503}, 1)
    fresh = reader.facts()
    assert fresh is not facts and fresh.database("db")["kind"] == "production" and fresh.has_fault("x509")
    assert reader.take_fault("x509")["mode"] == "status"  # its one use spent: a change too
    assert not reader.facts().has_fault("x509")


def test_a_database_is_found_by_its_exact_uuid_whatever_its_characters(tmp_path):
    log = RequestLog(tmp_path / "requests")
    for db_uuid in ('é"1', "é", "é\"1-copy"):
        log.append(at=1.0, endpoint="x509", status=200, outcome="issued", db_uuid=db_uuid)
    log.append(at=2.0, endpoint="x509", status=200, outcome="refused", db_uuid='é"1')
    assert len(list(log.read(db_uuid='é"1', outcome="issued"))) == 1
    assert len(list(log.read(db_uuid="é", outcome="issued"))) == 1
    assert [e["outcome"] for e in log.entries(db_uuid='é"1')] == ["issued", "refused"]


def test_reading_from_a_time_finds_every_later_entry_of_a_large_log_in_order(tmp_path):
    written_at = [10_000.0]
    log = RequestLog(tmp_path / "requests", clock=lambda: written_at[0])
    rng = random.Random(16)
    arrived = []
    for number in range(30_000):
        # Each entry is written a little after its request arrived; now and then one much later, as after a delay.
        written_at[0] = 10_000.0 + number * 0.01
        arrived.append(written_at[0] - (rng.uniform(0, 300) if rng.random() < 0.01 else rng.uniform(0, 0.5)))
        log.append(at=arrived[-1], endpoint="x509", status=200, outcome="issued", db_uuid=f"db{number % 3}")
    assert {path.name for path in log.folder.glob("*.jsonl")} == {f"{os.getpid()}.jsonl", f"{os.getpid()}.late.jsonl"}
    for since in (0.0, 10_100.0, 10_150.005, 10_299.99, 20_000.0):
        found = [entry["at"] for entry in log.read(since=since)]
        assert found == sorted(at for at in arrived if at >= since)
    first = list(itertools.islice(log.read(since=10_200.0, db_uuid="db1"), 5))
    assert [entry["at"] for entry in first] == sorted(
        at for number, at in enumerate(arrived) if at >= 10_200.0 and number % 3 == 1
    )[:5]


def test_a_rotation_moves_the_log_aside_and_appending_goes_on_in_a_new_file(tmp_path):
    worker, admin = RequestLog(tmp_path / "requests"), RequestLog(tmp_path / "requests")
    worker.append(at=1.0, endpoint="x509", status=200, outcome="issued")
    rotated = admin.rotate()
    worker.append(at=2.0, endpoint="x509", status=200, outcome="refused")
    assert [e["outcome"] for e in admin.entries()] == ["refused"]
    assert [e["at"] for e in admin.read(rotated=True)] == [1.0, 2.0]
    moved = [json.loads(line) for path in rotated.glob("*.jsonl") for line in path.read_text().splitlines()]
    assert [entry["at"] for entry in moved] == [1.0]
    assert stat.S_IMODE(rotated.stat().st_mode) == 0o700
    admin.clear()
    worker.append(at=3.0, endpoint="x509", status=200, outcome="issued")
    assert [e["at"] for e in admin.read(rotated=True)] == [3.0]
