"""Discord messages as plain, indented text for the demo's terminal output."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

WIDTH = 92
INDENT = "      "
_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")
_TIMESTAMP = re.compile(r"<t:(\d+)(?::([a-zA-Z]))?>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_COMMAND = re.compile(r"</([^:>]+):\d+>")


class Names:
    """Turns ids in mentions back into the names people see in Discord."""

    def __init__(self, names: Mapping[int, str], now: Callable[[], datetime]) -> None:
        self._names = dict(names)
        self._now = now

    def add(self, object_id: int, name: str) -> None:
        """Remember what ``object_id`` is called."""
        self._names[object_id] = name

    def readable(self, text: str) -> str:
        """Return ``text`` with user, role, channel and command mentions shown as Discord shows them."""

        def mention(match: re.Match[str]) -> str:
            kind, object_id = match.group(1), int(match.group(2))
            name = self._names.get(object_id, str(object_id))
            return f"#{name}" if kind == "#" else f"@{name}"

        text = _MENTION.sub(mention, text)
        text = _COMMAND.sub(lambda m: f"/{m.group(1)}", text)
        text = _BOLD.sub(r"\1", text).replace("\n-# ", "\n")
        # Discord shows a timestamp in each reader's own timezone; the demo shows it in UTC.
        return _TIMESTAMP.sub(lambda m: self._moment(int(m.group(1)), m.group(2)), text)

    def _moment(self, seconds: int, style: str | None) -> str:
        """Return a Discord timestamp as a readable UTC time, or relative to the demo's clock."""
        moment = datetime.fromtimestamp(seconds, UTC)
        if style == "R":
            minutes = round((moment - self._now()).total_seconds() / 60)
            amount, unit = abs(minutes), "minute"
            if amount >= 48 * 60:
                amount, unit = round(amount / (24 * 60)), "day"
            elif amount >= 120:
                amount, unit = round(amount / 60), "hour"
            span = f"{amount} {unit}{'' if amount == 1 else 's'}"
            return f"in {span}" if minutes >= 0 else f"{span} ago"
        return moment.strftime("%a %d %b %Y, %H:%M UTC")


def _wrap(text: str, prefix: str = INDENT) -> list[str]:
    """Return ``text`` wrapped at the demo's width, each paragraph indented by ``prefix``."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if not paragraph.strip():
            lines.append("")
            continue
        lines.extend(
            textwrap.wrap(paragraph, WIDTH, initial_indent=prefix, subsequent_indent=prefix) or [prefix]
        )
    return lines


def _components(rows: Sequence[Mapping[str, Any]]) -> Iterable[str]:
    """Yield one line per row of buttons or menus."""
    for row in rows:
        parts = []
        for item in row.get("components", [row]):
            if item.get("type") == 2:
                parts.append(f"[{item.get('label') or item.get('emoji', {}).get('name', 'button')}]")
            elif item.get("type") in (3, 5, 6, 7, 8):
                parts.append(f"[menu: {item.get('placeholder') or 'choose'}]")
        if parts:
            yield INDENT + " ".join(parts)


def render_message(
    names: Names,
    *,
    content: str | None,
    embeds: Sequence[Mapping[str, Any]] = (),
    components: Sequence[Mapping[str, Any]] = (),
    files: Sequence[tuple[str, bytes]] = (),
) -> list[str]:
    """Return the lines a person reads in one message: text, embeds, buttons and files."""
    lines: list[str] = []
    if content:
        lines.extend(_wrap(names.readable(content)))
    for embed in embeds:
        if embed.get("title"):
            lines.extend(_wrap(f"▌ {names.readable(str(embed['title'])).upper()}"))
        if embed.get("description"):
            lines.extend(_wrap(names.readable(str(embed["description"])), INDENT + "▌ "))
        for embed_field in embed.get("fields", []):
            lines.extend(_wrap(f"{names.readable(str(embed_field.get('name', '')))}:", INDENT + "▌ "))
            lines.extend(_wrap(names.readable(str(embed_field.get("value", ""))), INDENT + "▌   "))
        footer = embed.get("footer", {}).get("text")
        if footer:
            lines.extend(_wrap(names.readable(str(footer)), INDENT + "▌ — "))
        if embed.get("image"):
            lines.append(INDENT + "▌ (a chart)")
    lines.extend(_components(components))
    for filename, data in files:
        lines.append(f"{INDENT}📎 {filename} ({len(data):,} bytes)")
        lines.extend(_describe_file(filename, data))
    return lines or [INDENT + "(nothing)"]


def _describe_file(filename: str, data: bytes) -> list[str]:
    """Return a summary of an attached export: which sections hold something."""
    if not filename.endswith(".json"):
        return []
    try:
        document = json.loads(data)
    except ValueError:
        return []
    sections = document.get("data", {}) if isinstance(document, dict) else {}
    held = [name for name, value in sections.items() if value]
    empty = [name for name, value in sections.items() if not value]
    lines = _wrap("holds: " + (", ".join(held) or "nothing"), INDENT + "   ")
    if empty:
        lines.extend(_wrap("empty: " + ", ".join(empty), INDENT + "   "))
    return lines


def milliseconds(seconds: float) -> str:
    """Return a reply time as people read it."""
    return f"{seconds * 1000:.0f} ms"
