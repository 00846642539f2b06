"""gunicorn, embedded: several worker processes (threaded, keep-alive capable) serve the mock's WSGI app."""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker


class GunicornServer(BaseApplication):
    """Runs ``app`` under gunicorn with ``options`` (gunicorn setting names), no config file or argv."""

    def __init__(self, app: Callable, options: dict[str, Any]) -> None:
        self._app, self._options = app, options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)

    def load(self) -> Callable:
        return self._app


def options(
    bind: list[str],
    workers: int,
    threads: int,
    data_dir: str,
    tls: tuple[str, str] | None,
    when_ready: Callable,
    on_exit: Callable,
) -> dict[str, Any]:
    """The gunicorn settings of the mock."""
    settings = {
        "bind": bind,
        "workers": workers,
        "worker_class": SpreadingWorker,
        "reuse_port": True,  # the workers' own sockets join the port
        "threads": threads,
        "keepalive": 75,  # idle keep-alive connections wait in the worker's poller, not in a thread
        "timeout": 120,
        "graceful_timeout": 5,
        "preload_app": True,  # the CA is loaded once, before the workers fork
        "accesslog": None,  # an access log would show enterprise codes in admin paths
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "mock-odoo-com",
        "worker_tmp_dir": data_dir,
        "control_socket_disable": True,  # gunicorn's control socket would live outside the data dir
        "when_ready": when_ready,
        "on_exit": on_exit,
    }
    if tls is not None:
        settings["certfile"], settings["keyfile"] = tls
        settings["ssl_context"] = reused_ssl_context()
    return settings


def reused_ssl_context() -> Callable[[Any, Callable[[], ssl.SSLContext]], ssl.SSLContext]:
    """gunicorn's ``ssl_context`` hook, keeping the first TLS context a worker builds for all its connections.

    gunicorn asks for a context at every new connection and by default builds it anew, reading the certificate
    and the key and loading the system's CA store each time: a third of what a box's first request cost the mock.
    Each worker process fills its own copy of the hook's cache, after the fork."""
    built: list[ssl.SSLContext] = []

    def ssl_context(_config: Any, build: Callable[[], ssl.SSLContext]) -> ssl.SSLContext:
        if not built:
            built.append(build())  # two threads racing here build two; both then use the first
        return built[0]

    return ssl_context


class SpreadingWorker(ThreadWorker):
    """gunicorn's threaded worker, listening on a socket of its own (``SO_REUSEPORT``) so that the kernel spreads
    new connections evenly over the workers.

    On the one socket gunicorn's workers share, the worker that wakes first takes a whole burst of connections:
    16 keep-alive clients connecting at once could all land on one worker, which then did all the work on one core
    while the other worker idled, halving the throughput at random. Once its own socket listens, the worker takes
    what waits on the shared one and shuts it down: a listening socket left open would keep a share of the new
    connections that no worker accepts any more."""

    def run(self) -> None:
        shared = self.sockets
        # Made as gunicorn makes the shared one (same options: SO_REUSEPORT, as reuse_port is set, TCP_NODELAY).
        self.sockets = [type(listener)(listener.getsockname(), self.cfg, self.log) for listener in shared]
        for listener in shared:
            try:
                while select.select([listener], [], [], 0)[0]:  # a connection waits there: this worker serves it
                    self.accept(listener)
                listener.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # another worker shut it down already
        super().run()

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive:  # stopping: refuse new connections now, not after the grace period
            for sock in self.sockets:
                sock.close()
