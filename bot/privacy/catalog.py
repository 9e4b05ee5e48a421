"""The one place features register their data for privacy tools: one line per item.

Sealed columns of private text are listed in ``bot/privacy/sealed.py``, which start-up reads
without importing the features.

* ``AGGREGATES``: export, erasure and server purge of each feature's records.
* ``RETAINED``: rows that expire under each person's retention choice.
"""

from __future__ import annotations

from bot.checkins import privacy as checkins
from bot.gratitude import privacy as gratitude
from bot.pairs import privacy as pairs
from bot.privacy import foundation
from bot.privacy.registry import PrivacyAggregate, RetainedTable
from bot.prompts import privacy as prompts
from bot.reminders import privacy as reminders
from bot.repair import privacy as repair

# Erasure runs in this order: features first, the person's own record last.
AGGREGATES: tuple[PrivacyAggregate, ...] = (
    checkins.CHECKINS,
    prompts.PROMPTS,
    reminders.REMINDERS,
    repair.REPAIRS,
    repair.BLOCKS,
    gratitude.GRATITUDE,
    pairs.PAIRS,
    foundation.SCHEDULES,
    foundation.PRIVACY_SETTINGS,
    foundation.USERS,
)

RETAINED: tuple[RetainedTable, ...] = (
    checkins.RETAINED_CHECKINS,
    prompts.RETAINED_ANSWERS,
    pairs.RETAINED_PAIR_ANSWERS,
)
