"""What pairs show: the invitation card and its Join button, the daily DM, the answer form, the reveal."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot import custom_ids
from bot.command_scope import user_install_url
from bot.content.pairs import PairTexts
from bot.content.prompts import Depth, Prompt
from bot.delivery import SEND_FAILURES, DmUndeliverableError, OptIn, send_dm, send_opt_in_dm
from bot.errors import NotFoundError
from bot.pairs import daily, service
from bot.pairs.daily import ANSWER_MAX_LENGTH, AnswerOutcome, AnswerResult, Reveal
from bot.pairs.service import JoinResult, PairDay, PairState
from bot.replies import mention, send_private
from bot.schedule.recurrence import format_local_time
from bot.ui import EMBED_TOTAL_LIMIT, EMBEDS_PER_MESSAGE, HEARTH_COLOUR, HearthModal, PersistentButton

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
MODAL_DESCRIPTION_LIMIT = 100
ANSWER_FIELD_ID = "hearth:pair-answer"


def texts_of(bot: HearthBot) -> PairTexts:
    """Return the pairs wording."""
    return bot.content.pairs


def when(state: PairState) -> dict[str, str]:
    """Return the {time} and {timezone} of a pair's daily prompt."""
    return {"time": format_local_time(state.rule.local_time), "timezone": state.rule.timezone}


def member_list(state: PairState) -> str:
    """Return the members as mentions (shown as names; nobody is pinged)."""
    return ", ".join(mention(member) for member in state.pair.member_ids)


# --- the invitation ----------------------------------------------------------------------------


def invite_card(bot: HearthBot, state: PairState) -> discord.Embed:
    """Return the invitation card everyone in the conversation sees."""
    texts = texts_of(bot)
    embed = discord.Embed(
        title=texts("invite.card_title"),
        description=texts("invite.card", author=mention(state.pair.created_by), **when(state)),
        colour=HEARTH_COLOUR,
    )
    embed.add_field(name=texts("invite.members_field"), value=member_list(state)[:1024], inline=False)
    embed.set_footer(text=texts("invite.card_footer"))
    return embed


def install_view(bot: HearthBot) -> discord.ui.View:
    """Return a link button that installs Hearth to the person's own account."""
    view = discord.ui.View(timeout=None)
    url = user_install_url(bot.application_id or 0)
    view.add_item(discord.ui.Button(label=texts_of(bot)("invite.install_button"), url=url))
    return view


class JoinButton(PersistentButton, custom_id=custom_ids.PAIR_JOIN):
    """Join the pair of an invitation card; anyone in the conversation may press it."""

    def __init__(self, pair_id: int, label: str = "") -> None:
        super().__init__(label or "Join", discord.ButtonStyle.primary, pair=pair_id)
        self.pair_id = pair_id

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Rebuild the button from its pair id."""
        return cls(int(match["pair"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Add the person, update the card, and check by DM that Hearth can reach them."""
        texts = texts_of(bot)
        directory = bot.command_directory
        user = interaction.user
        outcome = await service.join(bot.db, self.pair_id, user.id, user.display_name[:100], bot.clock.now())
        if outcome.result is not JoinResult.JOINED or outcome.state is None:
            reply = texts(
                f"join.{outcome.result.value}",
                **_refusal_values(outcome.result, directory.mention, service.MAX_MEMBERS),
            )
            await send_private(interaction, reply)
            return
        state = outcome.state
        # The card is the interaction's own message: a fresh token from this press edits it.
        await interaction.response.edit_message(
            embed=invite_card(bot, state), view=join_view(bot, state.pair.id), allowed_mentions=NO_MENTIONS
        )
        others = ", ".join(mention(m) for m in state.pair.member_ids if m != user.id)
        sent = await send_opt_in_dm(
            bot,
            bot.db,
            user.id,
            bot.clock.now(),
            content=texts("join.welcome_dm", names=others, **when(state)),
        )
        if sent is OptIn.SENT:
            await send_private(interaction, texts("join.joined", **when(state)))
        else:
            today = directory.mention("pair today")
            await send_private(interaction, texts("join.joined_no_dm", today=today), view=install_view(bot))


def _refusal_values(result: JoinResult, command: Any, limit: int) -> dict[str, Any]:
    """Return the placeholders of a Join refusal."""
    if result is JoinResult.FULL:
        return {"limit": limit}
    if result is JoinResult.ALREADY:
        return {"show": command("pair show")}
    if result in (JoinResult.EXPIRED, JoinResult.ENDED):
        return {"invite": command("pair invite")}
    return {}


def join_view(bot: HearthBot, pair_id: int) -> discord.ui.View:
    """Return the invitation card's Join button."""
    view = discord.ui.View(timeout=None)
    view.add_item(JoinButton(pair_id, texts_of(bot)("invite.join_button")))
    return view


# --- the daily prompt --------------------------------------------------------------------------


def prompt_embed(bot: HearthBot, prompt: Prompt, members: int) -> discord.Embed:
    """Return the day's prompt as each member gets it."""
    texts = texts_of(bot)
    embed = discord.Embed(
        title=texts("daily.title_two" if members == 2 else "daily.title_group"),
        description=prompt.text,
        colour=HEARTH_COLOUR,
    )
    theme = bot.content.prompts.themes.get(prompt.theme)
    if theme is not None:
        embed.add_field(name=texts("daily.theme"), value=theme.name[:1024])
    embed.set_footer(text=texts("daily.deep_footer" if prompt.depth is Depth.DEEP else "daily.footer"))
    return embed


def answer_view(bot: HearthBot, day_id: int) -> discord.ui.View:
    """Return the Answer and Pass buttons of a day's prompt."""
    texts = texts_of(bot)
    view = discord.ui.View(timeout=None)
    view.add_item(AnswerButton(day_id, texts("daily.answer_button")))
    view.add_item(PassButton(day_id, texts("daily.pass_button")))
    return view


def outcome_text(bot: HearthBot, outcome: AnswerOutcome) -> str:
    """Return the private reply to an answer or a pass."""
    texts = texts_of(bot)
    key = f"answer.{outcome.result.value}"
    if outcome.result is AnswerResult.STALE:
        return texts(key, today=bot.command_directory.mention("pair today"))
    if outcome.result in (AnswerResult.SAVED, AnswerResult.UPDATED, AnswerResult.PASSED):
        return texts(key, waiting=outcome.waiting)
    return texts(key)


async def open_day(bot: HearthBot, day_id: int, user_id: int) -> tuple[PairDay, Prompt]:
    """Return a day someone may still answer, with its prompt, or raise the kind reason why not."""
    day = await daily.get_day(bot.db, day_id)
    pair = None if day is None else await service.get_pair(bot.db, day.pair_id)
    prompt = None if day is None else daily.prompt_of(bot.content.prompts, day)
    if day is None or pair is None or not pair.has(user_id) or prompt is None:
        raise NotFoundError(texts_of(bot)("answer.gone"))
    if day.revealed_at is not None:
        raise NotFoundError(texts_of(bot)("answer.already_revealed"))
    return day, prompt


class PairAnswerModal(HearthModal):
    """The private answer form for one pair day."""

    def __init__(self, bot: HearthBot, day_id: int, prompt_text: str, existing: str | None) -> None:
        texts = texts_of(bot)
        super().__init__(title=texts("answer.modal_title"), form="pair-answer")
        self.bot = bot
        self.day_id = day_id
        self.answer: discord.ui.TextInput[PairAnswerModal] = discord.ui.TextInput(
            custom_id=ANSWER_FIELD_ID,
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=ANSWER_MAX_LENGTH,
            default=existing,
        )
        description = prompt_text
        if len(description) > MODAL_DESCRIPTION_LIMIT:
            description = description[: MODAL_DESCRIPTION_LIMIT - 1] + "…"
        self.add_item(
            discord.ui.Label(text=texts("answer.field_label"), description=description, component=self.answer)
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Save the answer; the last one reveals everyone's answers by DM."""
        await record_response(interaction, self.bot, self.day_id, self.answer.value)


async def record_response(
    interaction: discord.Interaction[Any], bot: HearthBot, day_id: int, text: str | None
) -> None:
    """Save an answer or pass, reply privately, and send the reveal if this response completed it."""
    texts = texts_of(bot)
    if text is not None and not text.strip():
        await send_private(interaction, texts("answer.empty"))
        return
    if text is not None and len(text) > ANSWER_MAX_LENGTH:
        await send_private(interaction, texts("answer.too_long", limit=ANSWER_MAX_LENGTH, length=len(text)))
        return
    # The reveal sends DMs, which can take longer than the 3 s an interaction allows.
    await interaction.response.defer(ephemeral=True, thinking=True)
    outcome = await daily.respond(bot.db, bot.cipher, day_id, interaction.user.id, text, bot.clock.now())
    # The reveal first, so the reply that says it is on its way is the last thing this interaction does.
    if outcome.reveal is not None:
        await send_reveal(bot, outcome.reveal)
    await send_private(interaction, outcome_text(bot, outcome))


class AnswerButton(PersistentButton, custom_id=custom_ids.PAIR_ANSWER):
    """Opens the private answer form for a pair day."""

    def __init__(self, day_id: int, label: str = "") -> None:
        super().__init__(label or "Answer privately", discord.ButtonStyle.primary, day=day_id)
        self.day_id = day_id

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Rebuild the button from its day id."""
        return cls(int(match["day"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Open the form with the person's earlier answer, if the day is still open to them."""
        day, prompt = await open_day(bot, self.day_id, interaction.user.id)
        existing = await daily.own_text(bot.db, bot.cipher, day.id, interaction.user.id)
        await interaction.response.send_modal(PairAnswerModal(bot, day.id, prompt.text, existing))


class PassButton(PersistentButton, custom_id=custom_ids.PAIR_PASS):
    """Passes on a pair day for the person who pressed it."""

    def __init__(self, day_id: int, label: str = "") -> None:
        super().__init__(label or "Pass today", day=day_id)
        self.day_id = day_id

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Rebuild the button from its day id."""
        return cls(int(match["day"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Record the pass; it may complete the reveal."""
        await record_response(interaction, bot, self.day_id, None)


PAIR_BUTTONS = (JoinButton, AnswerButton, PassButton)


# --- the reveal --------------------------------------------------------------------------------


def reveal_messages(bot: HearthBot, reveal: Reveal) -> list[list[discord.Embed]]:
    """Return the reveal as messages of embeds, one embed per answer, each message within Discord's limits."""
    texts = texts_of(bot)
    prompt = daily.prompt_of(bot.content.prompts, reveal.day)
    header = discord.Embed(
        title=texts("reveal.title"),
        description=texts("reveal.header", prompt=prompt.text if prompt else "-")[:4096],
        colour=HEARTH_COLOUR,
    )
    answered = [answer for answer in reveal.answers if answer.text is not None]
    passed = [answer.user_id for answer in reveal.answers if answer.text is None]
    if not answered:
        header.add_field(name="\u200b", value=texts("reveal.nobody")[:1024], inline=False)
    elif passed:
        who = ", ".join(mention(user_id) for user_id in passed)
        header.add_field(name="\u200b", value=texts("reveal.passed", who=who)[:1024], inline=False)
    embeds = [header]
    for answer in answered:
        by = texts("reveal.answer_by", who=mention(answer.user_id))
        embeds.append(discord.Embed(description=f"{by}\n{answer.text}"[:4096], colour=HEARTH_COLOUR))
    messages: list[list[discord.Embed]] = [[]]
    for embed in embeds:
        current = messages[-1]
        too_big = sum(len(e) for e in current) + len(embed) > EMBED_TOTAL_LIMIT
        if current and (too_big or len(current) == EMBEDS_PER_MESSAGE):
            messages.append([])
        messages[-1].append(embed)
    return messages


async def send_reveal(bot: HearthBot, reveal: Reveal) -> None:
    """DM the reveal to every member; one who cannot be reached finds it with /pair today."""
    messages = reveal_messages(bot, reveal)
    for member in reveal.members:
        try:
            for embeds in messages:
                await send_dm(
                    bot, bot.db, member, bot.clock.now(), embeds=embeds, allowed_mentions=NO_MENTIONS
                )
        except DmUndeliverableError:
            log.info("Pair day %s: the reveal could not be DMed to one member", reveal.day.id)
        except SEND_FAILURES:
            log.warning("Pair day %s: a reveal DM failed", reveal.day.id, exc_info=True)
