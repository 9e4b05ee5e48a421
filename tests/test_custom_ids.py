"""Persistent custom_ids: every format builds what it parses, and the formats already sent stay put."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import custom_ids
from bot.custom_ids import CUSTOM_ID_LIMIT, EVERY_FORMAT, CustomId

# What buttons already in Discord's messages carry: a change here would break them.
SENT_BEFORE = {
    "hearth:checkin:dm:3:12:1764763200": custom_ids.CHECKIN_DM,
    "hearth:checkin:dm:later:12:1764763200": custom_ids.CHECKIN_DM,
    "hearth:checkin:details:41": custom_ids.CHECKIN_DETAILS,
    "hearth:checkin:stop": custom_ids.CHECKIN_STOP,
    "hearth:checkin:share:41": custom_ids.CHECKIN_SHARE,
    "hearth:privacy:erase:123456789012345678": custom_ids.PRIVACY_ERASE,
    "hearth:privacy:retain:90:123456789012345678": custom_ids.PRIVACY_RETAIN,
    "hearth:prompt:answer:123456789012345678:20261203": custom_ids.PROMPT_ANSWER,
    "hearth:prompt:pass:123456789012345678:20261203": custom_ids.PROMPT_PASS,
    "hearth:suggestion:approve:7": custom_ids.SUGGESTION_REVIEW,
    "hearth:appr:thank:5": custom_ids.NUDGE_THANK,
    "hearth:appr:snooze:5": custom_ids.NUDGE_SNOOZE,
    "hearth:appr:snz:5:evening": custom_ids.NUDGE_SNOOZE_CHOICE,
    "hearth:appr:done:5": custom_ids.NUDGE_DONE,
    "hearth:appr:stop:9": custom_ids.REMINDER_STOP,
    "hearth:repair:answer:3:ready": custom_ids.REPAIR_ANSWER,
    "hearth:repair:write:3": custom_ids.REPAIR_WRITE,
    "hearth:repair:pause:3:20": custom_ids.REPAIR_PAUSE,
    "hearth:repair:send:3": custom_ids.REPAIR_SEND,
    "hearth:repair:discard:3": custom_ids.REPAIR_DISCARD,
    "hearth:block:123456789012345678": custom_ids.BLOCK,
    "hearth:unblock:123456789012345678": custom_ids.UNBLOCK,
    "hearth:pair:join:12": custom_ids.PAIR_JOIN,
    "hearth:pair:answer:40": custom_ids.PAIR_ANSWER,
    "hearth:pair:pass:40": custom_ids.PAIR_PASS,
}


@pytest.mark.parametrize(("custom_id", "expected"), sorted(SENT_BEFORE.items()))
def test_every_custom_id_sent_before_is_read_by_exactly_its_own_format(
    custom_id: str, expected: CustomId
) -> None:
    """One format, and only that one, takes each id; building its fields gives the same id back."""
    takers = [candidate for candidate in EVERY_FORMAT if candidate.parse(custom_id) is not None]
    assert takers == [expected]
    fields = expected.parse(custom_id)
    assert fields is not None and expected.build(**fields) == custom_id


def test_every_format_is_listed_once() -> None:
    """EVERY_FORMAT is what the pinned ids and the tests walk: nothing may be left out."""
    declared = [value for value in vars(custom_ids).values() if isinstance(value, CustomId)]
    assert sorted(f.prefix for f in declared) == sorted(f.prefix for f in EVERY_FORMAT)
    assert {f.prefix for f in SENT_BEFORE.values()} == {f.prefix for f in EVERY_FORMAT}


def fields_for(format_: CustomId) -> st.SearchStrategy[dict[str, str]]:
    """Generate values that fit each field of ``format_``."""
    return st.fixed_dictionaries(
        {
            name: st.from_regex(re.compile(f"(?:{pattern})"), fullmatch=True)
            for name, pattern in format_.fields
        }
    )


@given(st.sampled_from(EVERY_FORMAT).flatmap(lambda f: st.tuples(st.just(f), fields_for(f))))
def test_what_is_built_parses_back_to_the_same_fields(case: tuple[CustomId, dict[str, str]]) -> None:
    """Any values that fit a format survive the round trip, within Discord's 100 characters."""
    format_, fields = case
    built = format_.build(**fields)
    assert len(built) <= CUSTOM_ID_LIMIT
    assert format_.parse(built) == fields


@given(st.integers(min_value=-(10**3), max_value=-1) | st.text(min_size=1).filter(lambda t: not t.isdigit()))
def test_a_value_that_does_not_fit_is_refused_when_building(value: object) -> None:
    """A negative or non-numeric id never becomes a custom_id a click could not be matched to."""
    with pytest.raises(ValueError, match="does not fit"):
        custom_ids.REPAIR_WRITE.build(request=value)


def test_building_needs_exactly_the_format_fields() -> None:
    """A missing or unknown field is a programming error, caught at once."""
    with pytest.raises(ValueError, match="takes"):
        custom_ids.BLOCK.build()
    with pytest.raises(ValueError, match="takes"):
        custom_ids.BLOCK.build(user=1, extra=2)
