"""Every custom_id of a button or menu that outlives the process: each format built and parsed here.

A persistent component carries its state in its custom_id, so a click after a
restart still knows what it is about. The formats below are what Discord holds
in messages already sent: changing one breaks every button sent before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Discord allows 100 characters in a custom_id.
CUSTOM_ID_LIMIT = 100
SNOWFLAKE = "[0-9]{1,20}"
ROW_ID = "[0-9]{1,19}"
# A local date as YYYYMMDD.
DAY = "[0-9]{8}"


@dataclass(frozen=True)
class CustomId:
    """A custom_id format: a fixed prefix, then named fields separated by colons."""

    prefix: str
    fields: tuple[tuple[str, str], ...] = ()
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(self.template))

    @property
    def template(self) -> str:
        """Return the regular expression discord.py matches clicks against, one named group per field."""
        groups = [f"(?P<{name}>{pattern})" for name, pattern in self.fields]
        return ":".join([re.escape(self.prefix), *groups])

    def build(self, **values: object) -> str:
        """Return the custom_id for ``values``; raise ValueError if a value does not fit its field."""
        names = [name for name, _ in self.fields]
        if sorted(values) != sorted(names):
            raise ValueError(f"{self.prefix} takes {names}, not {sorted(values)}")
        custom_id = ":".join([self.prefix, *(str(values[name]) for name in names)])
        if len(custom_id) > CUSTOM_ID_LIMIT or self._pattern.fullmatch(custom_id) is None:
            raise ValueError(f"a value does not fit the custom_id format {self.prefix}")
        return custom_id

    def parse(self, custom_id: str) -> dict[str, str] | None:
        """Return the fields of ``custom_id``, or None if it is not of this format."""
        match = self._pattern.fullmatch(custom_id)
        return None if match is None else match.groupdict()


CHECKIN_DM = CustomId(
    "hearth:checkin:dm", (("action", "[1-5]|later|skip"), ("schedule", ROW_ID), ("sent", "[0-9]{1,12}"))
)
CHECKIN_DETAILS = CustomId("hearth:checkin:details", (("id", ROW_ID),))
CHECKIN_STOP = CustomId("hearth:checkin:stop")
CHECKIN_SHARE = CustomId("hearth:checkin:share", (("id", ROW_ID),))
PRIVACY_ERASE = CustomId("hearth:privacy", (("action", "erase|keep"), ("user", SNOWFLAKE)))
PRIVACY_RETAIN = CustomId("hearth:privacy:retain", (("days", "[0-9]{1,3}"), ("user", SNOWFLAKE)))
PROMPT_ANSWER = CustomId("hearth:prompt:answer", (("guild", SNOWFLAKE), ("day", DAY)))
PROMPT_PASS = CustomId("hearth:prompt:pass", (("guild", SNOWFLAKE), ("day", DAY)))
SUGGESTION_REVIEW = CustomId("hearth:suggestion", (("action", "approve|reject"), ("id", ROW_ID)))
NUDGE_THANK = CustomId("hearth:appr:thank", (("nudge", ROW_ID),))
NUDGE_SNOOZE = CustomId("hearth:appr:snooze", (("nudge", ROW_ID),))
NUDGE_SNOOZE_CHOICE = CustomId("hearth:appr:snz", (("nudge", ROW_ID), ("choice", "hour|evening|tomorrow")))
NUDGE_DONE = CustomId("hearth:appr:done", (("nudge", ROW_ID),))
REMINDER_STOP = CustomId("hearth:appr:stop", (("reminder", ROW_ID),))
REPAIR_ANSWER = CustomId("hearth:repair:answer", (("request", ROW_ID), ("answer", "ready|time|later")))
REPAIR_WRITE = CustomId("hearth:repair:write", (("request", ROW_ID),))
REPAIR_PAUSE = CustomId("hearth:repair:pause", (("request", ROW_ID), ("minutes", "20|60")))
REPAIR_SEND = CustomId("hearth:repair:send", (("request", ROW_ID),))
REPAIR_DISCARD = CustomId("hearth:repair:discard", (("request", ROW_ID),))
BLOCK = CustomId("hearth:block", (("user", ROW_ID),))
UNBLOCK = CustomId("hearth:unblock", (("user", ROW_ID),))
PAIR_JOIN = CustomId("hearth:pair:join", (("pair", ROW_ID),))
PAIR_ANSWER = CustomId("hearth:pair:answer", (("day", ROW_ID),))
PAIR_PASS = CustomId("hearth:pair:pass", (("day", ROW_ID),))

EVERY_FORMAT = (
    CHECKIN_DM,
    CHECKIN_DETAILS,
    CHECKIN_STOP,
    CHECKIN_SHARE,
    PRIVACY_ERASE,
    PRIVACY_RETAIN,
    PROMPT_ANSWER,
    PROMPT_PASS,
    SUGGESTION_REVIEW,
    NUDGE_THANK,
    NUDGE_SNOOZE,
    NUDGE_SNOOZE_CHOICE,
    NUDGE_DONE,
    REMINDER_STOP,
    REPAIR_ANSWER,
    REPAIR_WRITE,
    REPAIR_PAUSE,
    REPAIR_SEND,
    REPAIR_DISCARD,
    BLOCK,
    UNBLOCK,
    PAIR_JOIN,
    PAIR_ANSWER,
    PAIR_PASS,
)
