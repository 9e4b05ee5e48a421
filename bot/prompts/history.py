"""/prompt history: a server's latest prompts with their themes, in one embed that fits Discord."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import discord

from bot.content.daily_prompts import DailyPromptTexts
from bot.content.places import PLACE_LIMITS, Place
from bot.ui import HEARTH_COLOUR

HISTORY_LENGTH = 30
# A line's prompt text is cut to this, so 30 lines with their dates and themes stay in one description.
LINE_TEXT_LIMIT = 80


@dataclass(frozen=True)
class HistoryEntry:
    """One past day: its date, its theme's name, the prompt's words ("" if gone) and if it was skipped."""

    local_date: date
    theme_name: str
    text: str
    skipped: bool


def shortened(text: str, limit: int = LINE_TEXT_LIMIT) -> str:
    """Return ``text`` on one line, cut at a word with "…" when longer than ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def history_line(texts: DailyPromptTexts, entry: HistoryEntry) -> str:
    """Render one day of the history."""
    words = (
        discord.utils.escape_markdown(shortened(entry.text)) if entry.text else texts("prompt.history_gone")
    )
    if entry.skipped:
        words = f"{words} {texts('prompt.history_skipped')}"
    day = entry.local_date
    return texts(
        "prompt.history_line",
        date=f"{day:%a} {day.day} {day:%b} {day.year}",
        theme=discord.utils.escape_markdown(entry.theme_name),
        text=words,
    )


def history_embed(
    texts: DailyPromptTexts, entries: Sequence[HistoryEntry], now_mention: str
) -> discord.Embed:
    """Render the history newest first; lines that would pass the description limit are left off."""
    if not entries:
        return discord.Embed(description=texts("prompt.history_empty", now=now_mention), colour=HEARTH_COLOUR)
    lines: list[str] = []
    length = 0
    for entry in entries:
        line = history_line(texts, entry)
        if length + len(line) + 1 > PLACE_LIMITS[Place.EMBED_DESCRIPTION]:
            break
        lines.append(line)
        length += len(line) + 1
    embed = discord.Embed(
        title=texts("prompt.history_title"), description="\n".join(lines), colour=HEARTH_COLOUR
    )
    embed.set_footer(text=texts("prompt.history_footer", count=len(lines)))
    return embed
