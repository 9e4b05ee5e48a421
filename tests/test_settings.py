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
        ("shard_count", 0, "SHARD_COUNT"),
        ("shard_ids", "0,x", "SHARD_IDS"),
        ("shard_ids", "3-1", "SHARD_IDS"),
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


def test_postgresql_urls_are_accepted() -> None:
    """postgresql:// (and the short postgres://) select the shared backend."""
    assert make(database_url="postgresql://hearth@db/hearth").database_url.startswith("postgresql://")
    assert make(database_url="postgres://hearth:pw@db:5432/hearth").database_url.startswith("postgres")


def test_shard_settings_make_a_scope() -> None:
    """SHARD_COUNT alone runs every shard; SHARD_IDS picks some, as numbers or ranges."""
    assert make().shard_scope is None
    everything = make(shard_count=3).shard_scope
    assert everything is not None and everything.ids == {0, 1, 2}
    some = make(
        shard_count=8, shard_ids="0, 2-3", database_url="postgresql://h@db/h", hearth_data_key_file="/k"
    ).shard_scope
    assert some is not None and (some.count, set(some.ids)) == (8, {0, 2, 3})


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"shard_ids": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"shard_count": 2, "shard_ids": "2", "database_url": "postgresql://h@db/h"}, "between 0 and 1"),
        ({"shard_count": 2, "shard_ids": "0,0", "database_url": "postgresql://h@db/h"}, "listed twice"),
        ({"shard_count": 2, "shard_ids": "1"}, "DATABASE_URL=postgresql"),
        ({"shard_count": 2, "shard_ids": "1", "database_url": "postgresql://h@db/h"}, "same key"),
    ],
)
def test_inconsistent_shard_settings_are_refused_in_one_line(values: dict[str, object], message: str) -> None:
    """Shards another process must run need a shared database; ids must fit the count."""
    with pytest.raises(ValidationError) as caught:
        make(**values)
    line = describe_validation_error(caught.value)
    assert message in line
    assert "\n" not in line


def test_values_of_only_spaces_count_as_missing() -> None:
    """A setting of spaces is no setting: the token is missing and the defaults apply."""
    settings = make(discord_token="   ", database_url="  ", default_timezone="\t", hearth_data_key=" ")
    assert settings.discord_token is None
    assert settings.database_url == "sqlite:///data/hearth.db"
    assert settings.default_timezone == "UTC"
    assert settings.hearth_data_key is None
