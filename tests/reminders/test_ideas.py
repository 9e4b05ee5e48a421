"""Idea rotation: no idea comes back before every other one was sent, and never twice in a row."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reminders.ideas import idea_rng, pick_idea, remaining_ideas

IDEAS = tuple(f"idea-{n}" for n in range(8))


def run(ideas: tuple[str, ...], count: int, seed: int = 0) -> list[str]:
    """Send ``count`` nudges in a row and return the ideas chosen."""
    history: list[str] = []
    rng = random.Random(seed)
    for _ in range(count):
        history.append(pick_idea(ideas, history, rng))
    return history


def test_remaining_ideas_starts_a_new_pass_when_all_were_used() -> None:
    """Used ideas leave the deck until the whole deck was used; removed ideas don't count."""
    assert remaining_ideas(IDEAS, []) == list(IDEAS)
    assert remaining_ideas(IDEAS, ["idea-1", "gone", "idea-3"]) == [
        i for i in IDEAS if i not in {"idea-1", "idea-3"}
    ]
    assert remaining_ideas(IDEAS, list(IDEAS)) == list(IDEAS)
    assert remaining_ideas(IDEAS, [*IDEAS, "idea-5"]) == [i for i in IDEAS if i != "idea-5"]


def test_pick_idea_sends_every_idea_once_per_pass() -> None:
    """Each block of len(ideas) nudges is a permutation of all ideas."""
    history = run(IDEAS, len(IDEAS) * 5)
    for start in range(0, len(history), len(IDEAS)):
        assert sorted(history[start : start + len(IDEAS)]) == sorted(IDEAS)


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=2**32),
)
def test_pick_idea_never_repeats_back_to_back(size: int, count: int, seed: int) -> None:
    """Across pass boundaries too, the same idea never comes twice in a row (given two or more ideas)."""
    ideas = tuple(f"i{n}" for n in range(size))
    history = run(ideas, count, seed)
    if size > 1:
        assert all(a != b for a, b in itertools.pairwise(history))
    window = history[: min(size, count)]
    assert len(set(window)) == len(window)


def test_pick_idea_needs_ideas() -> None:
    """An empty idea list is a programming error, not a silent repeat."""
    with pytest.raises(ValueError, match="no appreciation ideas"):
        pick_idea((), [], random.Random(0))


def test_idea_rng_is_stable_per_occurrence() -> None:
    """A retried delivery of one occurrence picks the same idea; another occurrence may differ."""
    first = pick_idea(IDEAS, [], idea_rng(7, "s3-2026-11-27"))
    assert pick_idea(IDEAS, [], idea_rng(7, "s3-2026-11-27")) == first
    picks = {pick_idea(IDEAS, [], idea_rng(7, f"s3-2026-11-{day:02d}")) for day in range(1, 29)}
    assert len(picks) > 1
