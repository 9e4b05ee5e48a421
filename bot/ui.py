"""Shared pieces of Discord UI: colours, embed limits, and forms that belong to one opening."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Self, TypeVar, cast

import discord

from bot.custom_ids import CustomId
from bot.replies import MESSAGE_LIMIT
from bot.tree import report_interaction_error

__all__ = [
    "EMBEDS_PER_MESSAGE",
    "EMBED_TOTAL_LIMIT",
    "FORM_PREFIX",
    "FORM_TIMEOUT",
    "HEARTH_COLOUR",
    "MESSAGE_LIMIT",
    "HearthModal",
    "HearthView",
    "PersistentButton",
    "PersistentItem",
    "embed_fits",
    "message_fits",
    "persistent_view",
]

HEARTH_COLOUR = discord.Colour(0xE07A5F)
EMBED_TOTAL_LIMIT = 6000
FORM_PREFIX = "hearth:form:"
# How long a form waits for its submit; a later one is answered by the view store, its text echoed back.
FORM_TIMEOUT = 30 * 60.0


EMBEDS_PER_MESSAGE = 10


def embed_fits(embed: discord.Embed) -> bool:
    """Return True when the embed is within Discord's size limits (fields need a name and a value)."""
    if len(embed) > EMBED_TOTAL_LIMIT or len(embed.fields) > 25:
        return False
    if embed.title and len(embed.title) > 256:
        return False
    if embed.description and len(embed.description) > 4096:
        return False
    if embed.footer.text and len(embed.footer.text) > 2048:
        return False
    if embed.author.name and len(embed.author.name) > 256:
        return False
    return all(
        0 < len(field.name or "") <= 256 and 0 < len(field.value or "") <= 1024 for field in embed.fields
    )


def message_fits(content: str | None, embeds: Sequence[discord.Embed] = ()) -> bool:
    """Return True when a message's text and embeds are within Discord's limits, all embeds together."""
    if content is not None and len(content) > MESSAGE_LIMIT:
        return False
    if len(embeds) > EMBEDS_PER_MESSAGE or sum(len(embed) for embed in embeds) > EMBED_TOTAL_LIMIT:
        return False
    return all(embed_fits(embed) for embed in embeds)


class HearthView(discord.ui.View):
    """A view whose callback errors are answered like command errors."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Answer the interaction kindly and log unexpected errors."""
        await report_interaction_error(interaction, error)


class HearthModal(discord.ui.Modal):
    """A form of one opening: its own custom_id, one submit, and errors answered like command errors.

    discord.py keeps open forms keyed by custom_id alone, across every user, so a
    fixed custom_id would let one person's opening replace another's. Each
    opening gets a random one instead, and state lives on the object or in the
    database, never on a cog.
    """

    def __init__(self, *, title: str, form: str, timeout: float | None = FORM_TIMEOUT) -> None:
        super().__init__(
            title=title, custom_id=f"{FORM_PREFIX}{form}:{secrets.token_hex(8)}", timeout=timeout
        )
        self._claimed = False

    def claim(self) -> bool:
        """Take the form's one submit; False for any later one (a double tap), which must change nothing."""
        if self._claimed:
            return False
        self._claimed = True
        return True

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        """Answer the interaction kindly, log unexpected errors, and close the form."""
        # Discord closes the form on the person's screen once it is answered; ours closes with it.
        self.stop()
        await report_interaction_error(interaction, error)


ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])


class PersistentItem(discord.ui.DynamicItem[ItemT], template=r"(?!)"):
    """A component that keeps working after a restart: its state is in its custom_id.

    A subclass names its format from bot/custom_ids.py (``custom_id=``), does its
    work in ``run`` and may raise: every error becomes a kind, private reply,
    because the view discord.py builds for a dynamic item has no error handler of ours.
    """

    custom_id_format: ClassVar[CustomId]

    def __init_subclass__(cls, *, custom_id: CustomId | None = None) -> None:
        if custom_id is not None:
            cls.custom_id_format = custom_id
        # A base without a format of its own matches no custom_id.
        super().__init_subclass__(template=r"(?!)" if custom_id is None else custom_id.template)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Run the component's work, answering kindly if anything goes wrong."""
        try:
            await self.run(interaction, interaction.client)
        except Exception as error:
            await report_interaction_error(interaction, error)

    async def run(self, interaction: discord.Interaction[Any], bot: Any) -> None:
        """Do what the component is for (``bot`` is the HearthBot)."""
        raise NotImplementedError


class PersistentButton(PersistentItem[discord.ui.Button[Any]]):
    """A persistent button; its fields are given by name and built into its custom_id."""

    def __init__(
        self,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
        **fields: object,
    ) -> None:
        custom_id = self.custom_id_format.build(**fields)
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
        """Build the button from its custom_id's fields and the label it shows.

        By default every field is an integer id, passed to ``__init__`` in order
        before the label; buttons whose fields are other values override this.
        """
        # Subclasses take (ids..., label); the base's own signature does not apply to them.
        build = cast("Callable[..., Self]", cls)
        return build(*(int(value) for value in match.groups()), label)


def persistent_view(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """Return a view without timeout holding ``items`` (their custom_ids carry all state)."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view
