"""Answers for forms and buttons discord.py no longer holds, so nobody ever gets silence.

discord.py drops a modal submit or a component click that matches no open form,
view or dynamic item (after a restart, a timeout, or a second tap on a form that
was already sent) without a word; Discord then shows "This interaction failed".
``HearthViewStore`` answers those privately instead, echoing what was typed into
a closed form so that nothing written is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord.ui.view import ViewStore

from bot.replies import split_message
from bot.ui import HearthModal

if TYPE_CHECKING:
    from discord.state import ConnectionState

log = logging.getLogger(__name__)

FORM_CLOSED = (
    "This form had already closed when you sent it (Hearth may have restarted, or it was open a long time), "
    "so nothing from it was saved. Please open it again."
)
FORM_CLOSED_ECHO = "Here is what you typed, so that it isn't lost:"
FORM_DUPLICATE = "Hearth already received this form, so sending it again changed nothing."
NO_LONGER_AVAILABLE = (
    "This is no longer available (it was removed, or Hearth restarted). "
    "Please run the command again for a fresh one."
)
TEXT_INPUT = 4


def typed_texts(components: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """Yield every non-empty text typed into a submitted form, in the form's order."""
    for component in components:
        if component.get("type") == TEXT_INPUT:
            value = str(component.get("value") or "").strip()
            if value:
                yield value
        nested = component.get("components")
        if isinstance(nested, list):
            yield from typed_texts(nested)
        inner = component.get("component")
        if isinstance(inner, Mapping):
            yield from typed_texts([inner])


def closed_form_replies(texts: Sequence[str]) -> list[str]:
    """Return the private messages answering a closed form: the notice, then the typed texts quoted."""
    if not texts:
        return [FORM_CLOSED]
    quoted = ["\n".join(f"> {line}" for line in text.splitlines()) for text in texts]
    return split_message("\n\n".join([f"{FORM_CLOSED}\n{FORM_CLOSED_ECHO}", *quoted]))


async def send_private_series(interaction: discord.Interaction[Any], messages: Sequence[str]) -> None:
    """Answer with ephemeral, mention-free messages: the first as the response, the rest as followups."""
    quiet = discord.AllowedMentions.none()
    try:
        first, *rest = messages
        await interaction.response.send_message(first, ephemeral=True, allowed_mentions=quiet)
        for message in rest:
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=quiet)
    except discord.HTTPException as error:
        # Ids and status only: what was typed is private and stays out of logs.
        log.warning("Could not answer interaction %s (HTTP %s)", interaction.id, error.status)


class HearthViewStore(ViewStore):
    """discord.py's view store, answering what it would otherwise drop in silence."""

    def __init__(self, state: ConnectionState) -> None:
        super().__init__(state)
        # Counts the tasks discord.py starts for interactions: none started means none handled it.
        self._started = 0

    def add_task(self, task: asyncio.Task[None]) -> None:
        """Keep discord.py's task and count it."""
        self._started += 1
        super().add_task(task)

    def dispatch_view(
        self, component_type: int, custom_id: str, interaction: discord.Interaction[Any]
    ) -> None:
        """Hand a click to its view or dynamic item, or say kindly that it is no longer available."""
        started = self._started
        super().dispatch_view(component_type, custom_id, interaction)
        if self._started == started:
            self.add_task(asyncio.create_task(send_private_series(interaction, [NO_LONGER_AVAILABLE])))

    def dispatch_modal(
        self,
        custom_id: str,
        interaction: discord.Interaction[Any],
        components: list[Any],
        resolved: Any,
    ) -> None:
        """Hand a submit to its open form once; answer a closed or repeated one privately."""
        modal = self._modals.get(custom_id)
        if modal is not None and (not isinstance(modal, HearthModal) or modal.claim()):
            super().dispatch_modal(custom_id, interaction, components, resolved)
            return
        replies = (
            [FORM_DUPLICATE] if modal is not None else closed_form_replies(list(typed_texts(components)))
        )
        self.add_task(asyncio.create_task(send_private_series(interaction, replies)))


def install_view_store(client: discord.Client) -> None:
    """Give ``client`` a HearthViewStore, before any view or form is registered."""
    # discord.py has no hook for unmatched interactions; its store is the one place that knows.
    client._connection._view_store = HearthViewStore(client._connection)
