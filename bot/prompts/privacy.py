"""Daily prompts as the privacy tools see them: export, erasure (reveals included) and server purge."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import discord

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import answers, circles, passes, prompt_config, prompt_posts, schedules, suggestions
from bot.db.repos.answers import ShownAnswer
from bot.privacy.foundation import iso
from bot.privacy.registry import Counts, ErasureContext, ExportData, PrivacyAggregate, RetainedTable
from bot.prompts.posting import owner_key

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


def is_answer_of(embed: discord.Embed, user_id: int) -> bool:
    """Return whether a reveal embed is ``user_id``'s answer (its first line names its author)."""
    author_line = (embed.description or "").split("\n", 1)[0]
    return f"<@{user_id}>" in author_line


async def remove_from_reveal(client: discord.Client, shown: ShownAnswer, user_id: int) -> None:
    """Edit one reveal message so it no longer shows ``user_id``'s answer (delete it if nothing is left)."""
    channel = client.get_partial_messageable(shown.channel_id)
    message = await channel.fetch_message(shown.message_id)
    kept = [embed for embed in message.embeds if not is_answer_of(embed, user_id)]
    if len(kept) == len(message.embeds):
        return
    if kept:
        await message.edit(embeds=kept, allowed_mentions=discord.AllowedMentions.none())
    else:
        # A message holding only their answer (one added after the reveal) has nothing left to show.
        await message.delete()


async def remove_from_reveals(client: discord.Client, shown: Iterable[ShownAnswer], user_id: int) -> int:
    """Remove ``user_id``'s answers from the reveal messages showing them; return how many changed."""
    changed = 0
    # One edit per message, even when it shows several of their answers.
    unique = {(item.channel_id, item.message_id): item for item in shown}
    for place in unique.values():
        try:
            await remove_from_reveal(client, place, user_id)
        except discord.NotFound:
            # The message (or its channel) is gone already: nothing shows the answer any more.
            continue
        except discord.HTTPException as error:
            # Ids and the status only: Discord's error text is not ours to log.
            log.warning(
                "Could not remove an erased answer from message %s in channel %s (HTTP %s)",
                place.message_id,
                place.channel_id,
                error.status,
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
        await remove_from_reveals(context.client, shown, user_id)
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
