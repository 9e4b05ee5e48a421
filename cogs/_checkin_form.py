"""The check-in form and the choice to share a check-in: everything stays private unless shared.

Nothing about a check-in is ever posted in a channel or logged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.checkins import service
from bot.checkins.form import (
    MAX_NEEDS,
    NOTE_LIMIT,
    clean_note,
    validate_answers,
    validate_feelings,
    validate_needs,
)
from bot.checkins.replies import saved_text
from bot.checkins.service import CheckinSource
from bot.content.checkins import CheckinContent
from bot.errors import InvalidInputError, NotFoundError
from bot.replies import fit_message, join_names, send_private
from bot.safety import mentions_danger
from bot.tree import report_interaction_error
from bot.ui import HearthModal

if TYPE_CHECKING:
    from bot.app import HearthBot

SCORE_FIELD = "hearth:checkin:score"
FEELINGS_FIELD = "hearth:checkin:feelings"
NEEDS_FIELD = "hearth:checkin:needs"
NOTE_FIELD = "hearth:checkin:note"
# A shared summary goes to at most this many people at once.
MAX_SHARE_RECIPIENTS = 5
NO_MENTIONS = discord.AllowedMentions.none()


def _bot(interaction: discord.Interaction[Any]) -> HearthBot:
    """Return the Hearth bot behind an interaction."""
    return cast("HearthBot", interaction.client)


def note_pointer_for(bot: HearthBot, note: str | None, resources: str, locale: str) -> str | None:
    """Return the gentle pointer to help when the note speaks of self-harm or danger, else None.

    It names the lines of the person's country when their Discord language says where they are.
    Only the author's private reply carries it: the match itself is never logged, stored or shared.
    """
    if not mentions_danger(note):
        return None
    content = bot.content.resources
    return content.safety.pointer(resources, content.country_for_locale(locale))


# --- the form -------------------------------------------------------------------------------------


class CheckinForm(HearthModal):
    """The check-in form: score (radio group), feelings and needs (selects), and a private note.

    Opened by /checkin now with all four fields, or from a DM check-in's
    "Add feelings and needs" button without the score (already saved).
    """

    def __init__(self, content: CheckinContent, *, details_for: int | None = None) -> None:
        texts = content.texts
        if details_for is None:
            super().__init__(title=texts("modal.title"), form="checkin")
        else:
            super().__init__(title=texts("modal.details_title"), form="checkin-details")
        self.details_for = details_for
        self.score: discord.ui.RadioGroup[CheckinForm] | None = None
        if details_for is None:
            self.score = discord.ui.RadioGroup(custom_id=SCORE_FIELD, required=True)
            for point in content.scores:
                self.score.add_option(
                    label=f"{point.value} · {point.label}",
                    value=str(point.value),
                    description=point.description,
                )
            self.add_item(
                discord.ui.Label(
                    text=texts("modal.score_label"),
                    description=texts("modal.score_description"),
                    component=self.score,
                )
            )
        feelings = content.feelings
        self.feelings: discord.ui.Select[CheckinForm] = discord.ui.Select(
            custom_id=FEELINGS_FIELD,
            placeholder=texts("modal.feelings_placeholder"),
            min_values=0,
            max_values=len(feelings),
            required=False,
            options=[
                discord.SelectOption(label=feeling.label, value=feeling.id, description=feeling.group)
                for feeling in feelings
            ],
        )
        self.add_item(discord.ui.Label(text=texts("modal.feelings_label"), component=self.feelings))
        self.needs: discord.ui.Select[CheckinForm] = discord.ui.Select(
            custom_id=NEEDS_FIELD,
            placeholder=texts("modal.needs_placeholder"),
            min_values=0,
            max_values=min(MAX_NEEDS, len(content.needs)),
            required=False,
            options=[discord.SelectOption(label=need.label, value=need.id) for need in content.needs],
        )
        self.add_item(discord.ui.Label(text=texts("modal.needs_label"), component=self.needs))
        self.note: discord.ui.TextInput[CheckinForm] = discord.ui.TextInput(
            custom_id=NOTE_FIELD,
            style=discord.TextStyle.paragraph,
            placeholder=texts("modal.note_placeholder"),
            required=False,
            max_length=NOTE_LIMIT,
        )
        self.add_item(discord.ui.Label(text=texts("modal.note_label"), component=self.note))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Validate everything on the server, save privately and answer with care."""
        bot = _bot(interaction)
        content = bot.content.checkins
        resources = bot.command_directory.mention("resources")
        in_guild = interaction.guild_id is not None
        note_pointer = note_pointer_for(bot, self.note.value, resources, str(interaction.locale))
        if self.details_for is not None:
            updated = await service.update_details(
                bot,
                self.details_for,
                interaction.user.id,
                feelings=validate_feelings(self.feelings.values, content),
                needs=validate_needs(self.needs.values, content),
                note=clean_note(self.note.value, content),
            )
            if updated is None:
                raise NotFoundError(content.texts("checkin.not_found"))
            reply = saved_text(
                updated.score,
                updated.needs,
                content,
                resources=resources,
                in_guild=False,
                thanks=False,
                note_pointer=note_pointer,
            )
            await send_private(interaction, fit_message(reply))
            return
        answers = validate_answers(
            self.score.value if self.score else None,
            self.feelings.values,
            self.needs.values,
            self.note.value,
            content,
        )
        saved = await service.save_checkin(bot, interaction.user.id, answers, CheckinSource.COMMAND)
        if saved is None:
            raise RuntimeError("a check-in without a prompt key was not stored")
        reply = saved_text(
            answers.score,
            answers.needs,
            content,
            resources=resources,
            in_guild=in_guild,
            note_pointer=note_pointer,
        )
        view: discord.ui.View | None = None
        if in_guild:
            view = discord.ui.View(timeout=None)
            view.add_item(ShareSelect(saved.id, content.texts("saved.share_placeholder")))
        await send_private(interaction, fit_message(reply), view=view)


# --- sharing ----------------------------------------------------------------------------------------


class ShareSelect(
    discord.ui.DynamicItem[discord.ui.UserSelect[Any]],
    template=r"hearth:checkin:share:(?P<id>[0-9]{1,19})",
):
    """The "Share a summary with…" select; its custom_id carries the check-in id, so it outlives a restart."""

    def __init__(self, checkin_id: int, placeholder: str | None = None) -> None:
        super().__init__(
            discord.ui.UserSelect(
                custom_id=f"hearth:checkin:share:{checkin_id}",
                placeholder=placeholder,
                min_values=1,
                max_values=MAX_SHARE_RECIPIENTS,
            )
        )
        self.checkin_id = checkin_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShareSelect:
        """Rebuild the select from its custom_id when it is used."""
        placeholder = item.placeholder if isinstance(item, discord.ui.UserSelect) else None
        return cls(int(match["id"]), placeholder)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Send the summary to each chosen person, then tell the author who received it."""
        try:
            await self._share(interaction, _bot(interaction))
        except Exception as error:
            # The view discord.py builds for a dynamic item has no error handler of ours.
            await report_interaction_error(interaction, error)

    async def _share(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Share with members of this server only: never bots, never the author."""
        texts = bot.content.checkins.texts
        if interaction.guild_id is None:
            raise InvalidInputError(texts("saved.share_in_dm"))
        chosen = [
            value
            for value in self.item.values
            if isinstance(value, discord.Member)
            and value.guild.id == interaction.guild_id
            and not value.bot
            and value.id != interaction.user.id
        ]
        if not chosen:
            raise InvalidInputError(texts("share.nobody"))
        checkin = await service.own_checkin(bot, self.checkin_id, interaction.user.id)
        if checkin is None:
            raise NotFoundError(texts("checkin.not_found"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        author = discord.utils.escape_markdown(interaction.user.display_name)
        outcome = await service.share(bot, checkin, author, [member.id for member in chosen])

        def people(ids: list[int]) -> str:
            return join_names([f"<@{user_id}>" for user_id in ids])

        lines = []
        for key, ids in (
            ("share.sent", outcome.sent),
            ("share.already", outcome.already),
            ("share.closed", outcome.closed),
            ("share.failed", outcome.failed),
        ):
            if ids:
                lines.append(texts(key, people=people(ids)))
        await send_private(interaction, fit_message("\n".join(lines)))
