"""Reading TOML content files with errors that name the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from bot.content.errors import ContentError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning a syntax error into a ContentError naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError([f"{path.name}: file is missing"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError([f"{path.name}: {error}"]) from None


def require_str(table: dict[str, Any], key: str, where: str, problems: list[str], *, max_len: int) -> str:
    """Return ``table[key]`` as a non-empty string of at most ``max_len``, noting any problem."""
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' must be a non-empty string")
        return ""
    if len(value) > max_len:
        problems.append(f"{where}: '{key}' is {len(value)} characters (at most {max_len})")
    return value.strip()
