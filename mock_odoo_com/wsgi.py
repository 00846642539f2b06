"""The WSGI front end: routes a request to a public endpoint or, on the admin port only, to the admin API, and
turns every failure into a clear JSON error (a traceback goes to the mock's log, never into an answer)."""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Callable, Iterable
from pathlib import Path

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from mock_odoo_com.admin import AdminApi
from mock_odoo_com.ca import CertificateAuthority
from mock_odoo_com.faults import DropConnection
from mock_odoo_com.public import PublicEndpoints
from mock_odoo_com.store import Store
from mock_odoo_com.web import error_response

log = logging.getLogger("mock_odoo_com")


class DataDir:
    """Where a mock keeps its state; the paths every part agrees on."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).resolve()
        self.database = self.path / "mock.sqlite3"
        self.ca = self.path / "ca"
        self.untrusted_ca = self.path / "ca" / "untrusted"
        self.root_pem = self.path / "ca.pem"
        self.server_cert = self.path / "server.pem"
        self.server_key = self.path / "server.key"


ADMIN_ELSEWHERE = (
    "the admin API (/mock/...) answers only on the mock's admin port (mock-odoo-com --admin-port), "
    "not on this public port; see docs/mock-odoo-com.md"
)


class MockApp:
    """The WSGI application of one mock, on the state in ``data_dir`` (prepared by ``cli.prepare``).

    A request that came in on ``admin_port`` reaches the admin API; any other reaches the public endpoints, which
    answer ``/mock/...`` with 404 except the root certificate (public information a box or a browser needs)."""

    def __init__(self, data_dir: DataDir, admin_port: int) -> None:
        self.admin_port = admin_port
        self.store = Store(data_dir.database)
        ca = CertificateAuthority.load_or_create(data_dir.ca)
        untrusted = CertificateAuthority.load_or_create(
            data_dir.untrusted_ca, "Mock Untrusted Root", "Mock Untrusted R12"
        )
        public = PublicEndpoints(self.store, ca, untrusted)
        admin = AdminApi(self.store, ca)
        self.public_map = Map(
            [
                Rule("/odoo-enterprise/iot/x509", endpoint=public.x509, methods=["POST"]),
                Rule("/publisher-warranty/", endpoint=public.publisher_warranty, methods=["POST"]),
                Rule("/mock/ca.pem", endpoint=admin.ca_pem, methods=["GET"]),
            ]
        )
        self.admin_map = Map(admin.rules())

    def _on_admin_port(self, environ: dict) -> bool:
        """Whether the connection came in on the admin port: the socket's own address, which a client's Host
        header cannot change (gunicorn's ``SERVER_PORT`` follows the Host header, so it is not read)."""
        try:
            return environ["gunicorn.socket"].getsockname()[1] == self.admin_port
        except (KeyError, OSError):
            return False

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        endpoint = None
        admin = self._on_admin_port(environ)
        try:
            try:
                endpoint, args = (self.admin_map if admin else self.public_map).bind_to_environ(environ).match()
            except NotFound:
                if not admin and request.path.startswith("/mock/"):
                    raise NotFound(ADMIN_ELSEWHERE) from None
                raise
            response = endpoint(request, **args)
        except DropConnection:
            self._drop(environ)
        except HTTPException as exc:
            if exc.code and 300 <= exc.code < 400:  # werkzeug's redirect to the path with a trailing slash
                response = exc.get_response(environ)
            else:
                response = error_response(exc.code or 500, exc.description or exc.name)
                if exc.code == 405:
                    response.headers["Allow"] = ", ".join(exc.valid_methods or ())
        except Exception:
            # The handler's name, not the path: a path can hold an enterprise code.
            log.exception("unexpected error in %s", getattr(endpoint, "__name__", "routing"))
            response = error_response(500, "the mock failed on this request; its log has the details")
        return response(environ, start_response)

    @staticmethod
    def _drop(environ: dict) -> None:
        """Close the client's connection without a byte of answer (the ``drop`` fault)."""
        sock = environ.get("gunicorn.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # gunicorn closes the connection quietly on ECONNRESET.
        raise ConnectionResetError(errno.ECONNRESET, "connection dropped by the drop fault")
