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
# The most of a prompt's words a line shows; with 30 lines each gets its share of the description.
LINE_TEXT_LIMIT = 100
MIN_LINE_TEXT = 24


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


def history_line(texts: DailyPromptTexts, entry: HistoryEntry, share: int = LINE_TEXT_LIMIT * 2) -> str:
    """Render one day of the history in about ``share`` characters, cutting the prompt's words to fit."""
    note = f" {texts('prompt.history_skipped')}" if entry.skipped else ""
    day = entry.local_date

    def line(words: str) -> str:
        return texts(
            "prompt.history_line",
            date=f"{day:%a} {day.day} {day:%b}",
            theme=discord.utils.escape_markdown(entry.theme_name),
            text=words + note,
        )

    if not entry.text:
        return line(texts("prompt.history_gone"))
    room = min(LINE_TEXT_LIMIT, max(MIN_LINE_TEXT, share - len(line(""))))
    # Escaping adds backslashes, so the words are cut first and escaped after.
    return line(discord.utils.escape_markdown(shortened(entry.text, room)))


def history_embed(
    texts: DailyPromptTexts, entries: Sequence[HistoryEntry], now_mention: str
) -> discord.Embed:
    """Render the history newest first; lines that would pass the description limit are left off."""
    if not entries:
        return discord.Embed(description=texts("prompt.history_empty", now=now_mention), colour=HEARTH_COLOUR)
    limit = PLACE_LIMITS[Place.EMBED_DESCRIPTION]
    share = limit // len(entries) - 1
    lines: list[str] = []
    length = 0
    for entry in entries:
        line = history_line(texts, entry, share)
        # Only theme names far longer than the library's could need this; the newest days stay.
        if length + len(line) + 1 > limit:
            break
        lines.append(line)
        length += len(line) + 1
    embed = discord.Embed(
        title=texts("prompt.history_title"), description="\n".join(lines), colour=HEARTH_COLOUR
    )
    embed.set_footer(text=texts("prompt.history_footer", count=len(lines)))
    return embed
