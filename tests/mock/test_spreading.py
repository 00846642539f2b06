"""New connections are spread over the mock's workers, each of which listens on a socket of its own."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

LISTEN = "0A"  # the state column of /proc/net/tcp


def socket_inodes(pid: int) -> set[int]:
    """The inodes of the sockets process ``pid`` holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[8:-1]))
    return inodes


def tcp_sockets(port: int) -> list[tuple[str, int, int]]:
    """``(state, remote port, inode)`` of every IPv4 socket on local port ``port``."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            found.append((fields[3], int(fields[2].split(":")[1], 16), int(fields[9])))
    return found


def workers_of(mock, count: int) -> list[int]:
    """The pids of the mock's workers: its children that listen on its port (not the DNS process)."""
    while True:  # until the workers have started; pytest-timeout bounds the wait
        listening = {inode for state, _, inode in tcp_sockets(mock.port) if state == LISTEN}
        children = Path(f"/proc/{mock.service.process.pid}/task").glob("*/children")
        workers = [
            int(pid) for task in children for pid in task.read_text().split() if listening & socket_inodes(int(pid))
        ]
        if len(workers) == count:
            return workers
        time.sleep(0.1)


def test_a_burst_of_new_connections_lands_on_every_worker(mock_odoo_com_factory):
    mock = mock_odoo_com_factory(workers=2, dns=False)
    workers = workers_of(mock, 2)
    # Connected all at once, as a load generator's keep-alive clients or a fleet of boxes after a power cut do.
    clients = [socket.create_connection(("127.0.0.1", mock.port), timeout=30) for _ in range(32)]
    try:
        per_worker = {pid: 0 for pid in workers}
        while sum(per_worker.values()) < len(clients):
            time.sleep(0.1)  # until the workers have accepted them all
            held = {pid: socket_inodes(pid) for pid in workers}
            served = {remote: inode for state, remote, inode in tcp_sockets(mock.port) if state != LISTEN}
            per_worker = {pid: 0 for pid in workers}
            for client in clients:
                inode = served.get(client.getsockname()[1])
                for pid, inodes in held.items():
                    per_worker[pid] += inode in inodes
    finally:
        for client in clients:
            client.close()
    assert sum(per_worker.values()) == len(clients), per_worker
    # Spread by the kernel's hash, each worker has its share: fewer than 4 of 32 has odds of about 1 in 400,000.
    assert min(per_worker.values()) >= 4, per_worker


def test_a_stopped_mock_refuses_connections_at_once(mock_odoo_com_factory):
    mock = mock_odoo_com_factory(workers=2, dns=False)
    workers_of(mock, 2)
    mock.stop()
    try:
        socket.create_connection(("127.0.0.1", mock.port), timeout=5).close()
    except ConnectionRefusedError:
        return
    raise AssertionError("a connection to the stopped mock was accepted")
