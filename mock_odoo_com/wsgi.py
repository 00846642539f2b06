"""The WSGI front end: routes a request to a public endpoint or to the admin API, and turns every failure
into a clear JSON error (a traceback goes to the mock's log, never into an answer)."""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Callable, Iterable
from pathlib import Path

from werkzeug.exceptions import HTTPException
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


class MockApp:
    """The WSGI application of one mock, on the state in ``data_dir`` (prepared by ``cli.prepare``)."""

    def __init__(self, data_dir: DataDir) -> None:
        self.store = Store(data_dir.database)
        ca = CertificateAuthority.load_or_create(data_dir.ca)
        untrusted = CertificateAuthority.load_or_create(
            data_dir.untrusted_ca, "Mock Untrusted Root", "Mock Untrusted R12"
        )
        public = PublicEndpoints(self.store, ca, untrusted)
        self.url_map = Map(
            [
                Rule("/odoo-enterprise/iot/x509", endpoint=public.x509, methods=["POST"]),
                Rule("/publisher-warranty/", endpoint=public.publisher_warranty, methods=["POST"]),
                *AdminApi(self.store, ca).rules(),
            ]
        )

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        endpoint = None
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
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
