"""What every browser test module shares. Import the fixture into the module so pytest uses it there only
(a conftest fixture would start Chromium for every test run):

    from .browser_support import ARTIFACTS, close_connections_opened_under_playwright  # noqa: F401
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

# Screenshots land here (gitignored); CI keeps them as artifacts.
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-results"


@pytest.fixture(scope="session", autouse=True)
def close_connections_opened_under_playwright(browser):
    """Playwright's sync API marks an asyncio loop as running in the main thread, and from then on Django keeps
    the main thread's database connection per async context: a second connection, which the test database
    teardown (after Playwright stops) cannot see. Close it while Playwright still runs, or PostgreSQL refuses
    to drop the test database because of it."""
    yield
    connections.close_all()
