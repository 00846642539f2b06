"""State that survives a restart and stays consistent across worker processes; files readable by the owner."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from x509_checks import check_box_certificate

from iot_common.procs import wait_until


def children(pid: int) -> list[int]:
    """The pids whose parent is ``pid`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def test_everything_survives_a_restart(mock_odoo_com_factory):
    mock = mock_odoo_com_factory()
    db_uuid, code = mock.eligible_database()
    mock.settings(validity_days=10, refusal_style="error_object")
    mock.set_fault("status", status=502, times=3)
    assert mock.request_certificate(db_uuid, code).status_code == 502
    root = mock.ca_path.read_text()
    log = mock.requests()

    mock.restart()
    assert mock.ca_path.read_text() == root
    assert mock.session.get(f"{mock.url}/mock/ca.pem").text == root
    assert mock.settings()["validity_days"] == 10 and mock.settings()["refusal_style"] == "error_object"
    assert mock.faults()[0]["remaining"] == 2
    assert mock.requests() == log
    assert mock.call("GET", f"/mock/subscriptions/{code}")["state"] == "in_progress"
    mock.clear_faults()
    result = mock.request_certificate(db_uuid, code).json()["result"]
    check_box_certificate(result["x509_pem"], root, db_uuid)


def test_secrets_and_state_are_readable_by_their_owner_alone(mock_odoo_com):
    data = mock_odoo_com.data_dir
    mock_odoo_com.request_certificate(*mock_odoo_com.eligible_database())  # a request log entry
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in (
        "ca/root.key",
        "ca/intermediate.key",
        "ca/untrusted/intermediate.key",
        "server.key",
        "mock.sqlite3",
        "mock.sqlite3.changes",
        *(str(log.relative_to(data)) for log in (data / "requests").glob("*.jsonl")),
    ):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE((data / "requests").stat().st_mode) == 0o700
    assert "PRIVATE KEY" not in (data / "ca.pem").read_text()


def fresh_connection_request(mock, method, path, body=None):
    """One request on a connection of its own, so that the kernel spreads them over the workers."""
    with requests.Session() as session:
        session.trust_env = False
        return session.request(method, f"{mock.url}{path}", json=body, verify=str(mock.ca_path), timeout=60)


def test_workers_share_faults_rate_limits_and_settings(mock_odoo_com_factory):
    mock = mock_odoo_com_factory(workers=3)
    wait_until(lambda: len(children(mock.service.process.pid)) >= 4, mock.service)  # 3 workers and the DNS
    assert len(children(mock.service.process.pid)) == 4
    db_uuid, code = mock.eligible_database()
    x509_call = {"params": {"db_uuid": db_uuid, "enterprise_code": code}}

    def burst(count):
        with ThreadPoolExecutor(8) as pool:
            return list(
                pool.map(
                    lambda _: fresh_connection_request(mock, "POST", "/odoo-enterprise/iot/x509", x509_call),
                    range(count),
                )
            )

    # A fault for 10 requests hits exactly 10 of 40 concurrent requests, whichever worker takes them.
    mock.set_fault("status", status=503, times=10)
    statuses = [r.status_code for r in burst(40)]
    assert statuses.count(503) == 10 and statuses.count(200) == 30
    # A rate limit of 35 per database (30 already issued) lets exactly 5 more through.
    mock.settings(rate_limit={"per_db": 35})
    statuses = [r.status_code for r in burst(20)]
    assert statuses.count(200) == 5 and statuses.count(429) == 15
    # A settings change is seen by every worker at once.
    mock.settings(rate_limit={"per_db": None}, validity_days=3)
    for response in burst(12):
        leaf = check_box_certificate(response.json()["result"]["x509_pem"], mock.ca_path.read_text(), db_uuid)
        assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days == 3
    assert len([e for e in mock.requests(endpoint="x509") if e["outcome"] == "issued"]) == 47
