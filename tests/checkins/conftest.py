"""Fixtures for the check-in tests: the shipped check-in content."""

from __future__ import annotations

import pytest

from bot.content.checkins import CheckinContent, load_checkin_content
from bot.content.library import CONTENT_DIR


@pytest.fixture(scope="session")
def content() -> CheckinContent:
    """The check-in content as shipped in content/checkins.toml."""
    return load_checkin_content(CONTENT_DIR / "checkins.toml")
