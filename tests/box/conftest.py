"""Fixtures for the box's tests."""

from __future__ import annotations

import pytest
import trustme


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    """A CA of the tests' own, standing in for odoo.com's where the mock is not needed."""
    return trustme.CA()
