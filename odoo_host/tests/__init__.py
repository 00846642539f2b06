"""Test case classes for addons, as Odoo 17's ``odoo.tests``: ``TransactionCase`` (``self.env``, rolled back after
each test), ``HttpCase`` (a real HTTP server on a free port, serving inside the test's transaction), ``BaseCase``
and ``tagged``."""

from .common import BaseCase, HttpCase, TransactionCase, server_dsn, tagged, test_registry

__all__ = ["BaseCase", "HttpCase", "TransactionCase", "server_dsn", "tagged", "test_registry"]
