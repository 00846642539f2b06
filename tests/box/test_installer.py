"""Certificate and key are installed together or not at all, whatever moment a crash hits (docs/protocols.md §7)."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time

import pytest
from boxhelpers import issue, pair_matches

from iot_box.installer import STEPS, CertStore


class Crash(Exception):
    pass


def crash_at(where: str):
    def step(name: str) -> None:
        if name == where:
            raise Crash(name)
    return step


def test_install_then_load_gives_the_pair_with_private_permissions(tmp_path, ca):
    store = CertStore(tmp_path / "certs")
    assert store.load() is None
    chain, key = issue(ca)
    installed = store.install(chain, key)
    pair = store.load()
    assert (pair.cert_pem, pair.key_pem) == (chain, key)
    assert installed == pair  # what install returns is what is installed
    assert stat.S_IMODE(os.stat(pair.key_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.folder).st_mode) == 0o700


def test_what_a_certificate_was_issued_for_is_installed_with_it_and_replaced_with_it(tmp_path, ca):
    store = CertStore(tmp_path / "certs")
    store.install(*issue(ca), issued_for=b'{"db_uuid": "a"}')
    assert store.load().issued_for == b'{"db_uuid": "a"}'
    store.install(*issue(ca))  # a pair without a record (the placeholder) has none: no record of the pair before
    assert store.load().issued_for is None


@pytest.mark.parametrize("where", STEPS)
def test_a_crash_at_any_step_leaves_the_old_or_the_new_pair(tmp_path, ca, where):
    store = CertStore(tmp_path / "certs")
    old, new = issue(ca), issue(ca)
    store.install(*old)
    with pytest.raises(Crash):
        store.install(*new, step=crash_at(where))
    pair = store.load()
    expected = old if STEPS.index(where) <= STEPS.index("swap_link") else new
    assert (pair.cert_pem, pair.key_pem) == expected
    assert pair_matches(pair.cert_pem, pair.key_pem)
    store.tidy()  # what a box does at start: only the pair in use is left
    assert sorted(p.name for p in store.folder.iterdir() if p.name != "current") == [pair.folder.name]
    # The next installation works too.
    third = issue(ca)
    store.install(*third)
    assert (store.load().cert_pem, store.load().key_pem) == third
    assert sorted(p.name for p in store.folder.iterdir() if p.name != "current") == [store.load().folder.name]


CHILD = """
import sys
from iot_box.installer import CertStore
store = CertStore(sys.argv[1])
pairs = [(open(sys.argv[i], "rb").read(), open(sys.argv[i + 1], "rb").read()) for i in (2, 4)]
print("ready", flush=True)
n = 0
while True:
    store.install(*pairs[n % 2])
    n += 1
"""


def test_a_box_killed_during_installations_always_keeps_a_matching_pair(tmp_path, ca):
    files = []
    for n in range(2):
        chain, key = issue(ca)
        for kind, data in (("cert", chain), ("key", key)):
            path = tmp_path / f"{kind}{n}.pem"
            path.write_bytes(data)
            files.append(str(path))
    store = CertStore(tmp_path / "certs")
    rng = random.Random(7)
    for _ in range(12):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(store.folder), *files],
                                 stdout=subprocess.PIPE)
        assert child.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        pair = store.load()
        if pair is not None:  # killed before the very first installation finished
            assert pair_matches(pair.cert_pem, pair.key_pem)
    assert store.load() is not None
