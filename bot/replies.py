"""Sending replies to interactions, whether or not they were answered yet."""

from __future__ import annotations

from typing import Any

import discord


def mention(user_id: int) -> str:
    """Return a user mention: shown as their name, and it pings nobody unless allowed_mentions says so."""
    return f"<@{user_id}>"


async def send_private(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    allowed_mentions: discord.AllowedMentions | None = None,
) -> None:
    """Reply ephemerally, as the first response or as a followup if one was already sent."""
    kwargs: dict[str, Any] = {"ephemeral": True}
    if content is not None:
        kwargs["content"] = fit_message(content)
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    kwargs["allowed_mentions"] = allowed_mentions or discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


MESSAGE_LIMIT = 2000


def fit_message(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Return ``text`` cut to Discord's message length, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PERMISSION_NAMES = {
    "manage_guild": "Manage Server",
    "manage_messages": "Manage Messages",
    "view_channel": "View Channel",
    "read_messages": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
    "create_public_threads": "Create Public Threads",
    "send_messages_in_threads": "Send Messages in Threads",
    "read_message_history": "Read Message History",
    "mention_everyone": "Mention @everyone, @here, and All Roles",
    "add_reactions": "Add Reactions",
    "administrator": "Administrator",
}


def permission_label(name: str) -> str:
    """Return the name Discord's UI shows for a permission attribute."""
    return _PERMISSION_NAMES.get(name, name.replace("_", " ").title())


def join_names(names: list[str]) -> str:
    """Join names as "A", "A and B" or "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def join_labels(names: list[str]) -> str:
    """Return permission names as readable, bolded text ("**A**, **B** and **C**")."""
    return join_names([f"**{permission_label(name)}**" for name in names])


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` characters, at line breaks where possible."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest:
        parts.append(rest)
    return parts
