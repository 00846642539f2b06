"""What the reliability and security tests share: how long they run, a real box process driven like a user
drives it (its homepage forms, its HTTPS port), an independent check that a certificate and key make a trusted
pair, and the memory of a process tree.

``IOT_HTTPS_SOAK=1`` (``make soak``) runs the long tests at their full size; ``make test`` runs fewer rounds.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
from pathlib import Path

import requests
from cryptography import x509

from iot_common.net import free_port
from iot_stack.system import Box, Ports, System

SOAK = os.environ.get("IOT_HTTPS_SOAK", "") not in ("", "0")
BOX_PASSWORD = "box-admin-pw"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token_of(page: str) -> str | None:
    """The CSRF token of the (first) form of a page, None when it has none."""
    found = CSRF_INPUT.search(page)
    return found.group(1) if found else None


def rounds(quick: int, soak: int) -> int:
    """How many rounds a long test runs: ``soak`` under ``make soak``, ``quick`` in ``make test``."""
    return soak if SOAK else quick


# -- a box as a real process, next to the mock odoo.com of the pytest plugin -----------------------------------
def box_system(state_dir: Path, mock) -> System:
    """A ``System`` whose odoo.com is the already running ``mock`` (no server: boxes report to a closed port)."""
    system = System(state_dir, Ports(server=free_port(), odoo_com=mock.port, box_http=free_port(),
                                     box_https=free_port(), dns=mock.dns_port, odoo_com_admin=mock.admin_port))
    system.odoo_com_url, system.odoo_com_ca = mock.url, mock.ca_path
    return system


def offline_token(db_uuid: str, enterprise_code: str) -> str:
    """A connection token for a database server that is down: the box keeps it and gets its certificate."""
    return f"http://127.0.0.1:{free_port()}?token=0123456789ab.unused&db_uuid={db_uuid}&enterprise_code={enterprise_code}"


def start_offline_box(system: System, db_uuid: str, enterprise_code: str, name: str = "box",
                      extra: tuple = ()) -> Box:
    """A box paired with a server that is down, on the system's box ports; keeps the state of ``name``."""
    token = offline_token(db_uuid, enterprise_code) if not (system.state_dir / name).exists() else False
    return system.start_box(name, connect=token, admin_password=BOX_PASSWORD, extra=extra)


class BoxUser:
    """Someone at a box's homepage: reads it, fills its forms (CSRF token from the page, admin password)."""

    def __init__(self, box: Box) -> None:
        self.box = box
        self.session = requests.Session()
        self.session.trust_env = False
        self._form_token: str | None = None

    def form_token(self) -> str:
        """The forms' CSRF token, read from the homepage once (it stays valid while the box runs)."""
        if self._form_token is None:
            self._form_token = csrf_token_of(self.homepage())
        return self._form_token

    def homepage(self) -> str:
        answer = self.session.get(f"{self.box.http_url}/", headers={"Accept-Language": "en"}, timeout=60)
        answer.raise_for_status()
        return answer.text

    def submit(self, path: str, **fields: str) -> requests.Response:
        return self._post(path, csrf_token_of(self.homepage()), **fields)

    def recheck(self, db_uuid: str) -> requests.Response:
        """Save the Credential dialog unchanged: the box checks its certificate at once (no 10 s throttle), once.
        The form's token is the one read before: loading the homepage again after an error would check as well."""
        return self._post("/credential", self.form_token(), action="save", db_uuid=db_uuid, enterprise_code="")

    def _post(self, path: str, csrf_token: str | None, **fields: str) -> requests.Response:
        form = {"csrf_token": csrf_token, "password": self.box.admin_password, **fields}
        return self.session.post(f"{self.box.http_url}{path}", data=form, headers={"Accept-Language": "en"},
                                 timeout=60)


# -- TLS ------------------------------------------------------------------------------------------------------------
def served_certificate(port: int, server_name: str | None = None, ca_file: Path | None = None) -> x509.Certificate:
    """The certificate a TLS client gets on ``port``: verified against ``ca_file`` with SNI ``server_name`` when
    given (ssl.SSLCertVerificationError if it is not trusted), else taken as it comes."""
    if ca_file is not None:
        context = ssl.create_default_context(cafile=str(ca_file))
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            return x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))


def https_get(port: int, server_name: str, ca_file: Path, path: str = "/") -> str:
    """A page fetched over verified HTTPS from 127.0.0.1 under the name ``server_name`` (which only the mock's DNS
    knows, so no HTTP library can be pointed at it): the whole answer, headers and body."""
    context = ssl.create_default_context(cafile=str(ca_file))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {server_name}:{port}\r\nConnection: close\r\n\r\n".encode())
            chunks = []
            while chunk := tls.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def trusted_pair(cert_path: Path, key_path: Path, ca_file: Path, server_name: str) -> x509.Certificate:
    """Prove that a certificate file and a key file make a pair a browser trusts, without the box's code: a TLS
    handshake in memory between a server using them and a client trusting only ``ca_file``.

    Raises ssl.SSLError when the key does not match the certificate, ssl.SSLCertVerificationError when the chain
    does not lead to ``ca_file`` or does not name ``server_name``.
    """
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_path, key_path)  # checks that the key matches the certificate
    client_context = ssl.create_default_context(cafile=str(ca_file))
    pipes = [(ssl.MemoryBIO(), ssl.MemoryBIO()) for _ in range(2)]  # (incoming, outgoing) of each side
    client = client_context.wrap_bio(*pipes[0], server_hostname=server_name)
    server = server_context.wrap_bio(*pipes[1], server_side=True)
    done = {"client": False, "server": False}
    for _ in range(10):  # a TLS 1.3 handshake needs two flights each way
        for name, side in (("client", client), ("server", server)):
            if not done[name]:
                try:
                    side.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
        pipes[1][0].write(pipes[0][1].read())  # client -> server
        pipes[0][0].write(pipes[1][1].read())  # server -> client
        if all(done.values()):
            return x509.load_der_x509_certificate(client.getpeercert(binary_form=True))
    raise AssertionError("the in-memory TLS handshake did not finish")


# -- memory ---------------------------------------------------------------------------------------------------------
def tree_rss(pid: int) -> dict[int, int]:
    """Resident memory (bytes) of a process and all its descendants, by pid (gone processes left out)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                parent = int(Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = {}, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    found[current] = int(line.split()[1]) * 1024
        except OSError:
            continue
        todo.extend(children.get(current, ()))
    return found
