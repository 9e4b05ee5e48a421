"""Pieces shared by the DM-based cogs (reminders, repair): persistent buttons and failed scheduled DMs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, cast

import discord

from bot.tree import report_interaction_error

if TYPE_CHECKING:
    from bot.app import HearthBot


class GuardedButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button that keeps working after a restart (its state is in its custom_id).

    Subclasses give a ``template`` with named groups, build themselves in
    ``from_match`` and do their work in ``run``; any error becomes a kind,
    ephemeral reply, because the view discord.py builds for a dynamic item has
    no error handler of ours.
    """

    def __init__(
        self,
        custom_id: str,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id), row=row)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id when it is clicked."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls.from_match(match, label or "")

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Build the button from its template match (and its label, as shown).

        By default every group of the template is an integer id, passed to
        ``__init__`` in template order before the label; buttons whose
        custom_id carries other values override this.
        """
        # Subclasses take (ids..., label); GuardedButton's own signature does not apply to them.
        build = cast("Callable[..., Self]", cls)
        return build(*(int(value) for value in match.groups()), label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run the button's work, answering kindly if anything goes wrong."""
        try:
            await self.run(interaction, cast("HearthBot", interaction.client))
        except Exception as error:
            await report_interaction_error(interaction, error)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Do what the button is for."""
        raise NotImplementedError


def persistent_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """Return a view without timeout holding ``items`` (their custom_ids carry all state)."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view
