"""gunicorn, embedded: several worker processes (threaded, keep-alive capable) serve the mock's WSGI app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


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
    bind: str,
    workers: int,
    threads: int,
    data_dir: str,
    tls: tuple[str, str] | None,
    when_ready: Callable,
    on_exit: Callable,
) -> dict[str, Any]:
    """The gunicorn settings of the mock."""
    settings = {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
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
    return settings
