"""Choosing a server's next prompt: no repeat before the deck is used up, no theme twice running."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.content.prompts import Audience, Depth, Prompt

# The theme of approved suggestions that came without one.
CUSTOM_THEME_ID = "from-your-server"
# Approved suggestions enter the deck as prompts with this id prefix and the suggestion's id.
CUSTOM_PREFIX = "custom-"


class DepthLimit(StrEnum):
    """How deep a server lets its daily prompts go (``/setup depth``)."""

    LIGHT = "light"
    MEDIUM = "medium"
    ALL = "all"


# The depths each limit lets through: a limit never lets a deeper prompt in.
_ALLOWED: dict[DepthLimit, frozenset[Depth]] = {
    DepthLimit.LIGHT: frozenset({Depth.LIGHT}),
    DepthLimit.MEDIUM: frozenset({Depth.LIGHT, Depth.MEDIUM}),
    DepthLimit.ALL: frozenset(Depth),
}


def within(limit: DepthLimit, depth: Depth) -> bool:
    """Return whether a prompt of ``depth`` may be posted in a server whose limit is ``limit``."""
    return depth in _ALLOWED[limit]


@dataclass(frozen=True)
class PastPost:
    """What a server was shown on one day: the prompt and its theme."""

    prompt_id: str
    theme: str


def remaining_deck(eligible: Sequence[Prompt], history: Iterable[PastPost]) -> list[Prompt]:
    """Return the eligible prompts not yet used in the current pass through the deck.

    A pass ends when every eligible prompt has been shown; the next pass
    starts with the whole deck again. Prompts in the history that are no
    longer eligible (audience changed, prompt removed) do not count.
    """
    eligible_ids = {prompt.id for prompt in eligible}
    used: set[str] = set()
    for post in history:
        if post.prompt_id in eligible_ids:
            used.add(post.prompt_id)
            if used == eligible_ids:
                used = set()
    return [prompt for prompt in eligible if prompt.id not in used]


def can_finish(counts: Counter[str], last_theme: str | None) -> bool:
    """Return whether prompts with these theme counts can follow ``last_theme`` with no theme twice running.

    Such an order exists exactly when no theme fills more than every other
    slot, and the last theme (which cannot go first) has at most half.
    """
    total = sum(counts.values())
    if total == 0:
        return True
    if max(counts.values()) > (total + 1) // 2:
        return False
    return last_theme is None or 2 * counts.get(last_theme, 0) <= total


def choose_prompt(
    candidates: Sequence[Prompt],
    audience: Audience,
    history: Sequence[PastPost],
    rng: random.Random,
    depth_limit: DepthLimit = DepthLimit.ALL,
) -> Prompt | None:
    """Return the next prompt for a server of ``audience``, or None if no prompt suits it.

    Only prompts within ``depth_limit`` are eligible, so the deck of a
    "light only" server is its light prompts, used up before any repeats.

    ``history`` is oldest first. The theme is chosen so that the rest of the
    deck can still be shown without the same theme two days running; only
    when the unused prompts all share yesterday's theme does a theme repeat,
    because showing a prompt twice within a pass is the worse surprise.
    """
    eligible = [
        prompt for prompt in candidates if prompt.suits(audience) and within(depth_limit, prompt.depth)
    ]
    if not eligible:
        return None
    deck = remaining_deck(eligible, history)
    last_theme = history[-1].theme if history else None
    counts = Counter(prompt.theme for prompt in deck)
    themes = sorted(theme for theme in counts if theme != last_theme)
    safe = [theme for theme in themes if can_finish(counts - Counter({theme: 1}), theme)]
    pool = safe or themes
    if pool:
        # Weighted by how many unused prompts a theme has, so big themes don't pile up at the end.
        theme = rng.choices(pool, weights=[counts[theme] for theme in pool])[0]
        options = [prompt for prompt in deck if prompt.theme == theme]
    else:
        options = deck
    return rng.choice(options)


def selection_rng(guild_id: int, local_date_iso: str) -> random.Random:
    """Return a random source fixed by server and date, so a retried post picks the same prompt."""
    # Not for security: it only shuffles which conversation prompt comes next.
    return random.Random(f"{guild_id}:{local_date_iso}")  # noqa: S311


def custom_prompt(suggestion_id: int, text: str, theme: str | None) -> Prompt:
    """Return an approved suggestion as a prompt of its server's deck (it suits any audience there).

    Its depth is unknown, so it counts as medium: a "light only" server does not get it.
    """
    return Prompt(
        id=f"{CUSTOM_PREFIX}{suggestion_id}",
        theme=theme or CUSTOM_THEME_ID,
        audience=Audience.ANY,
        depth=Depth.MEDIUM,
        text=text,
    )
