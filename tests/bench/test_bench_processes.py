"""The multi-process benchmark on a small fan-out: correctness only (the figures are for make bench)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.processes import run_scenario
from tests.backends import PostgresDatabases, database_url_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SERVERS = 60


@pytest.mark.parametrize("scenario", ["together", "sigkill"])
async def test_two_processes_post_everything_once(
    scenario: str, tmp_path: Path, postgres_databases: PostgresDatabases | None
) -> None:
    """Every server gets one post, no global 429, IDENTIFYs 5 s apart; a SIGKILLed process catches up."""
    if postgres_databases is None:
        pytest.skip("several processes need PostgreSQL")
    async with database_url_for("postgresql", tmp_path, postgres_databases) as url:
        result = await run_scenario(
            scenario, servers=SERVERS, processes=2, database_url=url, workdir=tmp_path, send_rate=12
        )
    assert (result.total.lost, result.total.duplicated) == (0, 0)
    assert result.total.on_time == SERVERS
    assert result.global_429s == 0
    assert result.identifies_refused == 0
    assert all(gap >= 5 for gaps in result.identify_gaps.values() for gap in gaps)
    if scenario == "sigkill":
        assert result.killed_after_posts is not None
        assert result.killed_after_posts < SERVERS // 2
