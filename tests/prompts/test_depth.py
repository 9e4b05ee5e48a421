"""The depth limit: selection never goes deeper than a server chose, daily or by /prompt now."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.clock import ManualClock
from bot.content.library import load_content
from bot.content.prompts import Audience, Depth, Prompt
from bot.db.database import Database
from bot.db.repos import prompt_config, prompt_posts
from bot.db.repos.prompt_config import PromptConfig
from bot.prompts.depth import change_depth, suitable_count
from bot.prompts.posting import post_now
from bot.prompts.selection import DepthLimit, PastPost, choose_prompt, custom_prompt, within
from bot.prompts.service import configure as configure_prompts
from tests.prompts.standin import ADMIN, CHANNEL, GUILD, START, StandInBot

LIBRARY = load_content().prompts
BY_ID = {prompt.id: prompt for prompt in LIBRARY.prompts}
ORDER = {Depth.LIGHT: 0, Depth.MEDIUM: 1, Depth.DEEP: 2}
LIMIT_ORDER = {DepthLimit.LIGHT: 0, DepthLimit.MEDIUM: 1, DepthLimit.ALL: 2}


@pytest.mark.parametrize(
    ("limit", "allowed"),
    [
        (DepthLimit.LIGHT, {Depth.LIGHT}),
        (DepthLimit.MEDIUM, {Depth.LIGHT, Depth.MEDIUM}),
        (DepthLimit.ALL, {Depth.LIGHT, Depth.MEDIUM, Depth.DEEP}),
    ],
)
def test_within_table(limit: DepthLimit, allowed: set[Depth]) -> None:
    """Each limit lets through exactly its depth and the lighter ones."""
    assert {depth for depth in Depth if within(limit, depth)} == allowed


def test_light_server_never_gets_medium_or_deep() -> None:
    """A small mixed deck: a light-only server cycles through its light prompts alone."""
    prompts = [
        Prompt("l1", "a", Audience.ANY, Depth.LIGHT, "l1?"),
        Prompt("l2", "b", Audience.ANY, Depth.LIGHT, "l2?"),
        Prompt("m1", "a", Audience.ANY, Depth.MEDIUM, "m1?"),
        Prompt("d1", "b", Audience.ANY, Depth.DEEP, "d1?"),
    ]
    history: list[PastPost] = []
    for day in range(8):
        picked = choose_prompt(prompts, Audience.ANY, history, random.Random(day), DepthLimit.LIGHT)
        assert picked is not None and picked.id in {"l1", "l2"}
        history.append(PastPost(picked.id, picked.theme))


def test_no_prompt_when_nothing_is_light_enough() -> None:
    """With only deep prompts, a light-only server gets None rather than a deeper one."""
    deep = [Prompt("d1", "a", Audience.ANY, Depth.DEEP, "d1?")]
    assert choose_prompt(deep, Audience.ANY, [], random.Random(0), DepthLimit.LIGHT) is None
    assert choose_prompt(deep, Audience.ANY, [], random.Random(0), DepthLimit.ALL) is not None


def test_default_is_all_depths() -> None:
    """Without a limit, deep prompts stay in the deck (the behaviour before depth existed)."""
    deep = [Prompt("d1", "a", Audience.ANY, Depth.DEEP, "d1?")]
    assert choose_prompt(deep, Audience.ANY, [], random.Random(0)) is not None


def test_approved_suggestions_count_as_medium() -> None:
    """A suggestion's depth is unknown: it is kept out of a light-only deck, kept in the others."""
    custom = custom_prompt(1, "What made you laugh this week?", None)
    assert not within(DepthLimit.LIGHT, custom.depth)
    assert within(DepthLimit.MEDIUM, custom.depth) and within(DepthLimit.ALL, custom.depth)


@given(
    st.sampled_from(list(Audience)),
    st.sampled_from(list(DepthLimit)),
    st.integers(min_value=0, max_value=2**32),
    st.integers(min_value=1, max_value=60),
)
@settings(max_examples=60, deadline=None)
def test_chosen_depth_is_never_exceeded(audience: Audience, limit: DepthLimit, seed: int, days: int) -> None:
    """On the real library, day after day, no prompt is deeper than the limit and each suits the audience."""
    rng = random.Random(seed)
    history: list[PastPost] = []
    for _ in range(days):
        picked = choose_prompt(LIBRARY.prompts, audience, history, rng, limit)
        assert picked is not None
        assert ORDER[picked.depth] <= LIMIT_ORDER[limit]
        assert picked.suits(audience)
        history.append(PastPost(picked.id, picked.theme))


@st.composite
def mixed_decks(draw: st.DrawFn) -> list[Prompt]:
    themes = draw(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=6, unique=True))
    prompts: list[Prompt] = []
    for theme in themes:
        for index in range(draw(st.integers(min_value=1, max_value=6))):
            depth = draw(st.sampled_from(list(Depth)))
            audience = draw(st.sampled_from(list(Audience)))
            prompts.append(Prompt(f"{theme}{index}", theme, audience, depth, f"{theme}{index}?"))
    return prompts


@given(mixed_decks(), st.sampled_from(list(Audience)), st.sampled_from(list(DepthLimit)), st.integers(0, 999))
@settings(max_examples=200, deadline=None)
def test_depth_limit_holds_on_any_deck(
    prompts: list[Prompt], audience: Audience, limit: DepthLimit, seed: int
) -> None:
    """On any deck, a pick is within the limit, and one is made whenever a suitable prompt exists."""
    eligible = [item for item in prompts if item.suits(audience) and within(limit, item.depth)]
    rng = random.Random(seed)
    history: list[PastPost] = []
    for _ in range(2 * len(prompts)):
        picked = choose_prompt(prompts, audience, history, rng, limit)
        if not eligible:
            assert picked is None
            return
        assert picked is not None and within(limit, picked.depth) and picked.suits(audience)
        history.append(PastPost(picked.id, picked.theme))


def test_suitable_count_grows_with_depth() -> None:
    """Every audience has more prompts the deeper it allows, and at least a month of light ones."""
    for audience in Audience:
        counts = [suitable_count(LIBRARY, audience, limit) for limit in DepthLimit]
        assert counts == sorted(counts) and counts[0] >= 30
        assert counts[-1] == len(LIBRARY.for_audience(audience))


@pytest.fixture
async def bot(db: Database) -> AsyncIterator[StandInBot]:
    yield StandInBot(db, load_content(), ManualClock(START))


async def configure(bot: StandInBot, audience: str = "family") -> PromptConfig:
    config = PromptConfig(
        guild_id=GUILD,
        channel_id=CHANNEL,
        local_time="09:00",
        timezone="Europe/London",
        ping_role_id=None,
        threads=False,
        audience=audience,
        paused=False,
        paused_reason=None,
        configured_by=ADMIN,
    )
    return await configure_prompts(bot.db, config, bot.clock.now())


async def test_depth_is_stored_and_kept_by_setup_prompts(bot: StandInBot) -> None:
    """New servers allow all depths; /setup depth changes it; re-saving the configuration keeps it."""
    config = await configure(bot)
    assert config.depth == "all"
    change = await change_depth(bot.db, bot.content.prompts, GUILD, DepthLimit.LIGHT, bot.clock.now())
    assert change is not None and change.config.depth == "light"
    assert change.suitable == suitable_count(bot.content.prompts, Audience.FAMILY, DepthLimit.LIGHT)
    again = await configure(bot)
    assert again.depth == "light"


async def test_change_depth_without_setup_changes_nothing(bot: StandInBot) -> None:
    """A server that never set up prompts gets None, and no row appears."""
    assert await change_depth(bot.db, bot.content.prompts, GUILD, DepthLimit.LIGHT, bot.clock.now()) is None
    assert await prompt_config.get(bot.db, GUILD) is None


async def test_prompt_now_honours_the_depth_for_a_fortnight(bot: StandInBot) -> None:
    """/prompt now on fourteen days in a row posts only light prompts in a light-only server."""
    await configure(bot, audience="couple")
    await change_depth(bot.db, bot.content.prompts, GUILD, DepthLimit.LIGHT, bot.clock.now())
    for _ in range(14):
        config = await prompt_config.get(bot.db, GUILD)
        assert config is not None
        manual = await post_now(bot, config)  # type: ignore[arg-type]
        assert manual.posted_now
        bot.clock.advance(timedelta(days=1))
    history = await prompt_posts.history(bot.db, GUILD)
    assert len(history) == 14
    assert {BY_ID[post.prompt_id].depth for post in history} == {Depth.LIGHT}
