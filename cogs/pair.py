"""/pair: Hearth for two to six people in their own DM or group DM, and their daily prompt by DM."""

from __future__ import annotations

import hashlib
import logging
from datetime import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import EVERYWHERE, PERSONAL_INSTALLS
from bot.delivery import SEND_FAILURES, DmUndeliverableError, OptIn, dm_error, send_dm, send_opt_in_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.pairs import daily, service
from bot.pairs.service import InviteRefusal, LeaveResult, Pair, PairState, PairStatus, Pick
from bot.replies import send_private
from bot.schedule.errors import PermanentDeliveryError
from bot.schedule.kinds import OwnerKey
from bot.schedule.occurrences import Occurrence
from bot.schedule.recurrence import Recurrence
from bot.transformers import LocalTime, Timezone
from cogs._pair_ui import (
    NO_MENTIONS,
    PAIR_BUTTONS,
    answer_view,
    invite_card,
    join_view,
    prompt_embed,
    reveal_messages,
    texts_of,
    when,
)

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

PairTime = app_commands.Transform[time, LocalTime(lambda content: content.pairs, "input.bad_time")]
PairZone = app_commands.Transform[str, Timezone(lambda content: content.pairs, "input.bad_timezone")]
PAIR_OPTION = "Which pair, if you're in more than one (type to search)"


def dm_nonce(occurrence_key: str, user_id: int) -> str:
    """Return the nonce of one member's DM of one occurrence (at most 25 characters, as Discord allows)."""
    return hashlib.blake2b(f"{occurrence_key}:{user_id}".encode(), digest_size=12).hexdigest()


class Pairs(commands.Cog):
    """Forming pairs by invitation, their settings, and their daily prompt."""

    pair = app_commands.Group(
        name="pair",
        description="Hearth for two (or a few), in your own DM: a daily prompt for you both",
        allowed_installs=PERSONAL_INSTALLS,
        allowed_contexts=EVERYWHERE,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take the pair buttons and the daily deliveries (not bound to any server's shard)."""
        self.bot.add_dynamic_items(*PAIR_BUTTONS)
        self.bot.schedule_routes.register(service.KIND, self.deliver)

    async def cog_unload(self) -> None:
        """Hand the buttons back."""
        self.bot.remove_dynamic_items(*PAIR_BUTTONS)

    # --- the daily prompt --------------------------------------------------------------------------

    async def deliver(self, occurrence: Occurrence) -> None:
        """DM the day's prompt to each member who hasn't answered it; refused DMs pause only that person."""
        pair_id = OwnerKey.parse(occurrence.schedule.owner_key).id
        pair = None if pair_id is None else await service.get_pair(self.bot.db, pair_id)
        if pair is None or pair.status is not PairStatus.ACTIVE:
            raise PermanentDeliveryError("pair schedule without an active pair")
        now = self.bot.clock.now()
        day = await daily.day_for(self.bot.db, self.bot.content.prompts, pair, occurrence.local_date, now)
        prompt = None if day is None else daily.prompt_of(self.bot.content.prompts, day)
        if day is None or prompt is None:
            log.warning("Pair %s: no prompt suits it today", pair.id)
            return
        done = await daily.answered_ids(self.bot.db, self.bot.cipher, day.id)
        failure: Exception | None = None
        for member in pair.member_ids:
            if member in done:
                continue
            try:
                await send_dm(
                    self.bot,
                    self.bot.db,
                    member,
                    now,
                    embed=prompt_embed(self.bot, prompt, len(pair.members)),
                    view=answer_view(self.bot, day.id),
                    nonce=dm_nonce(occurrence.key, member),
                )
            except DmUndeliverableError:
                log.info("Pair %s: one member's DMs are refused; /pair today has the prompt", pair.id)
            except SEND_FAILURES as error:
                failure = error
        if failure is not None:
            # A retry sends the same DMs with the same nonces, so the members already reached get no second.
            raise dm_error(failure) from failure

    # --- helpers ------------------------------------------------------------------------------------

    async def _pick(self, interaction: discord.Interaction[HearthBot], chosen: str | None) -> Pair:
        """Return the pair a command means, or raise the kind reason there is none."""
        texts = texts_of(self.bot)
        pair_id = None
        if chosen is not None:
            pair_id = int(chosen) if chosen.strip().isdigit() else -1
        picked = await service.pick(
            self.bot.db, interaction.user.id, chosen=pair_id, channel_id=interaction.channel_id
        )
        if picked is Pick.NONE:
            raise NotFoundError(texts("show.none", invite=self.bot.command_directory.mention("pair invite")))
        if picked is Pick.CHOOSE:
            count = len(await service.pairs_of(self.bot.db, interaction.user.id))
            raise InvalidInputError(texts("show.choose", count=count))
        if picked is Pick.NOT_MEMBER:
            raise InvalidInputError(texts("show.not_member"))
        return picked

    async def _state(self, interaction: discord.Interaction[HearthBot], chosen: str | None) -> PairState:
        return await service.state_of(self.bot.db, await self._pick(interaction, chosen))

    async def pair_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the person's pairs, named by the others in them."""
        texts = texts_of(self.bot)
        choices = []
        for pair in await service.pairs_of(self.bot.db, interaction.user.id):
            names = ", ".join(m.display_name for m in pair.members if m.user_id != interaction.user.id) or "-"
            label = texts("show.choice", names=names)[:100]
            if current.lower() in label.lower():
                choices.append(app_commands.Choice(name=label, value=str(pair.id)))
        return choices[:25]

    # --- commands -----------------------------------------------------------------------------------

    @pair.command(name="invite", description="Invite the people in this DM to a daily prompt together")
    @app_commands.describe(
        time="Local time of day for the prompt, e.g. 20:00 or 8 pm (default 20:00)",
        timezone="Your timezone: type a city (e.g. London) to search",
    )
    async def invite(
        self,
        interaction: discord.Interaction[HearthBot],
        time: PairTime | None = None,
        timezone: PairZone | None = None,
    ) -> None:
        """Post the invitation card in this DM or group DM, for everyone here to see."""
        texts = texts_of(self.bot)
        directory = self.bot.command_directory
        if not interaction.context.private_channel:
            key = "invite.in_bot_dm" if interaction.context.dm_channel else "invite.in_server"
            raise InvalidInputError(
                texts(key, invite=directory.mention("pair invite"), join=directory.mention("circle join"))
            )
        channel_id = interaction.channel_id or 0
        zone = timezone or await service.default_timezone(self.bot.db, interaction.user.id)
        rule = Recurrence(timezone=zone, local_time=time or service.DEFAULT_TIME)
        invited = await service.invite(
            self.bot.db,
            channel_id=channel_id,
            user_id=interaction.user.id,
            display_name=interaction.user.display_name[:100],
            rule=rule,
            now=self.bot.clock.now(),
        )
        if invited is InviteRefusal.ALREADY_HERE:
            raise InvalidInputError(texts("invite.already_here", show=directory.mention("pair show")))
        if invited is InviteRefusal.TOO_MANY:
            leave = directory.mention("pair leave")
            raise InvalidInputError(texts("invite.too_many", limit=service.MAX_PAIRS_PER_PERSON, leave=leave))
        # Hearth is not in this conversation: the interaction's own response is the only way to post here.
        await interaction.response.send_message(
            embed=invite_card(self.bot, invited),
            view=join_view(self.bot, invited.pair.id),
            allowed_mentions=NO_MENTIONS,
        )

    @pair.command(name="show", description="Who is in your pair, and when its prompt comes")
    @app_commands.describe(pair=PAIR_OPTION)
    async def show(self, interaction: discord.Interaction[HearthBot], pair: str | None = None) -> None:
        """Show the pair privately."""
        texts = texts_of(self.bot)
        state = await self._state(interaction, pair)
        embed = invite_card(self.bot, state)
        embed.title = texts("show.title")
        embed.description = None
        embed.set_footer(text=None)
        status = "invited" if state.pair.status is PairStatus.INVITED else "active"
        status = "paused" if state.paused else status
        embed.add_field(name=texts("show.time"), value=texts("show.time_value", **when(state)))
        embed.add_field(name=texts("show.status"), value=texts(f"show.status_{status}"))
        await send_private(interaction, embed=embed)

    @pair.command(name="time", description="Change when your pair's daily prompt comes")
    @app_commands.describe(
        time="Local time of day, e.g. 20:00 or 8 pm",
        timezone="The timezone for that time: type a city to search (default: as before)",
        pair=PAIR_OPTION,
    )
    async def time(
        self,
        interaction: discord.Interaction[HearthBot],
        time: PairTime,
        timezone: PairZone | None = None,
        pair: str | None = None,
    ) -> None:
        """Move the pair's prompt, for everyone in it."""
        state = await self._state(interaction, pair)
        rule = Recurrence(timezone=timezone or state.rule.timezone, local_time=time)
        state = await service.set_time(self.bot.db, state.pair, rule, self.bot.clock.now())
        await send_private(interaction, texts_of(self.bot)("time.changed", **when(state)))

    @pair.command(name="pause", description="Pause your pair's daily prompt, for everyone in it")
    @app_commands.describe(pair=PAIR_OPTION)
    async def pause(self, interaction: discord.Interaction[HearthBot], pair: str | None = None) -> None:
        """Pause the pair's prompts."""
        texts = texts_of(self.bot)
        state = await self._state(interaction, pair)
        if state.pair.status is not PairStatus.ACTIVE:
            raise InvalidInputError(texts("pause.not_active"))
        resume = self.bot.command_directory.mention("pair resume")
        paused = await service.pause(self.bot.db, state.pair)
        await send_private(interaction, texts("pause.paused" if paused else "pause.already", resume=resume))

    @pair.command(name="resume", description="Start your pair's daily prompt again, and my DMs to you")
    @app_commands.describe(pair=PAIR_OPTION)
    async def resume(self, interaction: discord.Interaction[HearthBot], pair: str | None = None) -> None:
        """Resume the pair's prompts and check, with a DM, that Hearth reaches the person again."""
        texts = texts_of(self.bot)
        state = await self._state(interaction, pair)
        if state.pair.status is not PairStatus.ACTIVE:
            raise InvalidInputError(texts("pause.not_active"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock.now()
        state = await service.resume(self.bot.db, state.pair, now)
        sent = await send_opt_in_dm(
            self.bot, self.bot.db, interaction.user.id, now, content=texts("join.joined", **when(state))
        )
        key = "pause.resumed" if sent is OptIn.SENT else "pause.resumed_no_dm"
        today = self.bot.command_directory.mention("pair today")
        await send_private(interaction, texts(key, today=today, **when(state)))

    @pair.command(name="leave", description="Leave your pair (a pair left with one person ends)")
    @app_commands.describe(pair=PAIR_OPTION)
    async def leave(self, interaction: discord.Interaction[HearthBot], pair: str | None = None) -> None:
        """Leave; tell whoever is left alone that the pair has ended."""
        texts = texts_of(self.bot)
        chosen = await self._pick(interaction, pair)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock.now()
        outcome = await service.leave(self.bot.db, chosen.id, interaction.user.id, now)
        if outcome is None:
            raise InvalidInputError(texts("show.not_member"))
        await send_private(interaction, texts(f"leave.{outcome.result.value}"))
        if outcome.result is LeaveResult.ENDED:
            notice = texts(
                "leave.notice",
                name=discord.utils.escape_markdown(interaction.user.display_name),
                invite=self.bot.command_directory.mention("pair invite"),
            )
            for member in outcome.left_behind:
                try:
                    await send_dm(self.bot, self.bot.db, member, now, content=notice)
                except DmUndeliverableError:
                    pass
                except SEND_FAILURES:
                    log.warning("Pair %s: the end notice failed", chosen.id, exc_info=True)

    @pair.command(name="today", description="Today's prompt for your pair: answer or pass, right here")
    @app_commands.describe(pair=PAIR_OPTION)
    async def today(self, interaction: discord.Interaction[HearthBot], pair: str | None = None) -> None:
        """Show the latest prompt privately, with its buttons, or its reveal once everyone has responded."""
        texts = texts_of(self.bot)
        state = await self._state(interaction, pair)
        seen = await daily.today(self.bot.db, self.bot.cipher, state.pair, interaction.user.id)
        prompt = None if seen.day is None else daily.prompt_of(self.bot.content.prompts, seen.day)
        if seen.day is None or prompt is None:
            await send_private(interaction, texts("today.waiting", **when(state)))
            return
        if seen.reveal is not None:
            first, *rest = reveal_messages(self.bot, seen.reveal)
            await interaction.response.send_message(
                embeds=first, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            for embeds in rest:
                await interaction.followup.send(embeds=embeds, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        if seen.mine is None:
            status = texts("today.not_answered")
        else:
            key = "today.passed" if seen.mine.text is None else "today.answered"
            status = texts(key, waiting=seen.waiting)
        await interaction.response.send_message(
            status,
            embed=prompt_embed(self.bot, prompt, len(state.pair.members)),
            view=answer_view(self.bot, seen.day.id),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    show.autocomplete("pair")(pair_autocomplete)
    time.autocomplete("pair")(pair_autocomplete)
    pause.autocomplete("pair")(pair_autocomplete)
    resume.autocomplete("pair")(pair_autocomplete)
    leave.autocomplete("pair")(pair_autocomplete)
    today.autocomplete("pair")(pair_autocomplete)


async def setup(bot: HearthBot) -> None:
    """Add the pairs cog."""
    await bot.add_cog(Pairs(bot))
