"""docs/testing.md "load": 200 concurrent boxes against the database server and the mock odoo.com, 60 s under
``make soak`` (10 s in ``make test``): no error, and the memory (RSS) of every server process flat.

The boxes are simulated clients of the box wire protocol (the same calls as ``iot_box``, one thread and one
keep-alive connection each, not 200 box processes, which two cores could not run): each pairs with a connection
token of its own, then cycles: a certificate from odoo.com (half of them with a CSR, as a box does by
default), a status report to the server, and every tenth cycle a ``/iot/setup`` with its box secret, as after a
restart. Memory is sampled twice a second after every box has done its first cycle; the last third of the run
must not be above the first third by more than a small margin.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from collections import defaultdict

import requests
from cryptography import x509
from reliability_tools import rounds, tree_rss

from iot_box import certs
from iot_box.names import box_hostname

BOXES = 200
DURATION = rounds(quick=10, soak=60)
PAUSE = 1.0  # between two cycles of one box: about 200 cycles (600 calls) a second in all
MARGIN = (0.05, 4 * 2**20)  # allowed growth from the first to the last third: 5 %, at least 4 MiB


class SimulatedBox:
    def __init__(self, stack, number: int, token: str) -> None:
        self.stack, self.token = stack, token
        self.identifier = f"load-box-{number:03d}"
        self.ip = f"10.1.{number // 250}.{number % 250 + 1}:8080"
        self.session = requests.Session()
        self.session.trust_env = False
        self.secret: str | None = None
        self.cycles = 0
        self.own_key = number % 2 == 0  # half the boxes send a CSR, the others take odoo.com's key

    def call(self, url: str, params: dict, **options) -> object:
        answer = self.session.post(
            url, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=60, **options
        )
        body = answer.json()
        if answer.status_code != 200 or "result" not in body:
            raise AssertionError(f"{self.identifier}: {url} answered {answer.status_code} {answer.text[:200]}")
        return body["result"]

    def setup(self) -> None:
        params = {"identifier": self.identifier, "name": self.identifier, "ip": self.ip, "version": "24.10"}
        if self.secret is None:
            self.secret = self.call(f"{self.stack.url}/iot/setup", {**params, "token": self.token})["box_secret"]
        else:
            self.call(f"{self.stack.url}/iot/setup", params, headers={"Authorization": f"Bearer {self.secret}"})

    def cycle(self) -> None:
        system = self.stack.system
        params = {"db_uuid": self.stack.db_uuid, "enterprise_code": self.stack.enterprise_code}
        if self.own_key:  # the box's default: its key never leaves it, odoo.com signs a request for it
            params["csr"] = certs.make_csr(
                certs.new_key()[0], box_hostname(self.ip.split(":")[0], self.stack.db_uuid)
            ).decode()
        issued = self.call(f"{system.odoo_com_url}/odoo-enterprise/iot/x509", params, verify=str(system.odoo_com_ca))
        leaf = x509.load_pem_x509_certificate(issued["x509_pem"].encode())
        report = {
            "identifier": self.identifier,
            "ip": self.ip,
            "subject": issued["subject_cn"],
            "ssl_certificate_end_date": leaf.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "error_code": None,
            "error_detail": None,
        }
        accepted = self.call(
            f"{self.stack.url}/iot/box/update_certificate_status",
            report,
            headers={"Authorization": f"Bearer {self.secret}"},
        )
        assert accepted is True, accepted
        self.cycles += 1
        if self.cycles % 10 == 0:
            self.setup()


def _connection_tokens(stack, count: int) -> list[str]:
    """``count`` tokens made as an admin makes them: the subscription form's "Connect an IoT Box" button."""
    subscription = stack.execute("iot.subscription", "search", [])[:1]
    tokens = []
    for _ in range(count):
        notification = stack.execute("iot.subscription", "action_connect_box", subscription)
        tokens.append(re.search(r"token=([^&\s]+)", notification["params"]["copy"]).group(1))  # the value to copy
    return tokens


def test_200_boxes_at_once_get_no_error_and_the_servers_memory_stays_flat(stack):
    boxes = [SimulatedBox(stack, n, token) for n, token in enumerate(_connection_tokens(stack, BOXES))]
    errors: list[str] = []
    samples: dict[str, list[tuple[float, dict[int, int]]]] = defaultdict(list)
    warm = threading.Barrier(BOXES + 1)
    stop = threading.Event()

    def run(box: SimulatedBox) -> None:
        try:
            box.setup()
            box.cycle()
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            errors.append(f"{box.identifier} first cycle: {exc!r}")
        warm.wait()
        # Waiting for the others may outlast the servers' keep-alive (gunicorn closes an idle connection after 2 s):
        # reusing that connection would race its closing, which a box coming back after a pause never does.
        box.session.close()
        while not stop.wait(PAUSE):
            try:
                box.cycle()
            except Exception as exc:  # noqa: BLE001
                errors.append(f"{box.identifier} cycle {box.cycles}: {exc!r}")

    threads = [threading.Thread(target=run, args=(box,), daemon=True) for box in boxes]
    for thread in threads:
        thread.start()
    warm.wait()  # every box is paired and has its first certificate: the run measured starts now
    start = time.monotonic()
    cycles_before = sum(box.cycles for box in boxes)
    while time.monotonic() - start < DURATION:
        for name, service in stack.services.items():
            samples[name].append((time.monotonic() - start, tree_rss(service.process.pid)))
        time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(120)

    cycles = sum(box.cycles for box in boxes) - cycles_before
    assert not errors, f"{len(errors)} errors in {cycles} cycles:\n" + "\n".join(errors[:20])
    assert all(box.cycles >= 2 for box in boxes), "some boxes never got past their first cycle"
    for service in stack.services.values():
        assert service.process.poll() is None
    growth = _memory_growth(samples)
    assert not growth, f"memory grew during {DURATION} s of load ({cycles} cycles):\n" + "\n".join(growth)


def _memory_growth(samples: dict[str, list[tuple[float, dict[int, int]]]]) -> list[str]:
    """For every process seen from start to end, its mean RSS in the first and the last third; the ones that
    grew more than the margin."""
    grown = []
    for name, series in samples.items():
        third = len(series) // 3
        first, last = series[:third], series[-third:]
        for pid in set(first[0][1]) & set(last[-1][1]):
            before = statistics.mean(rss[pid] for _, rss in first if pid in rss)
            after = statistics.mean(rss[pid] for _, rss in last if pid in rss)
            allowed = max(before * MARGIN[0], MARGIN[1])
            line = f"{name} pid {pid}: {before / 2**20:.1f} MiB -> {after / 2**20:.1f} MiB"
            if after - before > allowed:
                grown.append(line)
    return grown
