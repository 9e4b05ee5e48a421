"""Interaction flows the fake must model, driven through a bare discord.py bot with test-only commands."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.fake_discord import FakeDiscord, P
from bot.fake_discord.driver import CommandNotAvailableError, Driver
from bot.fake_discord.world import FLAG_EPHEMERAL, FLAG_LOADING
from tests.e2e.clients import guilds_only, running_client
from tests.e2e.conftest import StandardWorld

pytestmark = pytest.mark.e2e

TOPICS = ["gratitude", "growth", "grief", "repair", "rest"]


class AskModal(discord.ui.Modal, title="How are you today?"):
    """A modal with a classic row input and a Label-wrapped input."""

    feeling: discord.ui.TextInput[AskModal] = discord.ui.TextInput(
        label="Feeling", custom_id="feeling", max_length=100
    )
    note: discord.ui.Label[AskModal] = discord.ui.Label(
        text="Anything else?", component=discord.ui.TextInput(custom_id="note", required=False)
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        note = self.note.component
        assert isinstance(note, discord.ui.TextInput)
        await interaction.response.send_message(f"got {self.feeling.value}/{note.value}", ephemeral=True)


class Panel(discord.ui.View):
    """Buttons and a select with fixed custom ids."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Ping", custom_id="panel:ping")
    async def ping(self, interaction: discord.Interaction, button: discord.ui.Button[Panel]) -> None:
        await interaction.response.edit_message(content="pinged", view=self)

    @discord.ui.button(label="Later", custom_id="panel:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button[Panel]) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="edited later")

    @discord.ui.button(label="Ask", custom_id="panel:ask")
    async def ask(self, interaction: discord.Interaction, button: discord.ui.Button[Panel]) -> None:
        await interaction.response.send_modal(AskModal())

    @discord.ui.select(
        custom_id="panel:mood",
        options=[
            discord.SelectOption(label="ok", value="ok"),
            discord.SelectOption(label="meh", value="meh"),
        ],
    )
    async def mood(self, interaction: discord.Interaction, select: discord.ui.Select[Panel]) -> None:
        await interaction.response.send_message(f"mood {select.values[0]}", ephemeral=True)


def build_bot() -> commands.Bot:
    bot = commands.Bot(
        command_prefix="!",
        intents=guilds_only(),
        allowed_mentions=discord.AllowedMentions.none(),
        help_command=None,
    )
    tree = bot.tree

    @tree.command(name="slow", description="Defer, then follow up twice")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("done", ephemeral=True)
        await interaction.followup.send(
            "second", ephemeral=True, file=discord.File(io.BytesIO(b"csv"), "x.csv")
        )

    @tree.command(name="ask", description="Open a modal")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AskModal())

    @tree.command(name="panel", description="Post buttons and a select")
    async def panel(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("panel", view=Panel())

    @tree.command(name="pick", description="Autocomplete a topic")
    async def pick(interaction: discord.Interaction, topic: str) -> None:
        await interaction.response.send_message(topic, ephemeral=True)

    @pick.autocomplete("topic")
    async def pick_topic(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if t.startswith(current)]

    @tree.command(name="greet", description="Greet a member")
    async def greet(
        interaction: discord.Interaction, member: discord.Member, times: app_commands.Range[int, 1, 5] = 1
    ) -> None:
        await interaction.response.send_message(
            f"hi {member.mention} x{times}", allowed_mentions=discord.AllowedMentions(users=[member])
        )

    admin = app_commands.Group(
        name="admin", description="Admin tools", default_permissions=discord.Permissions(manage_guild=True)
    )
    config = app_commands.Group(name="config", description="Configuration", parent=admin)

    @config.command(name="set", description="Pick a channel and role")
    async def config_set(
        interaction: discord.Interaction, channel: discord.TextChannel, role: discord.Role
    ) -> None:
        await interaction.response.send_message(f"{channel.name}/{role.name}", ephemeral=True)

    tree.add_command(admin)

    @tree.context_menu(name="Appreciate")
    async def appreciate(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(f"thanks {member.display_name}", ephemeral=True)

    @tree.context_menu(name="Quote")
    async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"> {message.content}", ephemeral=True)

    @tree.command(name="thread", description="Start a thread and react")
    async def thread(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("starting")
        message = await interaction.original_response()
        started = await message.create_thread(name="talk")
        await started.send("in thread")
        await message.add_reaction("\N{THUMBS UP SIGN}")

    @tree.command(name="upload", description="Answer with a file")
    async def upload(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("file", file=discord.File(io.BytesIO(b"data"), "a.txt"))

    @tree.command(name="late", description="Answer after the deadline")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(3.2)
        await interaction.response.send_message("too late")

    return bot


@pytest.fixture
async def flows_bot(fake_discord: FakeDiscord, standard_world: StandardWorld) -> AsyncIterator[commands.Bot]:
    async with running_client(fake_discord, build_bot()) as client:
        assert isinstance(client, commands.Bot)
        yield client


async def test_defer_then_first_followup_fills_the_loading_message(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld
) -> None:
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "slow")
    response = await handle.response()
    assert response.type == 5 and response.ephemeral
    followups = await handle.wait_for_followups(2)
    assert [f.content for f in followups] == ["done", "second"]
    first, second = handle.followup_messages()
    original = handle.original_message()
    assert original is not None and first.id == original.id
    assert first.flags & FLAG_EPHEMERAL and not first.flags & FLAG_LOADING
    assert second.id != first.id and second.ephemeral
    assert [f.filename for f in followups[1].files] == ["x.csv"]
    assert second.attachments[0].data == b"csv"
    handle.expire_token()
    url = f"{driver.server.api_base}/webhooks/{driver.world.application.id}/{handle.token}"
    async with aiohttp.ClientSession() as session, session.post(url, json={"content": "late"}) as answer:
        assert (answer.status, (await answer.json())["code"]) == (401, 50027)


async def test_modal_round_trip(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld
) -> None:
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "ask")
    response = await handle.response()
    assert response.type == 9
    assert handle.modal is not None and handle.modal["title"] == "How are you today?"
    with pytest.raises(AssertionError, match="'feeling' is required"):
        await driver.submit_modal(handle, {"note": "x"})
    submitted = await driver.submit_modal(handle, {"feeling": "calm", "note": "thanks"})
    answer = await submitted.response()
    assert (answer.type, answer.content, answer.ephemeral) == (4, "got calm/thanks", True)


async def test_buttons_update_defer_and_select(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld
) -> None:
    posted = await driver.invoke_slash(standard_world.general, standard_world.alice, "panel")
    assert (await posted.response()).type == 4
    panel = posted.original_message()
    assert panel is not None and not panel.ephemeral
    assert panel.custom_ids() == ["panel:ping", "panel:later", "panel:ask", "panel:mood"]

    click = await driver.click_button(panel, "panel:ping", user=standard_world.bob)
    assert (await click.response()).type == 7
    assert panel.content == "pinged"

    later = await driver.click_button(panel, "panel:later", user=standard_world.bob)
    assert (await later.response()).type == 6
    await later.wait_for_edits(1)
    assert panel.content == "edited later"

    ask = await driver.click_button(panel, "panel:ask", user=standard_world.bob)
    assert (await ask.response()).type == 9
    submitted = await driver.submit_modal(ask, {"feeling": "ok"})
    assert (await submitted.response()).content == "got ok/"
    assert submitted.payload["message"]["id"] == str(panel.id)

    chosen = await driver.select(panel, "panel:mood", ["meh"], user=standard_world.alice)
    assert (await chosen.response()).content == "mood meh"
    with pytest.raises(AssertionError, match="not an option"):
        await driver.select(panel, "panel:mood", ["great"], user=standard_world.alice)


async def test_autocomplete_choices(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld
) -> None:
    handle = await driver.invoke_autocomplete(
        standard_world.general, standard_world.alice, "pick", {"topic": "gr"}, focused="topic"
    )
    response = await handle.response()
    assert response.type == 8
    assert handle.choices == [{"name": t, "value": t} for t in ("gratitude", "growth", "grief")]


async def test_typed_options_resolved_members_and_allowed_pings(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld
) -> None:
    alice = standard_world.alice
    handle = await driver.invoke_slash(
        standard_world.general, alice, "greet", {"member": standard_world.bob, "times": 3}
    )
    assert (await handle.response()).content == f"hi <@{standard_world.bob.id}> x3"
    message = handle.original_message()
    assert message is not None and message.mentions == [standard_world.bob.id]
    with pytest.raises(ValueError, match="max_value"):
        await driver.invoke_slash(standard_world.general, alice, "greet", {"member": alice, "times": 9})
    with pytest.raises(ValueError, match="required option 'member'"):
        await driver.invoke_slash(standard_world.general, alice, "greet")


async def test_subcommand_groups_and_default_permissions(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld
) -> None:
    options = {"channel": standard_world.checkins, "role": standard_world.admin_role}
    handle = await driver.invoke_slash(
        standard_world.general, standard_world.admin, "admin config set", options
    )
    assert (await handle.response()).content == "checkins/Admins"
    data = handle.payload["data"]
    assert data["options"][0]["name"] == "config" and data["options"][0]["type"] == 2
    assert str(standard_world.checkins.id) in data["resolved"]["channels"]
    assert int(handle.payload["member"]["permissions"]) & P.MANAGE_GUILD
    with pytest.raises(CommandNotAvailableError, match="default_member_permissions"):
        await driver.invoke_slash(standard_world.general, standard_world.alice, "admin config set", options)


async def test_context_menus(flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld) -> None:
    user_menu = await driver.invoke_user_context_menu(
        standard_world.general, standard_world.alice, "Appreciate", standard_world.bob
    )
    assert (await user_menu.response()).content == "thanks Bob"
    said = await driver.send_as_user(standard_world.general, standard_world.bob, "we did it")
    message_menu = await driver.invoke_message_context_menu(
        standard_world.general, standard_world.alice, "Quote", said
    )
    assert (await message_menu.response()).content == "> we did it"


async def test_threads_reactions_and_files(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld
) -> None:
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "thread")
    await handle.response()
    for _ in range(100):
        message = handle.original_message()
        if message is not None and message.reactions:
            break
        await asyncio.sleep(0.02)
    assert message is not None
    [thread] = driver.threads_in(standard_world.general)
    assert thread.name == "talk" and thread.id == message.id
    assert [m.content for m in driver.messages_in(thread)] == ["in thread"]
    assert driver.reactions_on(message) == {"\N{THUMBS UP SIGN}": [driver.bot_user.id]}

    upload = await driver.invoke_slash(standard_world.general, standard_world.alice, "upload")
    response = await upload.response()
    assert [f.filename for f in response.files] == ["a.txt"]
    original = upload.original_message()
    assert original is not None and original.attachments[0].data == b"data"


async def test_an_answer_after_three_seconds_is_refused(
    flows_bot: commands.Bot, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "late")
    handle.expect_no_response()
    with pytest.raises(AssertionError, match=r"no initial response within 3\.0 s"):
        await handle.response()
    for _ in range(100):
        if handle.attempts:
            break
        await asyncio.sleep(0.02)
    assert [(a.status, a.error_code) for a in handle.attempts] == [(404, 10062)]
    assert len(fake_discord.late_callbacks) == 1
    fake_discord.late_callbacks.clear()  # seen; the fixture would otherwise fail the test
