"""Fixtures for the end-to-end tests: one live server and one Chromium per test module."""
from __future__ import annotations

import pytest

from ..support import LiveServer
from .browser_support import launch_browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One `facilitation serve` for a whole test module; each test makes its own workshops."""
    live = LiveServer(tmp_path_factory.mktemp("server"))
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser():
    """One Chromium for a module's browser tests (each test opens its own contexts)."""
    playwright, chromium = launch_browser()
    yield chromium
    chromium.close()
    playwright.stop()
