"""Choosing the next prompt: audience, no repeat before the deck is used up, no theme twice running."""

import itertools
import random
from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.content.library import load_content
from bot.content.prompts import Audience, Depth, Prompt
from bot.prompts.selection import (
    CUSTOM_THEME_ID,
    PastPost,
    can_finish,
    choose_prompt,
    custom_prompt,
    remaining_deck,
    selection_rng,
)


def prompt(prompt_id: str, theme: str, audience: Audience = Audience.ANY) -> Prompt:
    return Prompt(prompt_id, theme, audience, Depth.LIGHT, f"text of {prompt_id}?")


def run_days(prompts: list[Prompt], audience: Audience, days: int, seed: int = 0) -> list[Prompt]:
    history: list[PastPost] = []
    chosen: list[Prompt] = []
    rng = random.Random(seed)
    for _ in range(days):
        picked = choose_prompt(prompts, audience, history, rng)
        assert picked is not None
        chosen.append(picked)
        history.append(PastPost(picked.id, picked.theme))
    return chosen


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], {"a1", "a2", "b1"}),
        (["a1"], {"a2", "b1"}),
        (["a1", "b1"], {"a2"}),
        # The deck was used up, so a new pass starts with everything.
        (["a1", "b1", "a2"], {"a1", "a2", "b1"}),
        (["a1", "b1", "a2", "b1"], {"a1", "a2"}),
        # Prompts no longer eligible don't count.
        (["gone", "a1"], {"a2", "b1"}),
    ],
)
def test_remaining_deck_table(history: list[str], expected: set[str]) -> None:
    """The remaining deck is what the current pass has not shown yet."""
    deck = [prompt("a1", "a"), prompt("a2", "a"), prompt("b1", "b")]
    past = [PastPost(prompt_id, prompt_id[0]) for prompt_id in history]
    assert {item.id for item in remaining_deck(deck, past)} == expected


@pytest.mark.parametrize(
    ("counts", "last", "expected"),
    [
        ({}, None, True),
        ({"a": 1}, "a", False),
        ({"a": 1}, "b", True),
        ({"a": 2, "b": 1}, None, True),
        ({"a": 2, "b": 1}, "a", False),
        ({"a": 3, "b": 1}, None, False),
        ({"a": 2, "b": 2}, "a", True),
    ],
)
def test_can_finish_table(counts: dict[str, int], last: str | None, expected: bool) -> None:
    """The feasibility rule answers the small cases correctly."""
    assert can_finish(Counter(counts), last) is expected


def brute_force(counts: Counter[str], last: str | None) -> bool:
    items = list(counts.elements())
    for order in set(itertools.permutations(items)):
        sequence = [last, *order] if last else list(order)
        if all(x != y for x, y in itertools.pairwise(sequence)):
            return True
    return not items


@given(
    st.dictionaries(st.sampled_from("abc"), st.integers(min_value=1, max_value=3), max_size=3),
    st.sampled_from([None, "a", "b", "d"]),
)
@settings(max_examples=150, deadline=None)
def test_can_finish_matches_brute_force(counts: dict[str, int], last: str | None) -> None:
    """can_finish agrees with trying every order."""
    assert can_finish(Counter(counts), last) is brute_force(Counter(counts), last)


def test_choose_prompt_only_matching_audience() -> None:
    """A couple server gets couple and any prompts, never friends or family ones."""
    prompts = [
        prompt("c1", "a", Audience.COUPLE),
        prompt("f1", "b", Audience.FRIENDS),
        prompt("y1", "c", Audience.FAMILY),
        prompt("any1", "d"),
    ]
    chosen = {item.id for item in run_days(prompts, Audience.COUPLE, 10)}
    assert chosen == {"c1", "any1"}


def test_choose_prompt_any_server_gets_only_any_prompts() -> None:
    """A mixed server sees only prompts written for everyone."""
    prompts = [prompt("c1", "a", Audience.COUPLE), prompt("any1", "b"), prompt("any2", "c")]
    assert {item.id for item in run_days(prompts, Audience.ANY, 6)} == {"any1", "any2"}


def test_choose_prompt_none_when_nothing_suits() -> None:
    """No eligible prompt gives None rather than a wrong one."""
    assert choose_prompt([prompt("c1", "a", Audience.COUPLE)], Audience.FAMILY, [], random.Random(0)) is None


def test_choose_prompt_avoids_yesterdays_theme() -> None:
    """With other themes left, yesterday's theme is never chosen."""
    prompts = [prompt("a1", "a"), prompt("a2", "a"), prompt("b1", "b")]
    for seed in range(20):
        picked = choose_prompt(prompts, Audience.ANY, [PastPost("a1", "a")], random.Random(seed))
        assert picked is not None and picked.id == "b1"


def test_choose_prompt_keeps_a_balanced_order_possible() -> None:
    """It picks the dominant theme when leaving it for later would force a repeat."""
    prompts = [prompt("a1", "a"), prompt("a2", "a"), prompt("b1", "b")]
    for seed in range(20):
        assert [item.theme for item in run_days(prompts, Audience.ANY, 3, seed)] == ["a", "b", "a"]


def test_choose_prompt_real_library_30_days_no_repeat() -> None:
    """Every audience runs 30 days on the real library without a repeat or a theme twice running."""
    library = load_content().prompts
    for audience in Audience:
        chosen = run_days(list(library.prompts), audience, 30, seed=7)
        assert len({item.id for item in chosen}) == 30
        assert all(item.suits(audience) for item in chosen)
        assert all(x.theme != y.theme for x, y in itertools.pairwise(chosen))


@st.composite
def libraries(draw: st.DrawFn) -> list[Prompt]:
    themes = draw(st.lists(st.sampled_from("abcdef"), min_size=2, max_size=6, unique=True))
    prompts: list[Prompt] = []
    for theme in themes:
        for index in range(draw(st.integers(min_value=1, max_value=5))):
            audience = draw(st.sampled_from(list(Audience)))
            prompts.append(prompt(f"{theme}{index}", theme, audience))
    return prompts


@given(libraries(), st.sampled_from(list(Audience)), st.integers(min_value=0, max_value=2**32))
@settings(max_examples=200, deadline=None)
def test_choose_prompt_properties(prompts: list[Prompt], audience: Audience, seed: int) -> None:
    """Each pass shows every eligible prompt once, all of the audience, never one theme twice running."""
    eligible = [item for item in prompts if item.suits(audience)]
    counts = Counter(item.theme for item in eligible)
    # With one theme holding more than half the deck, no order can avoid a repeat: not a valid library.
    assume(eligible and 2 * max(counts.values()) <= len(eligible))
    passes = 3
    chosen = run_days(prompts, audience, passes * len(eligible), seed)
    assert all(item.suits(audience) for item in chosen)
    for start in range(0, len(chosen), len(eligible)):
        window = chosen[start : start + len(eligible)]
        assert sorted(item.id for item in window) == sorted(item.id for item in eligible)
    assert all(x.theme != y.theme for x, y in itertools.pairwise(chosen))


def test_custom_prompt_joins_any_deck() -> None:
    """An approved suggestion suits every audience and gets a server theme when it had none."""
    custom = custom_prompt(7, "What made you smile?", None)
    assert custom.id == "custom-7" and custom.theme == CUSTOM_THEME_ID
    assert all(custom.suits(audience) for audience in Audience)
    assert custom_prompt(8, "x?", "empathy").theme == "empathy"


def test_selection_rng_is_stable_per_server_and_day() -> None:
    """A retried post on the same day picks the same prompt."""
    assert selection_rng(1, "2026-11-27").random() == selection_rng(1, "2026-11-27").random()
    assert selection_rng(1, "2026-11-27").random() != selection_rng(1, "2026-11-28").random()


def test_choose_prompt_real_library_two_full_passes() -> None:
    """On the real library each audience goes through its whole deck twice with no early repeat."""
    library = load_content().prompts
    for audience in Audience:
        eligible = library.for_audience(audience)
        chosen = run_days(list(library.prompts), audience, 2 * len(eligible), seed=3)
        for start in (0, len(eligible)):
            window = chosen[start : start + len(eligible)]
            assert len({item.id for item in window}) == len(eligible)
        assert all(x.theme != y.theme for x, y in itertools.pairwise(chosen))
