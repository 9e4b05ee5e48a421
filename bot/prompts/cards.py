"""Rendering prompt cards, thread names and reveals (no sending here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import discord

from bot.command_sync import CommandDirectory
from bot.content.daily_prompts import DailyPromptTexts
from bot.content.prompts import Depth, Prompt, PromptLibrary, Theme
from bot.prompts.selection import CUSTOM_THEME_ID
from bot.ui import EMBED_TOTAL_LIMIT, HEARTH_COLOUR

MAX_EMBEDS_PER_MESSAGE = 10
THREAD_NAME_LIMIT = 100


@dataclass(frozen=True)
class RevealEntry:
    """One answer as it is shown in a reveal."""

    user_id: int
    text: str

    def __repr__(self) -> str:
        # Answer text is private until revealed and must never reach a log line.
        return f"RevealEntry(user_id={self.user_id})"


def theme_of(prompt: Prompt, library: PromptLibrary, texts: DailyPromptTexts) -> Theme:
    """Return the theme a card shows for ``prompt`` (suggested prompts without one get a server theme)."""
    theme = library.themes.get(prompt.theme)
    if theme is not None:
        return theme
    return Theme(CUSTOM_THEME_ID, texts("card.custom_theme_name"), texts("card.custom_theme_description"))


def build_prompt_card(
    prompt: Prompt, theme: Theme, texts: DailyPromptTexts, directory: CommandDirectory
) -> discord.Embed:
    """Return the embed of a daily prompt: theme, its description, the prompt and how to answer."""
    embed = discord.Embed(title=texts("card.title"), description=f"**{prompt.text}**", colour=HEARTH_COLOUR)
    embed.add_field(name=texts("card.theme_field", theme=theme.name), value=theme.description, inline=False)
    embed.add_field(
        name=texts("card.answer_field"),
        value=texts(
            "card.answer_hint",
            answer=directory.mention("prompt answer"),
            join=directory.mention("circle join"),
        ),
        inline=False,
    )
    embed.set_footer(text=texts("card.deep_footer" if prompt.depth is Depth.DEEP else "card.footer"))
    return embed


def ping_line(texts: DailyPromptTexts, role_id: int) -> str:
    """Return the message text that pings the configured role."""
    return texts("card.ping", role=f"<@&{role_id}>")


def thread_name(texts: DailyPromptTexts, local_date: date) -> str:
    """Return the name of the thread opened on the prompt of ``local_date``."""
    spelled = f"{local_date:%A} {local_date.day} {local_date:%B} {local_date.year}"
    return texts("card.thread_name", date=spelled)[:THREAD_NAME_LIMIT]


def answer_embed(entry: RevealEntry, texts: DailyPromptTexts) -> discord.Embed:
    """Return one revealed answer as an embed (mentions in embeds show names but never ping)."""
    author = texts("reveal.answer_author", name=f"<@{entry.user_id}>")
    return discord.Embed(description=f"{author}\n{entry.text}", colour=HEARTH_COLOUR)


def pack_embeds(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Split embeds into messages of at most 10 embeds and 6000 characters each, keeping their order."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        length = len(embed)
        if current and (len(current) == MAX_EMBEDS_PER_MESSAGE or size + length > EMBED_TOTAL_LIMIT):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += length
    if current:
        messages.append(current)
    return messages


def build_reveal(entries: Sequence[RevealEntry], texts: DailyPromptTexts) -> list[list[discord.Embed]]:
    """Return the reveal as messages of embeds: every answer, each attributed, in the order given."""
    return pack_embeds([answer_embed(entry, texts) for entry in entries])


def reveal_header(texts: DailyPromptTexts, *, late: bool) -> str:
    """Return the line above a reveal (or above an answer added to it later)."""
    return texts("reveal.added" if late else "reveal.header")
