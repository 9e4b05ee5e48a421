"""Daily prompts as the privacy tools see them: export, erasure (reveals included) and server purge."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

import discord

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import answers, circles, passes, prompt_config, prompt_posts, schedules, suggestions
from bot.db.repos.answers import ShownAnswer
from bot.delivery import SEND_FAILURES, reason_of
from bot.privacy.foundation import iso
from bot.privacy.registry import Counts, ErasureContext, ExportData, PrivacyAggregate, RetainedTable
from bot.prompts.cards import RevealEntry, build_reveal
from bot.prompts.posting import owner_key

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

# Defined next to the SQL that seals it; named here for the catalog.
TEXT_COLUMN = answers.TEXT_COLUMN
RETAINED_ANSWERS = RetainedTable("prompt_answers", "user_id", "created_at")


async def export_user_prompts(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the person's answers (opened), passes, circles and the prompts they suggested."""
    data: ExportData = {}
    mine = await answers.for_user(db, cipher, user_id)
    if mine:
        data["answers"] = [
            {
                "post_id": answer.post_id,
                "server_id": str(answer.guild_id),
                "text": answer.text,
                "created_at": iso(answer.created_at),
                "updated_at": iso(answer.updated_at),
                "shared_at": iso(answer.shared_at),
            }
            for answer in mine
        ]
    passed = await passes.for_user(db, user_id)
    if passed:
        data["passes"] = [
            {"post_id": item.post_id, "server_id": str(item.guild_id), "passed_at": iso(item.passed_at)}
            for item in passed
        ]
    memberships = await circles.memberships_of(db, user_id)
    if memberships:
        data["circles"] = [
            {"server_id": str(guild_id), "joined_at": iso(joined_at)} for guild_id, joined_at in memberships
        ]
    suggested = await suggestions.by_author(db, user_id)
    if suggested:
        data["suggestions"] = [
            {
                "id": item.id,
                "server_id": str(item.guild_id),
                "text": item.text,
                "theme": item.theme,
                "status": item.status.value,
                "created_at": iso(item.created_at),
            }
            for item in suggested
        ]
    return data


async def remove_from_reveal(
    db: Database, client: discord.Client, cipher: DataCipher, shown: ShownAnswer
) -> None:
    """Re-render one reveal message from the answers it still shows (delete it if none are left).

    Editing and deleting the bot's own message by id need no Read Message History,
    which the invite does not ask for; fetching the message first would.
    """
    kept = await answers.shown_in_message(db, cipher, shown.post_id, shown.message_id)
    message = client.get_partial_messageable(shown.channel_id).get_partial_message(shown.message_id)
    if not kept:
        # A message holding only their answer (one added after the reveal) has nothing left to show.
        await message.delete()
        return
    texts = cast("HearthBot", client).content.daily_prompts
    # What one message showed fits one message again with an answer fewer.
    embeds = build_reveal([RevealEntry(answer.user_id, answer.text) for answer in kept], texts)[0]
    await message.edit(embeds=embeds, allowed_mentions=discord.AllowedMentions.none())


async def remove_from_reveals(
    db: Database, client: discord.Client, cipher: DataCipher, shown: Iterable[ShownAnswer]
) -> int:
    """Re-render the reveal messages that showed erased answers; return how many changed."""
    changed = 0
    # One edit per message, even when it shows several of their answers.
    unique = {(item.channel_id, item.message_id): item for item in shown}
    for place in unique.values():
        try:
            await remove_from_reveal(db, client, cipher, place)
        except discord.NotFound:
            # The message (or its channel) is gone already: nothing shows the answer any more.
            continue
        except SEND_FAILURES as error:
            # Ids and the status only: Discord's error text is not ours to log.
            log.warning(
                "Could not remove an erased answer from message %s in channel %s (%s)",
                place.message_id,
                place.channel_id,
                reason_of(error),
            )
            continue
        changed += 1
    return changed


async def delete_user_prompts(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Erase the person's answers (and remove them from reveals), passes, circle places and suggestions."""
    shown = await answers.shown_of_user(db, user_id)
    # The records go first, each in its own statement: Discord calls come after, outside any transaction.
    counts = {
        "answers": await answers.delete_for_user(db, user_id),
        "passes": await passes.delete_for_user(db, user_id),
        "circle_memberships": await circles.delete_for_user(db, user_id),
        "suggestions": await suggestions.delete_by_author(db, user_id),
    }
    await suggestions.forget_reviewer(db, user_id)
    if context.client is not None and shown:
        await remove_from_reveals(db, context.client, context.cipher, shown)
    return counts


async def purge_guild_prompts(db: Database, guild_id: int) -> Counts:
    """Delete a server's prompt settings, schedule, posts, answers, circle and suggestions."""
    return {
        "prompt_schedules": int(await schedules.delete_by_owner_key(db, owner_key(guild_id))),
        "answers": await answers.delete_for_guild(db, guild_id),
        "prompt_posts": await prompt_posts.delete_for_guild(db, guild_id),
        "prompt_configs": int(await prompt_config.delete(db, guild_id)),
        "circle_memberships": await circles.delete_for_guild(db, guild_id),
        "suggestions": await suggestions.delete_for_guild(db, guild_id),
    }


PROMPTS = PrivacyAggregate(
    "prompts",
    export_user=export_user_prompts,
    delete_user=delete_user_prompts,
    purge_guild=purge_guild_prompts,
)
