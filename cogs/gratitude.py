"""/gratitude send|recent|remove|notify, and the "Send gratitude" / "Appreciate this message" menus."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import EVERYWHERE, PERSONAL_INSTALLS, server_only
from bot.delivery import ChannelUnavailableError, require_opt_in_dm
from bot.errors import InvalidInputError, MissingPermissionsError, NotFoundError, UserFacingError
from bot.gratitude import service
from bot.gratitude.cards import build_recent_embed, card_link, modal_title, removal_choice
from bot.gratitude.posting import (
    CardAnonymityError,
    CardRemovalError,
    CardSource,
    GratitudeNotConfiguredError,
    notify_recipient,
    post_card,
    private_channel_card,
    remove_card,
    require_config,
)
from bot.gratitude.service import Card
from bot.gratitude.validation import (
    MESSAGE_LIMIT,
    CardRefusedError,
    Recipient,
    Refusal,
    check_card,
    check_recipient,
    parse_card_reference,
)
from bot.gratitude.weekly import DIGEST_KIND, ROTATION_KIND, deliver_digest, deliver_rotation
from bot.replies import join_labels, send_private
from bot.schedule.engine import Occurrence
from bot.schedule.errors import TransientDeliveryError
from bot.ui import HearthModal
from cogs._admin import guild_of

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

TEXT_FIELD_ID = "hearth:gratitude-text"
ANONYMOUS_FIELD_ID = "hearth:gratitude-anonymous"
USER_MENU = "Send gratitude"
MESSAGE_MENU = "Appreciate this message"
AUTOCOMPLETE_LIMIT = 25


def refusal_error(bot: HearthBot, error: CardRefusedError) -> InvalidInputError:
    """Return the kind, ephemeral refusal for a card that can't be sent."""
    texts = bot.content.gratitude
    if error.refusal is Refusal.TOO_LONG:
        return InvalidInputError(texts("refuse.too_long", length=error.length, limit=MESSAGE_LIMIT))
    return InvalidInputError(texts(f"refuse.{error.refusal.value}"))


def not_configured_error(bot: HearthBot) -> NotFoundError:
    """Return the refusal for a server without a gratitude channel, naming the command that sets one."""
    setup = bot.command_directory.mention("setup gratitude")
    return NotFoundError(bot.content.gratitude("send.no_channel", setup=setup))


def channel_refusal(bot: HearthBot, channel_id: int, error: ChannelUnavailableError) -> UserFacingError:
    """Return the refusal for a gratitude channel the bot can't post in, naming what is missing."""
    texts = bot.content.gratitude
    setup = bot.command_directory.mention("setup gratitude")
    if error.missing is None:
        return NotFoundError(texts("send.channel_gone", setup=setup))
    missing = join_labels(error.missing or ["view_channel", "send_messages"])
    return MissingPermissionsError(
        texts("send.channel_unavailable", channel=f"<#{channel_id}>", missing=missing, setup=setup)
    )


async def recipient_of(guild: discord.Guild, user: discord.abc.User, sender_id: int) -> Recipient:
    """Return what a card needs to know about ``user``: is it a bot, and a member of ``guild``."""
    if user.bot or user.id == sender_id:
        return Recipient(user.id, is_bot=user.bot, is_member=True)
    if isinstance(user, discord.Member) and user.guild.id == guild.id:
        return Recipient(user.id, is_bot=False, is_member=True)
    if guild.get_member(user.id) is not None:
        return Recipient(user.id, is_bot=False, is_member=True)
    try:
        await guild.fetch_member(user.id)
    except discord.NotFound:
        return Recipient(user.id, is_bot=False, is_member=False)
    return Recipient(user.id, is_bot=False, is_member=True)


def can_manage_messages(interaction: discord.Interaction[Any], channel_id: int) -> bool:
    """Return whether the user has Manage Messages in ``channel_id`` (else where they ran the command)."""
    permissions = interaction.permissions
    guild = interaction.guild
    channel = guild.get_channel(channel_id) if guild is not None else None
    if channel is not None and isinstance(interaction.user, discord.Member):
        permissions = channel.permissions_for(interaction.user)
    return permissions.manage_messages


class GratitudeModal(HearthModal):
    """The thank-you form opened by the context menus: the message and "send anonymously"."""

    def __init__(self, cog: Gratitude, recipient: Recipient, name: str, source: CardSource | None) -> None:
        texts = cog.bot.content.gratitude
        super().__init__(title=modal_title(texts, name), form="gratitude")
        self.cog = cog
        self.recipient = recipient
        self.source = source
        self.text: discord.ui.TextInput[GratitudeModal] = discord.ui.TextInput(
            custom_id=TEXT_FIELD_ID,
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=MESSAGE_LIMIT,
            placeholder=texts("modal.text_placeholder"),
        )
        self.add_item(discord.ui.Label(text=texts("modal.text_label"), component=self.text))
        self.anonymous: discord.ui.Checkbox[GratitudeModal] = discord.ui.Checkbox(
            custom_id=ANONYMOUS_FIELD_ID
        )
        self.add_item(
            discord.ui.Label(
                text=texts("modal.anonymous_label"),
                description=texts("modal.anonymous_description"),
                component=self.anonymous,
            )
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Post the card (the server re-checks everything the form allowed)."""
        await self.cog.send_card(
            interaction,
            self.recipient,
            self.text.value,
            anonymous=bool(self.anonymous.value),
            source=self.source,
        )


class Gratitude(commands.Cog):
    """Thank-you cards in the gratitude channel, their digest and the appreciation rotation."""

    gratitude = app_commands.Group(
        name="gratitude",
        description="Thank someone in this server's gratitude channel",
        allowed_installs=PERSONAL_INSTALLS,
        allowed_contexts=EVERYWHERE,
    )
    notify = app_commands.Group(
        name="notify",
        description="A DM when someone thanks you (off unless you turn it on)",
        parent=gratitude,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot
        # Context menus can't be declared in a cog's body; they are built here and added in cog_load.
        self.user_menu = app_commands.ContextMenu(name=USER_MENU, callback=self.send_gratitude_menu)
        self.message_menu = app_commands.ContextMenu(name=MESSAGE_MENU, callback=self.appreciate_message_menu)

    async def cog_load(self) -> None:
        """Add the context menus and take over the digest and rotation deliveries."""
        self.bot.tree.add_command(self.user_menu)
        self.bot.tree.add_command(self.message_menu)
        self.bot.schedule_routes.register(DIGEST_KIND, self.deliver_digest, guild_bound=True)
        self.bot.schedule_routes.register(ROTATION_KIND, self.deliver_rotation, guild_bound=True)

    async def cog_unload(self) -> None:
        """Remove the context menus and hand the deliveries back."""
        self.bot.tree.remove_command(USER_MENU, type=discord.AppCommandType.user)
        self.bot.tree.remove_command(MESSAGE_MENU, type=discord.AppCommandType.message)
        self.bot.schedule_routes.unregister(DIGEST_KIND)
        self.bot.schedule_routes.unregister(ROTATION_KIND)

    async def deliver_digest(self, occurrence: Occurrence) -> None:
        """Post a scheduled weekly digest."""
        await deliver_digest(self.bot, occurrence)

    async def deliver_rotation(self, occurrence: Occurrence) -> None:
        """Draw and send a scheduled appreciation rotation."""
        await deliver_rotation(self.bot, occurrence)

    # --- sending --------------------------------------------------------------------------------

    async def _require_config(self, guild_id: int) -> None:
        """Refuse kindly if the server has no gratitude channel."""
        try:
            await require_config(self.bot, guild_id)
        except GratitudeNotConfiguredError:
            raise not_configured_error(self.bot) from None

    async def _checked_recipient(
        self, interaction: discord.Interaction[Any], user: discord.abc.User
    ) -> Recipient:
        """Return the recipient if they can be thanked here, else refuse kindly."""
        guild = guild_of(interaction)
        recipient = await recipient_of(guild, user, interaction.user.id)
        try:
            check_recipient(interaction.user.id, recipient)
        except CardRefusedError as error:
            raise refusal_error(self.bot, error) from None
        return recipient

    async def send_card(
        self,
        interaction: discord.Interaction[Any],
        recipient: Recipient,
        text: str,
        *,
        anonymous: bool,
        source: CardSource | None = None,
    ) -> None:
        """Check and post a card, DM the recipient if they asked for it, then confirm to the sender."""
        guild = guild_of(interaction)
        await self._require_config(guild.id)
        try:
            cleaned = check_card(interaction.user.id, recipient, text)
        except CardRefusedError as error:
            raise refusal_error(self.bot, error) from None
        # Posting (and the optional DM) can take longer than the 3 s an interaction allows.
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            card = await post_card(
                self.bot,
                guild.id,
                sender_id=interaction.user.id,
                recipient_id=recipient.user_id,
                text=cleaned,
                anonymous=anonymous,
                source=source,
            )
        except GratitudeNotConfiguredError:
            raise not_configured_error(self.bot) from None
        except ChannelUnavailableError as error:
            config = await service.config_of(self.bot.db, guild.id)
            raise channel_refusal(self.bot, config.channel_id if config else 0, error) from None
        except TransientDeliveryError:
            raise UserFacingError(self.bot.content.gratitude("send.failed")) from None
        # The DM first, so the sender's confirmation is the last thing this interaction does.
        await notify_recipient(self.bot, card, guild.name)
        texts = self.bot.content.gratitude
        await send_private(
            interaction, texts("send.posted_anonymous" if anonymous else "send.posted", link=card_link(card))
        )

    async def send_private_channel_card(
        self, interaction: discord.Interaction[Any], who: discord.abc.User, text: str, *, anonymous: bool
    ) -> None:
        """Answer with the card itself: Hearth is not in this conversation, so it cannot post here."""
        recipient = Recipient(user_id=who.id, is_bot=who.bot, is_member=True)
        try:
            card = private_channel_card(
                self.bot, sender_id=interaction.user.id, recipient=recipient, text=text, anonymous=anonymous
            )
        except CardRefusedError as error:
            raise refusal_error(self.bot, error) from None
        except CardAnonymityError:
            raise InvalidInputError(self.bot.content.gratitude("send.not_anonymous_here")) from None
        await interaction.response.send_message(
            card.content, embed=card.embed, allowed_mentions=card.allowed_mentions
        )

    @gratitude.command(name="send", description="Thank someone with a card in the gratitude channel")
    @app_commands.describe(
        who="The person you'd like to thank",
        message="What you're grateful for (up to 1000 characters)",
        anonymous="Leave your name off the card",
    )
    async def send(
        self,
        interaction: discord.Interaction[HearthBot],
        who: discord.Member | discord.User,
        message: app_commands.Range[str, 1, MESSAGE_LIMIT],
        anonymous: bool = False,
    ) -> None:
        """Post a card for ``who``: in the gratitude channel, or right here in a DM between people."""
        if interaction.context.private_channel:
            await self.send_private_channel_card(interaction, who, message, anonymous=anonymous)
            return
        guild = guild_of(interaction)
        await self._require_config(guild.id)
        recipient = await self._checked_recipient(interaction, who)
        await self.send_card(interaction, recipient, message, anonymous=anonymous)

    @server_only()
    async def send_gratitude_menu(
        self, interaction: discord.Interaction[HearthBot], user: discord.Member | discord.User
    ) -> None:
        """Open the thank-you form for the person right-clicked."""
        guild = guild_of(interaction)
        await self._require_config(guild.id)
        recipient = await self._checked_recipient(interaction, user)
        await interaction.response.send_modal(GratitudeModal(self, recipient, user.display_name, None))

    @server_only()
    async def appreciate_message_menu(
        self, interaction: discord.Interaction[HearthBot], message: discord.Message
    ) -> None:
        """Open the thank-you form for a message's author; the card will link to that message.

        Only the link goes on the card, never the message's words: the message
        may be in a channel that not everyone in the gratitude channel can read.
        """
        guild = guild_of(interaction)
        await self._require_config(guild.id)
        author = message.author
        if message.webhook_id is not None:
            # Webhook and integration posts have no person behind them to thank.
            raise refusal_error(self.bot, CardRefusedError(Refusal.BOT))
        recipient = await self._checked_recipient(interaction, author)
        source = CardSource(channel_id=message.channel.id, message_id=message.id)
        await interaction.response.send_modal(GratitudeModal(self, recipient, author.display_name, source))

    # --- reading and removing -------------------------------------------------------------------

    @gratitude.command(name="recent", description="See the latest thank-yous in this server")
    async def recent(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the server's last 10 cards, privately."""
        guild = guild_of(interaction)
        cards = await service.recent(self.bot.db, guild.id)
        send = self.bot.command_directory.mention("gratitude send")
        await send_private(interaction, embed=build_recent_embed(self.bot.content.gratitude, cards, send))

    # Its own top-level command: a group's subcommands share the group's scope, and /gratitude send
    # also runs outside servers, while removing a card is server moderation.
    @app_commands.command(
        name="gratitude-remove", description="Remove a gratitude card and its message (Manage Messages)"
    )
    @app_commands.default_permissions(manage_messages=True)
    @server_only()
    @app_commands.describe(card="The card: pick one from the list, or paste its number or message link")
    async def remove(
        self, interaction: discord.Interaction[HearthBot], card: app_commands.Range[str, 1, 200]
    ) -> None:
        """Delete a card's message and its record, for people with Manage Messages."""
        guild = guild_of(interaction)
        texts = self.bot.content.gratitude
        reference = parse_card_reference(card)
        found: Card | None = None
        if reference is not None:
            found = await service.find_card(self.bot.db, guild.id, reference)
        # default_permissions is only a default that server admins can change: check again.
        if not can_manage_messages(interaction, found.channel_id if found else interaction.channel_id or 0):
            raise MissingPermissionsError(texts("remove.need_manage_messages"))
        if reference is None:
            raise InvalidInputError(texts("remove.not_understood"))
        if found is None:
            raise NotFoundError(texts("remove.not_found"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            deleted = await remove_card(self.bot, found)
        except CardRemovalError:
            raise UserFacingError(texts("remove.failed")) from None
        log.info("Gratitude card %s removed by user %s in guild %s", found.id, interaction.user.id, guild.id)
        key = "remove.removed" if deleted else "remove.removed_message_gone"
        await send_private(interaction, texts(key, number=found.id))

    @remove.autocomplete("card")
    async def card_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the server's latest cards to people who may remove them."""
        if interaction.guild is None or not interaction.permissions.manage_messages:
            return []
        texts = self.bot.content.gratitude
        needle = current.strip().lstrip("#").lower()
        cards = await service.recent(self.bot.db, interaction.guild.id, limit=100)
        matching = [c for c in cards if not needle or needle in str(c.id) or needle in c.text.lower()]
        return [
            app_commands.Choice(name=removal_choice(texts, c), value=str(c.id))
            for c in matching[:AUTOCOMPLETE_LIMIT]
        ]

    # --- DM preference --------------------------------------------------------------------------

    @notify.command(name="on", description="Get a DM when someone thanks you")
    async def notify_on(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Turn the DM on, after a test DM shows that DMs reach the person."""
        texts = self.bot.content.gratitude
        directory = self.bot.command_directory
        user_id = interaction.user.id
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock.now()
        await require_opt_in_dm(
            self.bot,
            self.bot.db,
            user_id,
            now,
            refused=texts("notify.dms_closed"),
            failed=texts("notify.dm_failed"),
            content=texts("notify.test_dm", off=directory.mention("gratitude notify off")),
        )
        await service.set_notify(self.bot.db, user_id, True, now)
        await send_private(interaction, texts("notify.on", off=directory.mention("gratitude notify off")))

    @notify.command(name="off", description="Stop the DM when someone thanks you")
    async def notify_off(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Turn the DM off."""
        texts = self.bot.content.gratitude
        await service.set_notify(self.bot.db, interaction.user.id, False, self.bot.clock.now())
        on = self.bot.command_directory.mention("gratitude notify on")
        await send_private(interaction, texts("notify.off", on=on))


async def setup(bot: HearthBot) -> None:
    """Add the gratitude cog."""
    await bot.add_cog(Gratitude(bot))
