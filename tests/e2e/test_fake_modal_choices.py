"""The fake Discord checks modal radio groups, checkbox groups and selects as Discord's docs describe them."""

from __future__ import annotations

import json
from typing import Any

import discord
import pytest

from bot.content.checkins import load_checkin_content
from bot.content.library import CONTENT_DIR
from bot.fake_discord.components import validate_modal
from bot.fake_discord.errors import ApiError
from cogs._checkin_form import CheckinForm

ONE_OPTION = [{"label": "B", "value": "b"}]


def modal_with(component: dict[str, Any]) -> dict[str, Any]:
    """Return a modal holding one Label around ``component``."""
    return {
        "title": "Check in",
        "custom_id": "m",
        "components": [{"type": 18, "label": "Question", "component": component}],
    }


def radio(count: int, **extra: Any) -> dict[str, Any]:
    options = [{"label": f"L{i}", "value": str(i)} for i in range(count)]
    return {"type": 21, "custom_id": "r", "options": options, **extra}


def checkboxes(count: int, **extra: Any) -> dict[str, Any]:
    options = [{"label": f"L{i}", "value": str(i)} for i in range(count)]
    return {"type": 22, "custom_id": "c", "options": options, **extra}


@pytest.mark.parametrize(
    "component",
    [
        radio(2),
        radio(10, required=False),
        checkboxes(1),
        checkboxes(10, min_values=0, max_values=10, required=False),
        {"type": 23, "custom_id": "x", "default": True},
        {
            "type": 3,
            "custom_id": "s",
            "options": [{"label": "A", "value": "a"}],
            "min_values": 0,
            "required": False,
        },
    ],
)
def test_fake_accepts_modal_choices_discord_accepts(component: dict[str, Any]) -> None:
    """Radio groups of 2-10, checkbox groups of 1-10, checkboxes and optional selects pass."""
    validate_modal(modal_with(component))


@pytest.mark.parametrize(
    ("component", "field"),
    [
        (radio(1), "options"),
        (radio(11), "options"),
        ({**radio(3), "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "a"}]}, "value"),
        ({**radio(2), "options": [{"label": "A", "value": "a", "default": True}] * 2}, "options"),
        (checkboxes(0), "options"),
        (checkboxes(3, min_values=0), "min_values"),
        (checkboxes(3, min_values=2, max_values=1), "min_values"),
        (checkboxes(3, max_values=4), "max_values"),
        (
            {**radio(2), "options": [{"label": "x" * 101, "value": "a"}, {"label": "B", "value": "b"}]},
            "label",
        ),
        (
            {"type": 3, "custom_id": "s", "options": [{"label": "A", "value": "a"}], "disabled": True},
            "disabled",
        ),
    ],
)
def test_fake_refuses_modal_choices_discord_refuses(component: dict[str, Any], field: str) -> None:
    """Too few or many options, duplicate values, two defaults, bad min/max and disabled fields are 50035."""
    with pytest.raises(ApiError) as caught:
        validate_modal(modal_with(component))
    assert caught.value.code == 50035
    assert field in json.dumps(caught.value.errors)


async def test_checkin_form_payload_passes_the_fake() -> None:
    """The check-in form as discord.py serialises it is a modal Discord accepts."""
    form = CheckinForm(load_checkin_content(CONTENT_DIR / "checkins.toml"))
    payload = form.to_dict()
    validate_modal(payload)
    assert isinstance(form, discord.ui.Modal)
