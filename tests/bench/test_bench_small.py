"""A small fan-out under Discord's rate limits: correctness only, never timings (those are for make bench)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.fanout import run_fanout

pytestmark = pytest.mark.e2e

SERVERS = 200


async def test_fanout_small_delivers_every_prompt_once_without_429(tmp_path: Path) -> None:
    """200 servers due in the same minute each get exactly one prompt, and Discord never answers 429."""
    result = await run_fanout(SERVERS, tmp_path / "hearth.db")
    assert result.problems == []
    assert result.lost == 0
    assert result.duplicated == 0
    assert result.nonce_duplicates == 0
    assert result.rate_limit_hits == 0
    assert result.report.sent == SERVERS
    assert result.requests == SERVERS
