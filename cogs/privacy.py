"""/privacy export|delete|retention, server departures and the daily privacy housekeeping."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_ids
from bot.command_scope import EVERYWHERE, PERSONAL_INSTALLS
from bot.privacy import catalog, packaging, service
from bot.privacy.registry import ErasureContext
from bot.privacy.render import choice_label, erasure_summary, period_text
from bot.privacy.retention import RETENTION_CHOICES, effective_retention
from bot.replies import send_private
from bot.schedule.engine import Occurrence
from bot.schedule.kinds import OwnerKey, ScheduleKind
from bot.schedule.recurrence import Recurrence
from bot.ui import PersistentButton

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

HOUSEKEEPING_KIND = ScheduleKind.PRIVACY_HOUSEKEEPING
HOUSEKEEPING_OWNER = OwnerKey.singleton(HOUSEKEEPING_KIND)
# A quiet hour in UTC; a restart within the scheduler's grace still runs the day's clean-up.
HOUSEKEEPING_RULE = Recurrence("UTC", time(3, 30))


class EraseButton(PersistentButton, custom_id=custom_ids.PRIVACY_ERASE):
    """Confirm or cancel an erasure; the person's id is in the custom_id, so it works after a restart."""

    def __init__(self, action: str, user_id: int, label: str = "") -> None:
        style = discord.ButtonStyle.danger if action == "erase" else discord.ButtonStyle.secondary
        super().__init__(label or action.title(), style, action=action, user=user_id)
        self.action = action
        self.user_id = user_id

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Rebuild the button from its action and the person's id."""
        return cls(match["action"], int(match["user"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Refuse other people's clicks, then erase or cancel and say so."""
        texts = bot.content.privacy
        if interaction.user.id != self.user_id:
            await send_private(interaction, texts("delete.not_yours"))
            return
        if self.action == "keep":
            await interaction.response.edit_message(content=texts("delete.cancelled"), view=None)
            return
        # Answer first: erasing may edit or delete messages, which can outlast the 3 s Discord allows.
        await interaction.response.edit_message(content=texts("delete.working"), view=None)
        context = ErasureContext(client=bot, cipher=bot.cipher, now=bot.clock.now())
        counts = await service.delete_user(bot.db, self.user_id, context, catalog.AGGREGATES)
        await interaction.followup.send(erasure_summary(texts, counts), ephemeral=True)


class RetentionButton(PersistentButton, custom_id=custom_ids.PRIVACY_RETAIN):
    """Choose one retention period; works after a restart."""

    def __init__(self, days: int, user_id: int, label: str = "", *, chosen: bool = False) -> None:
        style = discord.ButtonStyle.primary if chosen else discord.ButtonStyle.secondary
        super().__init__(label or str(days), style, days=days, user=user_id)
        self.days = days
        self.user_id = user_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Save the choice for the person who asked, and show it in place."""
        texts = bot.content.privacy
        if interaction.user.id != self.user_id:
            await send_private(interaction, texts("delete.not_yours"))
            return
        if self.days not in RETENTION_CHOICES:
            # A forged custom_id: nothing to store.
            await send_private(interaction, texts("delete.not_yours"))
            return
        await service.set_retention(bot.db, self.user_id, self.days, bot.clock.now())
        await interaction.response.edit_message(
            content=texts("retention.changed", period=period_text(texts, self.days)),
            view=retention_view(bot, self.user_id, self.days),
        )


def retention_view(bot: HearthBot, user_id: int, current: int) -> discord.ui.View:
    """Return one button per retention period, the current one highlighted."""
    view = discord.ui.View(timeout=None)
    for days in RETENTION_CHOICES:
        label = choice_label(bot.content.privacy, days)
        view.add_item(RetentionButton(days, user_id, label, chosen=days == current))
    return view


# Discord takes at most 5 follow-ups to an interaction only a user install authorizes (40094).
USER_INSTALL_FOLLOWUPS = 5


def followup_allowance(interaction: discord.Interaction[Any]) -> int:
    """Return how many follow-ups an interaction may send: 5 outside a server that installed Hearth."""
    return 1_000 if interaction.is_guild_integration() else USER_INSTALL_FOLLOWUPS


class Privacy(commands.Cog):
    """Your data: export, erasure, retention; and the purge of servers that removed Hearth."""

    privacy = app_commands.Group(
        name="privacy",
        description="Your data in Hearth: download it, erase it, choose how long it is kept",
        allowed_installs=PERSONAL_INSTALLS,
        allowed_contexts=EVERYWHERE,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Register the buttons and the daily housekeeping schedule."""
        self.bot.add_dynamic_items(EraseButton, RetentionButton)
        self.bot.schedule_routes.register(HOUSEKEEPING_KIND, self._housekeeping)
        await ensure_housekeeping_schedule(self.bot)

    async def cog_unload(self) -> None:
        """Stop taking housekeeping occurrences and button clicks."""
        self.bot.schedule_routes.unregister(HOUSEKEEPING_KIND)
        self.bot.remove_dynamic_items(EraseButton, RetentionButton)

    # --- housekeeping -----------------------------------------------------------------------------

    async def _housekeeping(self, occurrence: Occurrence) -> None:
        """Purge servers gone past the grace period and rows past their owner's retention."""
        await run_housekeeping(self.bot)

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Start the grace period of a server that removed Hearth."""
        await service.mark_departed(self.bot.db, guild.id, self.bot.clock.now())
        log.info(
            "Removed from server %s; its data is purged in %d days",
            guild.id,
            self.bot.settings.guild_purge_days,
        )

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Keep a returning server's data."""
        if await service.clear_departed(self.bot.db, guild.id):
            log.info("Back in server %s within the grace period; its data is kept", guild.id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Keep the data of servers that re-added Hearth while it was offline."""
        # One read for all servers: a write per server at start-up delays the first scheduled posts.
        returned = await service.clear_departed_among(self.bot.db, {guild.id for guild in self.bot.guilds})
        if returned:
            log.info("Back in %d servers within their grace period; their data is kept", returned)

    # --- commands ---------------------------------------------------------------------------------

    @privacy.command(name="export", description="Download everything Hearth keeps about you, as a JSON file")
    async def export(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Send the person's data as files: a plain reply in the DM with Hearth, ephemeral anywhere else.

        Anywhere else includes a DM between people, where a plain reply would show the export to all.
        """
        in_server = not interaction.context.dm_channel
        await interaction.response.defer(ephemeral=in_server, thinking=True)
        user_id = interaction.user.id
        document = await service.export_user(
            self.bot.db, self.bot.cipher, user_id, self.bot.clock.now(), catalog.AGGREGATES
        )
        texts = self.bot.content.privacy
        # Discord refuses files over the interaction's upload limit; compressing a large export takes a
        # moment of CPU, which must not stall the gateway heartbeat.
        try:
            package = await asyncio.to_thread(
                packaging.package_export, document, user_id, interaction.filesize_limit
            )
        except packaging.ExportTooLargeError:
            log.warning("The export of user %s does not fit Discord's upload limit", user_id)
            await interaction.followup.send(texts("export.too_large"), ephemeral=in_server)
            return
        count = len(package.files)
        if count > followup_allowance(interaction):
            export = self.bot.command_directory.mention("privacy export")
            reply = texts(
                "export.too_many_parts_here", count=count, limit=USER_INSTALL_FOLLOWUPS, export=export
            )
            await interaction.followup.send(reply, ephemeral=in_server)
            return
        key = f"export.ready_{package.shape.value}" + ("" if in_server else "_dm")
        for number, item in enumerate(package.files, start=1):
            text = (
                texts(key, count=count) if number == 1 else texts("export.part", number=number, count=count)
            )
            await interaction.followup.send(
                text,
                file=discord.File(io.BytesIO(item.data), filename=item.filename),
                ephemeral=in_server,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        log.info(
            "Exported the data of user %s (%s, %d file(s), %d bytes of JSON)",
            user_id,
            package.shape.value,
            count,
            package.json_size,
        )

    @privacy.command(name="delete", description="Erase everything Hearth keeps about you (asks to confirm)")
    async def delete(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Ask for confirmation with an erase and a keep button."""
        texts = self.bot.content.privacy
        user_id = interaction.user.id
        view = discord.ui.View(timeout=None)
        view.add_item(EraseButton("erase", user_id, texts("delete.confirm_button")))
        view.add_item(EraseButton("keep", user_id, texts("delete.cancel_button")))
        export = self.bot.command_directory.mention("privacy export")
        await send_private(interaction, texts("delete.confirm", export=export), view=view)

    @privacy.command(name="policy", description="Read Hearth's privacy policy: what it keeps and who sees it")
    async def policy(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Link the privacy policy (PRIVACY_POLICY_URL), or sum it up when none is linked."""
        texts = self.bot.content.privacy
        url = self.bot.settings.privacy_policy_url
        if url is not None:
            await send_private(interaction, texts("policy.link", url=url))
            return
        mention = self.bot.command_directory.mention
        await send_private(
            interaction,
            texts("policy.unset", export=mention("privacy export"), delete=mention("privacy delete")),
        )

    @privacy.command(
        name="retention", description="Choose how long your check-ins and private answers are kept"
    )
    async def retention(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the current retention period with a button for each choice."""
        texts = self.bot.content.privacy
        user_id = interaction.user.id
        chosen = await service.retention_of(self.bot.db, user_id)
        current = effective_retention(chosen, self.bot.settings.default_retention_days)
        await send_private(
            interaction,
            texts("retention.current", period=period_text(texts, current)),
            view=retention_view(self.bot, user_id, current),
        )


async def ensure_housekeeping_schedule(bot: HearthBot) -> None:
    """Create the daily housekeeping schedule once; unpause it if a failed start left it paused."""
    await service.ensure_schedule(
        bot.db,
        kind=HOUSEKEEPING_KIND,
        owner_key=HOUSEKEEPING_OWNER,
        rule=HOUSEKEEPING_RULE,
        now=bot.clock.now(),
    )


async def run_housekeeping(bot: HearthBot) -> None:
    """Run the daily privacy clean-up now."""
    now = bot.clock.now()
    grace = timedelta(days=bot.settings.guild_purge_days)
    purged = await service.purge_departed_guilds(
        bot.db,
        now,
        grace,
        catalog.AGGREGATES,
        is_present=lambda guild_id: bot.get_guild(guild_id) is not None,
    )
    removed = await service.expire_retained(
        bot.db, now, bot.settings.default_retention_days, catalog.RETAINED
    )
    log.info("Privacy housekeeping: %d server(s) purged, %d expired row(s) removed", len(purged), removed)


async def setup(bot: HearthBot) -> None:
    """Add the privacy cog."""
    await bot.add_cog(Privacy(bot))
