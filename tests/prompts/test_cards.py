"""Prompt cards, thread names and reveals fit Discord and show what they should."""

from datetime import date

import discord
import pytest

from bot.command_sync import CommandDirectory
from bot.content.library import Content, load_content
from bot.content.prompts import Audience, Depth, Prompt
from bot.prompts.answering import ANSWER_MAX_LENGTH
from bot.prompts.cards import (
    RevealEntry,
    build_prompt_card,
    build_reveal,
    pack_embeds,
    ping_line,
    theme_of,
    thread_name,
)
from bot.ui import embed_fits


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def test_cards_every_prompt_fits(content: Content) -> None:
    """Every library prompt renders to an embed within Discord's limits, with theme and how to answer."""
    directory = CommandDirectory({"prompt": 123, "circle": 456})
    for prompt in content.prompts.prompts:
        theme = theme_of(prompt, content.prompts, content.daily_prompts)
        embed = build_prompt_card(prompt, theme, content.daily_prompts, directory)
        assert embed_fits(embed), prompt.id
        assert prompt.text in (embed.description or "")
        assert embed.fields[0].value == theme.description
        assert theme.name in (embed.fields[0].name or "")
        assert "</prompt answer:123>" in (embed.fields[1].value or "")


def test_cards_deep_prompts_get_the_care_footer(content: Content) -> None:
    """Deep prompts carry the "only if it feels right" footer; lighter ones don't."""
    directory = CommandDirectory()
    deep = Prompt("x", "empathy", Audience.ANY, Depth.DEEP, "What hurts?")
    light = Prompt("y", "empathy", Audience.ANY, Depth.LIGHT, "What helps?")
    theme = theme_of(deep, content.prompts, content.daily_prompts)
    deep_footer = build_prompt_card(deep, theme, content.daily_prompts, directory).footer.text
    light_footer = build_prompt_card(light, theme, content.daily_prompts, directory).footer.text
    assert deep_footer == content.daily_prompts("card.deep_footer")
    assert light_footer != deep_footer


def test_cards_custom_theme_fallback(content: Content) -> None:
    """A suggested prompt without a known theme shows the server theme."""
    prompt = Prompt("custom-1", "from-your-server", Audience.ANY, Depth.MEDIUM, "What?")
    theme = theme_of(prompt, content.prompts, content.daily_prompts)
    assert theme.name == content.daily_prompts("card.custom_theme_name")


def test_thread_name_names_the_date(content: Content) -> None:
    """The thread is named after the local date, within Discord's 100 characters."""
    name = thread_name(content.daily_prompts, date(2026, 11, 27))
    assert "Friday 27 November 2026" in name
    assert len(name) <= 100


def test_ping_line_mentions_the_role(content: Content) -> None:
    """The ping line mentions exactly the configured role."""
    assert "<@&42>" in ping_line(content.daily_prompts, 42)


def test_reveal_packs_long_answers_within_limits(content: Content) -> None:
    """Many maximal answers split into messages of at most 10 embeds and 6000 characters."""
    entries = [RevealEntry(user_id, "x" * ANSWER_MAX_LENGTH) for user_id in range(1, 13)]
    messages = build_reveal(entries, content.daily_prompts)
    embeds = [embed for message in messages for embed in message]
    assert len(embeds) == 12
    for message in messages:
        assert len(message) <= 10
        assert sum(len(embed) for embed in message) <= 6000
        assert all(embed_fits(embed) for embed in message)
    assert "<@1>" in (embeds[0].description or "")


def test_pack_embeds_caps_count() -> None:
    """Small embeds still split at ten per message."""
    messages = pack_embeds([discord.Embed(description="hi") for _ in range(23)])
    assert [len(message) for message in messages] == [10, 10, 3]


def test_reveal_entry_repr_hides_text() -> None:
    """Answer text never shows up in a repr (and so in a log line)."""
    assert "secret" not in repr(RevealEntry(1, "secret"))
