"""``iot-server serve``: gunicorn with several worker processes (threads in each), or one threaded werkzeug
process with ``--workers 0``. Each process has its own connection pool and runs the due scheduled jobs."""

from __future__ import annotations

import signal
import sys
from typing import Any

from werkzeug.serving import make_server

from . import cron, db
from .http import Application
from .tools import config

THREADS = 8


def _ready(host: str, port: int) -> None:
    print(f"iot-server listening on http://{host}:{port}", flush=True)


def serve(registry: Any, host: str, port: int, workers: int) -> None:
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
