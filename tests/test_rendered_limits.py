"""Rendered messages stay within Discord's limits at their largest, so nothing is cut or refused.

The replies are built from the real content with the longest choices a person can
make (every need, the longest labels, the longest allowed text). Cutting at 2,000
characters (replies.fit_message) is a last resort: it would drop the safety line.
"""

from __future__ import annotations

import itertools

import discord
import pytest

from bot.checkins.form import MAX_NEEDS
from bot.checkins.replies import saved_text, score_saved_text
from bot.checkins.summary import TOP_ITEMS, HistorySummary, Trend, summary_text
from bot.content.library import Content, load_content
from bot.privacy.render import erasure_summary
from bot.repair.statement import PART_LIMITS, Part, Statement
from bot.ui import EMBED_TOTAL_LIMIT, MESSAGE_LIMIT, embed_fits, message_fits
from cogs._repair_draft import statement_embed, statement_text

# A command mention as CommandDirectory renders it: </name:id> with a 19-digit id.
MENTION = "</resources:1234567890123456789>"
USER = "<@12345678901234567890>"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def longest_needs(content: Content) -> list[str]:
    """Return the ids of the needs whose suggestions make the longest reply."""
    needs = sorted(content.checkins.needs, key=lambda need: len(need.label) + len(need.suggestion))
    return [need.id for need in needs[-MAX_NEEDS:]]


@pytest.mark.parametrize(
    ("score", "in_guild", "danger"), itertools.product(range(1, 6), [True, False], [True, False])
)
def test_a_check_in_reply_fits_one_message_at_its_longest(
    content: Content, score: int, in_guild: bool, danger: bool
) -> None:
    """Every need chosen, the safety pointer for a worrying note: still one message, nothing cut."""
    # The pointer naming the country with the most to say is the longest it can be.
    pointers = [content.resources.safety.pointer(MENTION, country) for country in content.resources.countries]
    pointer = max(pointers, key=len) if danger else None
    for thanks in (True, False):
        reply = saved_text(
            score,
            longest_needs(content),
            content.checkins,
            resources=MENTION,
            in_guild=in_guild,
            thanks=thanks,
            note_pointer=pointer,
        )
        assert len(reply) <= MESSAGE_LIMIT, (score, in_guild, danger, len(reply))
    assert len(score_saved_text(score, content.checkins, resources=MENTION)) <= MESSAGE_LIMIT


def test_a_history_summary_fits_at_its_longest(content: Content) -> None:
    """The longest feeling and need labels, the biggest numbers."""
    feelings = sorted(content.checkins.feelings, key=lambda item: len(item.label))[-TOP_ITEMS:]
    needs = sorted(content.checkins.needs, key=lambda item: len(item.label))[-TOP_ITEMS:]
    for trend in Trend:
        summary = HistorySummary(
            count=99_999,
            average=4.99,
            trend=trend,
            top_feelings=tuple((item.id, 99_999) for item in feelings),
            top_needs=tuple((item.id, 99_999) for item in needs),
        )
        assert len(summary_text(summary, 365, content.checkins)) <= MESSAGE_LIMIT


def test_an_erasure_summary_fits_with_every_kind_of_record(content: Content) -> None:
    """Every labelled kind of record, each with a large count."""
    texts = content.privacy
    counts = dict.fromkeys(texts.labels, 1_000_000)
    assert len(erasure_summary(texts, counts)) <= MESSAGE_LIMIT


def test_a_repair_statement_fits_its_embed_at_the_longest_parts(content: Content) -> None:
    """Every part at its limit: the statement's embed fits, with room for the tips field."""
    statement = Statement(*("x" * PART_LIMITS[part] for part in Part))
    embed = statement_embed(content.repair, statement)
    assert embed_fits(embed)
    assert len(statement_text(content.repair, statement)) <= 4096
    tips = discord.Embed(description=embed.description)
    tips.add_field(name=content.repair.texts("preview.tips_title"), value="x" * 1024)
    assert embed_fits(tips)


def test_message_fits_checks_text_embeds_and_their_total() -> None:
    """The helper the tests use: 2,000 characters, 10 embeds, 6,000 characters over all embeds."""
    assert message_fits("x" * MESSAGE_LIMIT)
    assert not message_fits("x" * (MESSAGE_LIMIT + 1))
    assert not message_fits(None, [discord.Embed(description="x")] * 11)
    halves = [discord.Embed(description="x" * 3001), discord.Embed(description="x" * 3000)]
    assert sum(len(embed) for embed in halves) > EMBED_TOTAL_LIMIT
    assert all(embed_fits(embed) for embed in halves) and not message_fits(None, halves)


@pytest.mark.parametrize(
    "embed",
    [
        discord.Embed(title="x" * 257),
        discord.Embed(description="x" * 4097),
        discord.Embed().set_footer(text="x" * 2049),
        discord.Embed().set_author(name="x" * 257),
        discord.Embed().add_field(name="x" * 257, value="v"),
        discord.Embed().add_field(name="n", value="x" * 1025),
        discord.Embed().add_field(name="", value="v"),
        discord.Embed(description=USER).add_field(name="n", value=""),
    ],
)
def test_embed_fits_refuses_what_discord_refuses(embed: discord.Embed) -> None:
    """Each documented embed limit, and fields without a name or a value."""
    assert not embed_fits(embed)
