"""The privacy settings: data key, purge grace and default retention."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.crypto import generate_key
from bot.settings import Settings, describe_validation_error


def test_privacy_settings_defaults() -> None:
    """No key, a 30-day purge grace, and a year of retention by default."""
    settings = Settings(_env_file=None)
    assert settings.hearth_data_key is None
    assert settings.guild_purge_days == 30
    assert settings.default_retention_days == 365


def test_data_key_is_secret_and_blank_means_none() -> None:
    """A valid key is kept secret; a blank one means no key."""
    key = generate_key()
    settings = Settings(_env_file=None, hearth_data_key=key)
    assert settings.hearth_data_key is not None
    assert key not in repr(settings)
    assert Settings(_env_file=None, hearth_data_key=" ").hearth_data_key is None


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "hearth_data_key",
            "abc",
            "Invalid setting HEARTH_DATA_KEY: must be urlsafe base64 of 32 random bytes",
        ),
        (
            "default_retention_days",
            7,
            "Invalid setting DEFAULT_RETENTION_DAYS: must be 0 (keep until deleted)",
        ),
        ("guild_purge_days", 0, "Invalid setting GUILD_PURGE_DAYS:"),
    ],
)
def test_bad_privacy_settings_name_themselves(name: str, value: object, expected: str) -> None:
    """Each bad value is one line naming the setting."""
    values: dict[str, Any] = {name: value}
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, **values)
    line = describe_validation_error(caught.value)
    assert line.startswith(expected)
    assert "\n" not in line
