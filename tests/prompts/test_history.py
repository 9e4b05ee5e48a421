"""/prompt history's embed: newest first, every line readable, always inside Discord's limits."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.content.library import load_content
from bot.prompts.history import HISTORY_LENGTH, LINE_TEXT_LIMIT, HistoryEntry, history_embed, shortened
from bot.ui import embed_fits, message_fits

TEXTS = load_content().daily_prompts
START = date(2026, 11, 3)


def entry(offset: int, text: str, theme: str = "Empathy", skipped: bool = False) -> HistoryEntry:
    return HistoryEntry(START - timedelta(days=offset), theme, text, skipped)


def test_thirty_of_the_longest_prompts_fit_one_embed() -> None:
    """30 days of the library's longest prompt under its longest theme name, all skipped, still fit."""
    library = load_content().prompts
    longest = max((prompt.text for prompt in library.prompts), key=len)
    theme = max((theme.name for theme in library.themes.values()), key=len)
    entries = [entry(day, longest, theme=theme, skipped=True) for day in range(HISTORY_LENGTH)]
    embed = history_embed(TEXTS, entries, "</prompt now:1>")
    assert embed_fits(embed) and message_fits(None, [embed])
    assert embed.description is not None and len(embed.description.splitlines()) == HISTORY_LENGTH


def test_lines_say_the_day_theme_words_and_skips() -> None:
    """A line names its date and theme; a skipped day and a prompt no longer in the library say so."""
    embed = history_embed(
        TEXTS, [entry(0, "What made you *smile* today?", skipped=True), entry(1, "")], "</prompt now:1>"
    )
    first, second = (embed.description or "").splitlines()
    assert first.startswith("`Tue 3 Nov` **Empathy**")
    assert "\\*smile\\*" in first and first.endswith("(skipped)")
    assert "no longer in the library" in second
    assert embed.footer.text == "The last 2 prompts, newest first."


def test_an_empty_history_points_to_prompt_now() -> None:
    """No posts yet: one kind line pointing to /prompt now."""
    embed = history_embed(TEXTS, [], "</prompt now:1>")
    assert "</prompt now:1>" in (embed.description or "")


@given(st.text(min_size=0, max_size=600))
def test_shortened_keeps_one_line_within_the_limit(text: str) -> None:
    """Any text becomes one line of at most the limit, and short one-line texts are left alone."""
    short = shortened(text)
    assert "\n" not in short and len(short) <= LINE_TEXT_LIMIT
    flat = " ".join(text.split())
    if len(flat) <= LINE_TEXT_LIMIT:
        assert short == flat
    else:
        assert short.endswith("…")
