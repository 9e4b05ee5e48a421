"""/remind list fits Discord's embed limits even with 25 long lines."""

from __future__ import annotations

from bot.ui import EMBED_TOTAL_LIMIT, embed_fits
from cogs.reminders import list_embeds


def test_list_embeds_split_long_lists_within_limits() -> None:
    """25 lines of 200 characters go into several embeds, each within limits, all lines kept in order."""
    lines = [f"**#{n}** " + "x" * 190 for n in range(25)]
    embeds = list_embeds("Your appreciation reminders", [*lines, "", "hint"])
    assert len(embeds) == 2
    assert embeds[0].title == "Your appreciation reminders" and embeds[1].title is None
    assert all(embed_fits(embed) for embed in embeds)
    assert sum(len(embed) for embed in embeds) <= EMBED_TOTAL_LIMIT
    joined = "\n".join(embed.description or "" for embed in embeds)
    assert joined == "\n".join([*lines, "", "hint"])


def test_list_embeds_short_list_is_one_embed() -> None:
    """A short list stays in one embed."""
    [embed] = list_embeds("Title", ["one", "two"])
    assert embed.description == "one\ntwo"
