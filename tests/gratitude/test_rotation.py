"""The appreciation rotation: a derangement in which everyone is someone's, reproducible per week."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.gratitude.rotation import draw_rotation, is_derangement, repeats, rotation_rng

members_strategy = st.sets(st.integers(min_value=1, max_value=2**63 - 1), min_size=2, max_size=40)
seeds = st.integers(min_value=0, max_value=2**32)


@given(members_strategy, seeds)
def test_draw_is_a_derangement(members: set[int], seed: int) -> None:
    """Every member gives to one other member and is given to by exactly one; nobody draws themselves."""
    assignment = draw_rotation(members, random.Random(seed))
    assert is_derangement(members, assignment)
    assert all(giver != receiver for giver, receiver in assignment.items())
    assert sorted(assignment.values()) == sorted(members)


@given(members_strategy, seeds)
def test_draw_is_one_cycle(members: set[int], seed: int) -> None:
    """Following who draws whom visits everyone before coming back: with 3+ people, no pair is mutual."""
    assignment = draw_rotation(members, random.Random(seed))
    start = next(iter(members))
    seen = [start]
    current = assignment[start]
    while current != start:
        seen.append(current)
        current = assignment[current]
    assert sorted(seen) == sorted(members)
    if len(members) >= 3:
        assert all(assignment[assignment[giver]] != giver for giver in members)


@given(st.lists(st.integers(min_value=1, max_value=1000), max_size=1), seeds)
def test_draw_needs_two_people(members: list[int], seed: int) -> None:
    """With nobody or one person there is no one to draw: the draw is empty."""
    assert draw_rotation(members, random.Random(seed)) == {}


def test_draw_ignores_duplicates_and_order() -> None:
    """The draw depends on who is in the circle, not on the order or repeats of the list."""
    first = draw_rotation([3, 1, 2, 2], random.Random(5))
    second = draw_rotation([1, 2, 3], random.Random(5))
    assert first == second and is_derangement({1, 2, 3}, first)


@given(members_strategy, st.integers(min_value=1, max_value=10**12), st.dates())
def test_draw_is_reproducible_per_week(members: set[int], guild_id: int, week: date) -> None:
    """The same server and week always draw the same way (a re-run never redraws differently)."""
    first = draw_rotation(members, rotation_rng(guild_id, week))
    again = draw_rotation(sorted(members, reverse=True), rotation_rng(guild_id, week))
    assert first == again


@given(st.sets(st.integers(min_value=1, max_value=10**6), min_size=3, max_size=25), seeds, seeds)
def test_draw_avoids_last_weeks_pairs(members: set[int], seed: int, last_seed: int) -> None:
    """With three or more people, nobody gets the same person two weeks running."""
    previous = draw_rotation(members, random.Random(last_seed))
    assignment = draw_rotation(members, random.Random(seed), previous=previous)
    assert is_derangement(members, assignment)
    assert repeats(assignment, previous) == 0


def test_draw_with_two_people_repeats_when_it_must() -> None:
    """Two people can only draw each other, week after week."""
    previous = {1: 2, 2: 1}
    assert draw_rotation([1, 2], random.Random(1), previous=previous) == previous


def test_rotation_rng_differs_between_weeks_and_servers() -> None:
    """Different weeks (and servers) draw differently over a run of weeks."""
    members = list(range(1, 9))
    week = date(2026, 11, 30)
    draws = {str(draw_rotation(members, rotation_rng(1, week + timedelta(weeks=n)))) for n in range(10)}
    assert len(draws) > 1
    assert draw_rotation(members, rotation_rng(1, week)) != draw_rotation(members, rotation_rng(2, week))


def test_is_derangement_rejects_bad_assignments() -> None:
    """Someone drawing themselves, someone left out, or someone drawn twice is not a valid draw."""
    assert not is_derangement({1, 2}, {1: 1, 2: 2})
    assert not is_derangement({1, 2, 3}, {1: 2, 2: 1})
    assert not is_derangement({1, 2, 3}, {1: 2, 2: 3, 3: 2})
    assert is_derangement({1, 2, 3}, {1: 2, 2: 3, 3: 1})
