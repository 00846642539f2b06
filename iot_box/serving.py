"""The box's HTTP and HTTPS listeners, with a certificate that can be replaced while the box runs.

The TLS handshake happens on each connection's own thread with the context current at that moment, so a
new certificate is served to the next connection at once, connections in flight keep theirs, and a client
that never finishes its handshake blocks nobody.
"""

from __future__ import annotations

import socket
import ssl
import threading

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from iot_box import certs
from iot_box.installer import InstalledPair

HANDSHAKE_TIMEOUT = 10.0
IDLE_TIMEOUT = 60.0


class ServedCertificate:
    """The SSLContext handed to new HTTPS connections, and what it holds."""

    def __init__(self) -> None:
        self.context: ssl.SSLContext | None = None
        self.info: certs.CertInfo | None = None

    def use(self, pair: InstalledPair, info: certs.CertInfo | None = None) -> None:
        """Serve this pair from the next connection on (OSError when it cannot be loaded). ``info``: the
        certificate's description when the caller has it already, else it is read from the pair's PEM."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(pair.cert_path, pair.key_path)
        info = info or certs.read_info(pair.cert_pem)
        # One assignment each; a connection that reads both in between gets the new context: harmless.
        self.context, self.info = context, info


class _Handler(WSGIRequestHandler):
    timeout = IDLE_TIMEOUT  # a client that stops sending frees its thread after a while

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # quiet: the box logs what it does, not every page view


class HttpsServer(ThreadedWSGIServer):
    def __init__(self, host: str, port: int, app, served: ServedCertificate) -> None:
        super().__init__(host, port, app, handler=_Handler)
        self.served = served
        # werkzeug only asks whether this is None (for wsgi.url_scheme and to log TLS errors quietly).
        self.ssl_context = served  # type: ignore[assignment]

    def finish_request(self, request: socket.socket, client_address) -> None:
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            tls = self.served.context.wrap_socket(request, server_side=True)
        except OSError:  # ssl.SSLError included
            request.close()
            return  # a failed handshake is the client's business (e.g. it does not trust the placeholder)
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()


def start(server: ThreadedWSGIServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                              name=f"serve-{server.port}")
    thread.start()
    return thread


def http_server(host: str, port: int, app) -> ThreadedWSGIServer:
    return ThreadedWSGIServer(host, port, app, handler=_Handler)
