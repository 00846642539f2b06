"""docs/testing.md "crash safety": the real ``iot-box`` process, renewing its certificate from the mock odoo.com, killed
with SIGKILL at random moments, 200 times under ``make soak`` (fewer in ``make test``).

The box's own tests crash the installer at each step in-process and kill a loop of bare installations; here the
whole box dies, at three kinds of moments taken in turn: during its start-up check, during a check asked for on
its homepage, and inside an installation (once its new pair folder appears). After every kill the installed files
must make a matching pair that chains to the mock's root (checked by a TLS handshake in memory, without the box's
code), and after every restart the box must serve a trusted certificate for its name.
"""

from __future__ import annotations

import os
import random
import signal
import ssl
import threading
import time
from pathlib import Path

import requests
from reliability_tools import BoxUser, box_system, rounds, served_certificate, start_offline_box, trusted_pair

from iot_box.installer import PAIR_PREFIX, CertStore
from iot_box.names import box_hostname
from iot_common.procs import wait_until

MOMENTS = ("start-up check", "homepage check", "inside an installation")


def test_a_box_killed_at_random_moments_always_keeps_a_matching_trusted_pair(tmp_path, mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.settings(validity_days=5)  # valid, but inside the renewal window: every check installs
    system = box_system(tmp_path, mock_odoo_com)
    hostname = box_hostname("127.0.0.1", db_uuid)
    box = start_offline_box(system, db_uuid, code)
    box.wait_for_certificate()
    store = CertStore(box.data_dir / "certs")
    rng = random.Random(20261127)
    seen = {"old pair": 0, "new pair": 0, "leftovers of an installation": 0}
    try:
        for round_number in range(rounds(quick=15, soak=200)):
            moment = MOMENTS[round_number % len(MOMENTS)]
            # What a client meets after the previous crash and this restart: a trusted certificate for the box.
            served_certificate(box.https_port, hostname, mock_odoo_com.ca_path)
            before = store.load().folder.name
            _kill_at(moment, box, store, rng, db_uuid)

            pair = store.load()
            context = f"round {round_number}, killed during the {moment}"
            assert pair is not None, context
            try:
                trusted_pair(pair.cert_path, pair.key_path, mock_odoo_com.ca_path, hostname)
            except ssl.SSLError as exc:
                raise AssertionError(f"{context}: the installed files are not a trusted pair: {exc}") from exc
            seen["old pair" if pair.folder.name == before else "new pair"] += 1
            if [p for p in os.listdir(store.folder) if p.startswith((PAIR_PREFIX, ".current.")) and
                    p != pair.folder.name]:
                seen["leftovers of an installation"] += 1
            box = start_offline_box(system, db_uuid, code)
        served_certificate(box.https_port, hostname, mock_odoo_com.ca_path)
    finally:
        box.service.stop()
    # The kills did land before, inside and after installations, so the test could have caught a mix.
    assert all(seen.values()), seen


def _kill_at(moment: str, box, store: CertStore, rng: random.Random, db_uuid: str) -> None:
    """SIGKILL the box at a random point of ``moment`` and wait until it is gone."""
    if moment == "start-up check":
        time.sleep(rng.uniform(0.0, 0.3))
    else:
        before = _snapshot(store.folder)
        threading.Thread(target=_recheck, args=(box, db_uuid), daemon=True).start()
        if moment == "homepage check":
            time.sleep(rng.uniform(0.0, 0.3))
        else:  # the first change in the certificate folder is the installation starting
            wait_until(lambda: _snapshot(store.folder) != before, box.service, interval=0)
            time.sleep(rng.uniform(0.0, 0.002))
    box.service.process.send_signal(signal.SIGKILL)
    box.service.process.wait()


def _snapshot(folder: Path) -> set[tuple[str, int, int]]:
    """What the folder holds: each entry's path, size and modification time, links not followed."""
    found = set()
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            try:
                info = os.lstat(os.path.join(parent, name))
            except FileNotFoundError:  # removed while we looked: a change, seen on the next look
                continue
            found.add((os.path.join(parent, name), info.st_size, info.st_mtime_ns))
    return found


def _recheck(box, db_uuid: str) -> None:
    try:
        BoxUser(box).recheck(db_uuid)
    except requests.RequestException:
        pass  # the box was killed under the request: that is the point
