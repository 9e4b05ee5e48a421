"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.crypto import decode_key
from bot.db.database import dialect_of
from bot.privacy.retention import RETENTION_CHOICES
from bot.schedule.shards import ShardScope

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"


class Settings(BaseSettings):
    """Every setting Hearth reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    discord_token: SecretStr | None = None
    database_url: str = "sqlite:///data/hearth.db"
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    default_timezone: str = "UTC"
    schedule_grace_hours: float = Field(default=6.0, ge=0, le=48)
    scheduler_tick_seconds: float = Field(default=15.0, gt=0, le=15)
    disable_scheduler: bool = False
    repair_follow_up_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    # The token's total across every process (each paces its shards' share, see bot/pacing.py). With the
    # pacer's headroom of 2 per token, no second holds more than 49 even at 47.
    scheduled_send_rate: float = Field(default=46.0, gt=0, le=47)
    log_level: str = "INFO"
    log_format: str = "text"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
    hearth_data_key: SecretStr | None = None
    hearth_data_key_file: str | None = None
    support_url: str | None = None
    privacy_policy_url: str | None = None
    guild_purge_days: int = Field(default=30, ge=1, le=365)
    default_retention_days: int = 365
    shard_count: int | None = Field(default=None, ge=1, le=4096)
    shard_ids: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        # A value of only spaces is as good as none, for every setting, from the environment or .env.
        if isinstance(data, dict):
            return {
                key: value
                for key, value in data.items()
                if not (isinstance(value, str) and not value.strip())
            }
        return data

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        dialect_of(value)
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown IANA timezone {value!r} (try Europe/London or America/New_York)"
            ) from None
        return value

    @field_validator("support_url", "privacy_policy_url")
    @classmethod
    def _check_public_link(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value.startswith(("https://", "http://", "mailto:")):
            raise ValueError("must be an https:// link (or a mailto: address) that people can open")
        return value

    @field_validator("discord_api_base", "discord_gateway_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://", "ws://", "wss://")):
            raise ValueError("must be an http(s):// or ws(s):// URL")
        return value

    @field_validator("hearth_data_key")
    @classmethod
    def _check_data_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        decode_key(value.get_secret_value())
        return value

    @field_validator("default_retention_days")
    @classmethod
    def _check_retention(cls, value: int) -> int:
        if value not in RETENTION_CHOICES:
            raise ValueError("must be 0 (keep until deleted), 30, 90 or 365")
        return value

    @field_validator("shard_ids")
    @classmethod
    def _check_shard_ids(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parse_shard_ids(value)
        return value

    @model_validator(mode="after")
    def _check_shards(self) -> Settings:
        if self.shard_ids is not None and self.shard_count is None:
            raise ValueError("SHARD_IDS needs SHARD_COUNT (the total number of shards)")
        scope = self.shard_scope
        if scope is not None and len(scope.ids) < scope.count and dialect_of(self.database_url) == "sqlite":
            raise ValueError(
                "SHARD_IDS leaves shards to other processes, which need a database they can share:"
                " set DATABASE_URL=postgresql://…"
            )
        if self.several_processes and self.hearth_data_key_file is None and self.hearth_data_key is None:
            raise ValueError(
                "SHARD_IDS leaves shards to other processes, and every process must encrypt with the same"
                " key: set HEARTH_DATA_KEY (from `hearth keygen`), or HEARTH_DATA_KEY_FILE to a key file"
                " each process can read"
            )
        return self

    @property
    def several_processes(self) -> bool:
        """Return whether other processes run some of the shards on the same database."""
        scope = self.shard_scope
        return scope is not None and len(scope.ids) < scope.count

    def _shard_id_list(self) -> list[int]:
        if self.shard_count is None:
            return []
        if self.shard_ids is None:
            return list(range(self.shard_count))
        return parse_shard_ids(self.shard_ids)

    @property
    def shard_scope(self) -> ShardScope | None:
        """Return the shards this process runs, or None when it runs unsharded."""
        if self.shard_count is None:
            return None
        return ShardScope(self.shard_count, frozenset(self._shard_id_list()))

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        form = value.strip().lower()
        if form not in {"text", "json"}:
            raise ValueError("must be text or json")
        return form

    @property
    def api_base(self) -> str:
        """Return the REST base URL the bot talks to."""
        return self.discord_api_base or DISCORD_API_BASE

    @property
    def schedule_grace(self) -> timedelta:
        """Return how late a missed scheduled item may still be delivered."""
        return timedelta(hours=self.schedule_grace_hours)


def parse_shard_ids(text: str) -> list[int]:
    """Parse SHARD_IDS such as ``0,1`` or ``2-3`` into shard numbers."""
    ids: list[int] = []
    for part in (piece.strip() for piece in text.split(",")):
        first, dash, last = part.partition("-")
        if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
            raise ValueError(f"{part!r} is not a shard number or range (e.g. 0,1 or 0-3)")
        start, end = int(first), int(last) if dash else int(first)
        if end < start:
            raise ValueError(f"{part!r} is an empty range")
        ids.extend(range(start, end + 1))
    if len(set(ids)) != len(ids):
        raise ValueError("a shard is listed twice")
    return ids


def describe_validation_error(error: ValidationError) -> str:
    """Return one line naming the first bad setting and what is wrong with it."""
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    if not first["loc"]:
        return f"Invalid settings: {message}"
    return f"Invalid setting {str(first['loc'][0]).upper()}: {message}"
