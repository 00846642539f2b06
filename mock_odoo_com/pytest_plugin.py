"""pytest plugin (entry point ``pytest11``): the ``mock_odoo_com`` fixture for any project that installs us.

``mock_odoo_com`` is one mock process per test session, reset before each test (fresh subscriptions, settings,
faults and log; the same CA). ``mock_odoo_com_session`` is that same process, not reset: for session-scoped
fixtures (e.g. a server pointed at it for the whole session). ``mock_odoo_com_factory`` starts mocks of a
test's own (other options, restarts), stopped after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mock_odoo_com.testing import MockOdooCom


@pytest.fixture(scope="session")
def mock_odoo_com_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockOdooCom]:
    """The session's mock process, as it is (not reset): ``.url`` and ``.ca_path`` for session fixtures."""
    mock = MockOdooCom(tmp_path_factory.mktemp("mock-odoo-com") / "data").start()
    try:
        yield mock
    finally:
        mock.stop()


@pytest.fixture
def mock_odoo_com(mock_odoo_com_session: MockOdooCom) -> MockOdooCom:
    """A running mock odoo.com with nothing registered: ``.url``, ``.ca_path``, ``.eligible_database()``..."""
    mock = mock_odoo_com_session
    if not mock.running:  # a test stopped it: start it again on the same data
        mock.start()
    mock.reset()
    return mock


@pytest.fixture
def mock_odoo_com_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., MockOdooCom]]:
    """``factory(**options)`` starts a mock of this test's own (options of ``MockOdooCom``)."""
    started: list[MockOdooCom] = []

    def factory(**options: Any) -> MockOdooCom:
        mock = MockOdooCom(tmp_path_factory.mktemp("mock-odoo-com") / "data", **options).start()
        started.append(mock)
        return mock

    try:
        yield factory
    finally:
        for mock in started:
            mock.stop()
