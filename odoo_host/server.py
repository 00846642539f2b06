"""``iot-server serve``: gunicorn with several worker processes (threads in each), or one threaded werkzeug
process with ``--workers 0``. Each process has its own connection pool and runs the due scheduled jobs."""

from __future__ import annotations

import signal
import socket
import sys
from typing import Any

from werkzeug.serving import make_server

from . import cron, db
from .http import Application
from .tools import config

THREADS = 8


def _ready(host: str, port: int) -> None:
    print(f"iot-server listening on http://{host}:{port}", flush=True)


class ListenError(RuntimeError):
    """The address cannot be listened on; the message says which and what to do."""


def _check_address(host: str, port: int) -> None:
    """Fail with a clear message before starting workers that would each fail on a taken port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
            probe.bind((host, port))
    except OSError as exc:
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --http-port "
                          "or stop what uses it") from None


def serve(registry: Any, host: str, port: int, workers: int) -> None:
    _check_address(host, port)
    registry.run_register_hooks()
    db.close_pools()  # the workers make their own connections: none cross a fork
    application = Application(registry)
    if workers <= 0:
        _serve_threaded(application, registry, host, port)
    else:
        _serve_gunicorn(application, registry, host, port, workers)


def _serve_threaded(application: Application, registry: Any, host: str, port: int) -> None:
    server = make_server(host, port, application, threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    cron.start_thread(registry, config["cron_interval"])
    _ready(host, port)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        db.close_pools()


def _serve_gunicorn(application: Application, registry: Any, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": THREADS,
                "keepalive": 5,
                "graceful_timeout": 10,
                "timeout": 120,
                "accesslog": None,
                "loglevel": "warning",
                "when_ready": lambda _arbiter: _ready(host, port),
                "post_worker_init": lambda _worker: cron.start_thread(registry, config["cron_interval"]),
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Application:
            return application

    Gunicorn().run()
