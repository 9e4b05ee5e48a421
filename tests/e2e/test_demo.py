"""`hearth demo` in process: the whole tour plays and prints what each person sees."""

from __future__ import annotations

import io

import pytest

from bot.demo.tour import run_demo

pytestmark = pytest.mark.e2e


async def test_demo_plays_every_step(network_guard: list[str]) -> None:
    """Every step of the tour appears, with who sees it and how long it took; nothing leaves 127.0.0.1."""
    out = io.StringIO()
    assert await run_demo(out) == 0, out.getvalue()
    text = out.getvalue()
    for seen in (
        "/setup prompts",
        "TODAY'S PROMPT",
        "and a thread under it",
        "Only Alice sees",
        "Everyone in the thread",
        "4/5",
        "A THANK-YOU",
        "hearth-export-",
    ):
        assert seen in text, seen
    assert "Tired but glad." not in text.split("sends it")[-1], "the note is never shown back"
    assert network_guard == []
