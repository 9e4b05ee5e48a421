"""Where a content text is shown in Discord, and how many characters Discord allows there.

Figures from discord-api-docs: embeds (resources/message), components (message
components), modals and application command choices.
"""

from __future__ import annotations

from enum import StrEnum


class Place(StrEnum):
    """A place in Discord's UI that a text from content/ can be shown in."""

    MESSAGE = "message content"
    EMBED_TITLE = "embed title"
    EMBED_DESCRIPTION = "embed description"
    FIELD_NAME = "embed field name"
    FIELD_VALUE = "embed field value"
    FOOTER = "embed footer"
    AUTHOR = "embed author name"
    BUTTON_LABEL = "button label"
    SELECT_OPTION = "select option label, value or description"
    SELECT_PLACEHOLDER = "select placeholder"
    CHOICE_NAME = "autocomplete or option choice name"
    MODAL_TITLE = "modal title"
    INPUT_LABEL = "text input or label component label"
    LABEL_DESCRIPTION = "label component description"
    INPUT_PLACEHOLDER = "text input placeholder"
    THREAD_NAME = "thread name"


PLACE_LIMITS: dict[Place, int] = {
    Place.MESSAGE: 2000,
    Place.EMBED_TITLE: 256,
    Place.EMBED_DESCRIPTION: 4096,
    Place.FIELD_NAME: 256,
    Place.FIELD_VALUE: 1024,
    Place.FOOTER: 2048,
    Place.AUTHOR: 256,
    Place.BUTTON_LABEL: 80,
    Place.SELECT_OPTION: 100,
    Place.SELECT_PLACEHOLDER: 150,
    Place.CHOICE_NAME: 100,
    Place.MODAL_TITLE: 45,
    Place.INPUT_LABEL: 45,
    Place.LABEL_DESCRIPTION: 100,
    Place.INPUT_PLACEHOLDER: 100,
    Place.THREAD_NAME: 100,
}


def place_limits(places: dict[str, Place], tighter: dict[str, int] | None = None) -> dict[str, int]:
    """Return each text's limit: its place's, or a tighter one the product chose."""
    limits = {key: PLACE_LIMITS[place] for key, place in places.items()}
    for key, limit in (tighter or {}).items():
        limits[key] = min(limit, limits.get(key, limit))
    return limits
