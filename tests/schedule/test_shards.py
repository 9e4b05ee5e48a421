"""Which servers a sharded process serves: Discord's formula and the process's claimant name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.schedule.shards import ShardScope, shard_of

snowflakes = st.integers(min_value=0, max_value=2**63 - 1)


def test_shard_of_follows_discords_formula() -> None:
    # Discord's documented example: with 2 shards, this id's timestamp bits make it shard 1.
    assert shard_of(81384788765712384, 2) == (81384788765712384 >> 22) % 2
    assert shard_of(0, 5) == 0


@given(snowflakes, st.integers(min_value=1, max_value=64))
def test_every_server_belongs_to_exactly_one_shard(guild_id: int, count: int) -> None:
    owners = [shard for shard in range(count) if ShardScope(count, frozenset({shard})).owns(guild_id)]
    assert owners == [shard_of(guild_id, count)]


@given(snowflakes, st.integers(min_value=1, max_value=64))
def test_the_low_22_bits_never_move_a_server(guild_id: int, count: int) -> None:
    assert shard_of(guild_id, count) == shard_of(guild_id & ~((1 << 22) - 1), count)


def test_scope_is_validated_and_named_stably() -> None:
    assert ShardScope(4, frozenset({3, 1})).claimant == "shards 1,3 of 4"
    with pytest.raises(ValueError, match="between 0 and 1"):
        ShardScope(2, frozenset({2}))
    with pytest.raises(ValueError, match="at least 1"):
        ShardScope(0, frozenset({0}))
