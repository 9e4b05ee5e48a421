from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.settings import DISCORD_API_BASE, Settings, describe_validation_error


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_settings_defaults_are_sqlite_and_discord() -> None:
    """With nothing set, Hearth uses the embedded database and Discord's own API."""
    settings = make()
    assert settings.database_url == "sqlite:///data/hearth.db"
    assert settings.api_base == DISCORD_API_BASE
    assert settings.discord_gateway_url is None
    assert settings.schedule_grace == timedelta(hours=6)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("default_timezone", "Mars/Olympus", "DEFAULT_TIMEZONE"),
        ("database_url", "mysql://x", "DATABASE_URL"),
        ("scheduler_tick_seconds", 60, "SCHEDULER_TICK_SECONDS"),
        ("discord_api_base", "ftp://x", "DISCORD_API_BASE"),
        ("log_level", "LOUD", "LOG_LEVEL"),
    ],
)
def test_settings_bad_value_is_one_line_naming_the_setting(name: str, value: object, expected: str) -> None:
    """A bad value produces one line that names the setting."""
    with pytest.raises(ValidationError) as caught:
        make(**{name: value})
    line = describe_validation_error(caught.value)
    assert line.startswith(f"Invalid setting {expected}:")
    assert "\n" not in line


def test_settings_empty_values_fall_back_to_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blank lines copied from .env.example mean 'use the default'."""
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "")
    settings = make()
    assert settings.database_url == "sqlite:///data/hearth.db"
    assert settings.default_timezone == "UTC"


def test_settings_token_is_secret() -> None:
    """The token never shows up in a repr."""
    settings = make(discord_token="very-secret")
    assert "very-secret" not in repr(settings)
