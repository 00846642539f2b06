"""Test case classes for addons: ``TransactionCase`` (``self.env``, rolled back after each test) and
``HttpCase`` (a real HTTP server on a free port, serving inside the test's transaction)."""

from .common import HttpCase, TransactionCase, server_dsn, test_registry

__all__ = ["HttpCase", "TransactionCase", "server_dsn", "test_registry"]
