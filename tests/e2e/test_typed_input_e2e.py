"""Times and timezones as people type them ("7:30 pm", "9am", "London"), through real discord.py.

The options stay strings on Discord; the bot's transformers read them before the command runs. A value
that can't be read gets a private reply ending "Nothing was changed." and nothing is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.clock import ManualClock
from bot.db.repos import prompt_config, reminders, schedules
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Channel, User
from tests.e2e.conftest import BotRunner, StandardWorld

MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


async def reply_of(handle: InteractionHandle) -> str:
    """Return the private reply to an interaction (initial or, after a defer, its followup)."""
    response = await handle.response()
    assert response.ephemeral, response
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        assert followup.flags & 64
        return (followup.content or "") + (str(followup.embeds) if followup.embeds else "")
    return (response.content or "") + (str(response.embeds) if response.embeds else "")


async def command(driver: Driver, where: Channel, user: User, name: str, /, **options: Any) -> str:
    """Run a slash command with options and return its private reply."""
    return await reply_of(await driver.invoke_slash(where, user, name, options))


async def test_setup_prompts_reads_7_30_pm_and_london(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/setup prompts with "7:30 pm" and "London" stores 19:30 in Europe/London and says so."""
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(MORNING))
    reply = await command(
        driver,
        world.general,
        world.admin,
        "setup prompts",
        channel=world.general,
        time="7:30 pm",
        timezone="London",
    )
    assert "19:30 (Europe/London)" in reply
    config = await prompt_config.get(bot.db, world.guild.id)
    assert config is not None and (config.local_time, config.timezone) == ("19:30", "Europe/London")


async def test_timezone_autocomplete_shows_the_city_match_first(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Typing a city, in any case and with or without accents, offers its zone first."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    cases: list[tuple[str, str, str, dict[str, Any]]] = [
        ("London", "Europe/London", "setup prompts", {"channel": world.general, "time": "09:00"}),
        ("zurich", "Europe/Zurich", "checkin schedule", {"time": "09:00"}),
        (
            "São Paulo",
            "America/Sao_Paulo",
            "remind appreciation",
            {"who": world.alice, "every": "daily", "time": "09:00"},
        ),
    ]
    for typed, zone, name, options in cases:
        handle = await driver.invoke_autocomplete(
            world.general, world.admin, name, {**options, "timezone": typed}, focused="timezone"
        )
        await handle.response()
        assert handle.choices is not None and handle.choices[0]["value"] == zone, (typed, handle.choices)
        assert len(handle.choices) <= 25


async def test_checkin_schedule_and_reminder_read_typed_times_and_cities(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/checkin schedule with "7:30 pm" and "london", /remind appreciation with "9am" and "New York"."""
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(MORNING))
    checkin = await command(
        driver, world.general, world.alice, "checkin schedule", time="7:30 pm", timezone="london"
    )
    assert "19:30 (Europe/London)" in checkin
    schedule = await schedules.get_by_owner_key(bot.db, f"dm_checkin:user:{world.alice.id}")
    assert schedule is not None and schedule.timezone == "Europe/London"

    await command(
        driver,
        world.general,
        world.alice,
        "remind appreciation",
        who=world.admin,
        every="daily",
        time="9am",
        timezone="New York",
    )
    [reminder] = await reminders.for_user(bot.db, world.alice.id)
    rule = await schedules.get_by_owner_key(bot.db, f"appreciation:{reminder.id}")
    assert rule is not None and rule.timezone == "America/New_York"
    assert rule.recurrence is not None and rule.recurrence.local_time.hour == 9


async def test_unreadable_values_change_nothing(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A bare "7" or an unknown city gets a kind private error ending "Nothing was changed."."""
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(MORNING))
    cases: list[tuple[User, str, dict[str, Any], str]] = [
        (
            world.admin,
            "setup prompts",
            {"channel": world.general, "time": "7", "timezone": "London"},
            "7:30 pm",
        ),
        (
            world.admin,
            "setup prompts",
            {"channel": world.general, "time": "9am", "timezone": "Narnia"},
            "Narnia",
        ),
        (world.alice, "checkin schedule", {"time": "13pm", "timezone": "London"}, "from 1 to 12"),
        (world.alice, "checkin schedule", {"time": "9am", "timezone": "Atlantis"}, "Atlantis"),
        (
            world.alice,
            "remind appreciation",
            {"who": world.admin, "every": "daily", "time": "25:00", "timezone": "London"},
            "hours go from 00 to 23",
        ),
    ]
    for user, name, options, expected in cases:
        reply = await command(driver, world.general, user, name, **options)
        assert expected in reply and reply.rstrip().endswith("Nothing was changed."), (name, options, reply)
    assert await prompt_config.get(bot.db, world.guild.id) is None
    assert await schedules.get_by_owner_key(bot.db, f"dm_checkin:user:{world.alice.id}") is None
    assert await reminders.for_user(bot.db, world.alice.id) == []
    assert driver.dms_to(world.alice) == []
