"""The rate limit: exact at its edge across workers, kept across a restart and a rotation of the log, freed as its
window passes (the store's clock is the caller's, so the window passes without waiting)."""

from __future__ import annotations

import json
import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from mock_odoo_com.store import Store

WINDOW = 100


def fresh_store(tmp_path) -> Store:
    store = Store(tmp_path / "mock.sqlite3")
    store.initialise()
    return store


def issue(store: Store, db_uuid: str, at: float) -> None:
    """A certificate the policy issued at ``at``, as the endpoint logs it."""
    store.log.append(at=at, endpoint="x509", status=200, outcome="issued", db_uuid=db_uuid)


def test_a_window_that_passes_lets_requests_through_again(tmp_path):
    store = fresh_store(tmp_path)
    admitted = [store.admit("db", at, 3, WINDOW) for at in (1000.0, 1010.0, 1020.0)]
    assert admitted == [None, None, None]
    assert store.admit("db", 1050.0, 3, WINDOW) == 50.0  # until the first leaves the window
    assert store.admit("other", 1050.0, 3, WINDOW) is None  # per database
    assert store.admit("db", 1099.9, 3, WINDOW) is not None
    assert store.admit("db", 1100.0, 3, WINDOW) is None  # the first has left: one place free
    assert store.admit("db", 1100.0, 3, WINDOW) == 10.0
    assert [store.admit("db", 1120.0, 3, WINDOW) for _ in range(3)] == [None, None, 80.0]


def test_a_lowered_limit_waits_for_enough_certificates_to_leave(tmp_path):
    store = fresh_store(tmp_path)
    for at in (0.0, 10.0, 20.0, 30.0):
        assert store.admit("db", at, 4, WINDOW) is None
    assert store.admit("db", 40.0, 2, WINDOW) == 80.0  # three must leave: the third at 120


def test_a_limit_set_later_counts_the_certificates_of_its_window_from_the_log(tmp_path):
    store = fresh_store(tmp_path)
    for at in (100.0, 500.0, 920.0, 950.0):
        issue(store, "db", at)
    issue(store, "other", 950.0)
    store.log.append(at=960.0, endpoint="x509", status=200, outcome="refused", db_uuid="db")
    store.update_settings({"rate_limit": {"per_db": 3, "window_s": WINDOW}}, now=1000.0)
    assert store.admit("db", 1000.0, 3, WINDOW) is None  # 920 and 950 count, 100 and 500 have left the window
    assert store.admit("db", 1000.0, 3, WINDOW) == 20.0  # until 920 leaves

    # A wider window takes the older ones from the log; a narrower one lets them go again.
    store.update_settings({"rate_limit": {"window_s": 1000}}, now=1000.0)
    assert store.admit("db", 1000.0, 5, 1000) == 100.0  # 100, 500, 920, 950 and 1000: 100 leaves at 1100
    store.update_settings({"rate_limit": {"window_s": 60}}, now=1000.0)
    assert store.admit("db", 1000.0, 3, 60) is None  # 950 and 1000 are left
    assert store.admit("db", 1000.0, 3, 60) == 10.0
    store.update_settings({"rate_limit": {"per_db": None}}, now=1000.0)
    assert store.read().execute("SELECT count(*) FROM issued").fetchone()[0] == 0  # no limit: nothing counted


def test_rotating_or_clearing_the_log_keeps_the_counts(tmp_path):
    store = fresh_store(tmp_path)
    store.update_settings({"rate_limit": {"per_db": 2, "window_s": WINDOW}}, now=0.0)
    assert store.admit("db", 10.0, 2, WINDOW) is None
    issue(store, "db", 10.0)
    rotated = store.rotate_log()
    assert rotated.startswith("requests/rotated/")
    assert list(store.log.read()) == []
    assert [entry["at"] for entry in store.log.read(rotated=True)] == [10.0]
    assert store.admit("db", 20.0, 2, WINDOW) is None
    store.rotate_log(keep=False)
    assert list(store.log.read(rotated=True)) == []
    assert store.admit("db", 30.0, 2, WINDOW) == 80.0

    # Rotated away while no limit was set, they still count when a limit is set.
    store.update_settings({"rate_limit": {"per_db": None}}, now=30.0)
    issue(store, "db", 40.0)
    store.rotate_log()
    store.update_settings({"rate_limit": {"per_db": 1}}, now=50.0)
    assert store.admit("db", 50.0, 1, WINDOW) == 90.0


def admit_in_a_child(path, results):
    store = Store(path)
    results.put([store.admit("db", 500.0, 25, WINDOW) for _ in range(20)])


def test_processes_sharing_the_store_never_admit_past_the_limit(tmp_path):
    fresh_store(tmp_path)
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    children = [context.Process(target=admit_in_a_child, args=(tmp_path / "mock.sqlite3", results)) for _ in range(2)]
    for child in children:
        child.start()
    answers = results.get(timeout=60) + results.get(timeout=60)
    for child in children:
        child.join()
    assert answers.count(None) == 25 and answers.count(100.0) == 15


def x509(mock, db_uuid, code):
    """One certificate request on a connection of its own, so that the kernel spreads them over the workers."""
    with requests.Session() as session:
        session.trust_env = False
        body = {"params": {"db_uuid": db_uuid, "enterprise_code": code}}
        return session.post(f"{mock.url}/odoo-enterprise/iot/x509", json=body, verify=str(mock.ca_path), timeout=60)


def test_the_limit_is_exact_at_its_edge_across_two_workers(mock_odoo_com_factory):
    mock = mock_odoo_com_factory(workers=2, dns=False)
    db_uuid, code = mock.eligible_database()
    mock.settings(rate_limit={"per_db": 20, "window_s": 3600})
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: x509(mock, db_uuid, code), range(30)))
    issued = [answer for answer in answers if answer.status_code == 200]
    limited = [answer for answer in answers if answer.status_code == 429]
    assert len(issued) == 20 and len(limited) == 10
    assert all(answer.json()["result"]["x509_pem"] for answer in issued)
    for answer in limited:
        assert answer.headers["X-Odoo-Iot-Refusal"] == "rate_limited"
        assert 0 < int(answer.headers["Retry-After"]) <= 3600
    # Both workers answered: each logs to a file of its own.
    logs = [path.read_text() for path in (mock.data_dir / "requests").glob("*.jsonl")]
    assert len([text for text in logs if '"outcome":"issued"' in text]) == 2


def test_the_counts_survive_a_restart_a_rotation_and_a_clear(mock_odoo_com_factory):
    mock = mock_odoo_com_factory(workers=2, dns=False)
    db_uuid, code = mock.eligible_database()
    mock.settings(rate_limit={"per_db": 3, "window_s": 3600})
    assert [mock.request_certificate(db_uuid, code).status_code for _ in range(2)] == [200, 200]
    mock.restart()
    assert mock.request_certificate(db_uuid, code).status_code == 200
    rotated = mock.rotate_requests()
    rotated_log = [json.loads(line) for path in (mock.data_dir / rotated).glob("*.jsonl")
                   for line in path.read_text().splitlines()]
    assert [entry["outcome"] for entry in rotated_log if entry["endpoint"] == "x509"] == ["issued"] * 3
    assert mock.requests() == []
    assert mock.request_certificate(db_uuid, code).status_code == 429
    mock.clear_requests()
    assert not (mock.data_dir / rotated).exists()
    assert mock.request_certificate(db_uuid, code).status_code == 429
    assert [entry["outcome"] for entry in mock.requests(endpoint="x509")] == ["rate_limited"]


def test_the_request_log_from_a_time_and_up_to_a_number(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    other_db, other_code = mock_odoo_com.eligible_database()
    for _ in range(3):
        mock_odoo_com.request_certificate(db_uuid, code)
        mock_odoo_com.publisher_warranty(other_db, other_code)
    everything = mock_odoo_com.requests()
    assert len(everything) == 6
    assert mock_odoo_com.requests(limit=4) == everything[:4]
    assert mock_odoo_com.requests(endpoint="publisher-warranty", limit=2) == everything[1:4:2]
    assert mock_odoo_com.requests(db_uuid=db_uuid, limit=10) == everything[0::2]
    assert mock_odoo_com.requests(since=everything[0]["at"]) == everything  # inclusive, to the second
    assert mock_odoo_com.requests(since="2999-01-01T00:00:00Z") == []
    assert mock_odoo_com.requests(since=0) == everything
    for params, message in (({"limit": "0"}, "limit must be"), ({"since": "yesterday"}, "since must be")):
        answer = mock_odoo_com.session.get(f"{mock_odoo_com.admin_url}/mock/requests", params=params)
        assert answer.status_code == 400 and message in answer.json()["error"]["message"]


def test_a_data_dir_from_before_the_counts_were_kept_counts_from_its_log(tmp_path):
    store = fresh_store(tmp_path)
    store.update_settings({"rate_limit": {"per_db": 1, "window_s": WINDOW}})
    issue(store, "db", time.time())
    with store.transaction() as tx:  # as an older mock left it: a limit, a log, no counts
        tx.execute("DROP TABLE issued")
        tx.execute("DELETE FROM issued_counts")
    store.initialise()
    assert store.admit("db", time.time(), 1, WINDOW) is not None
