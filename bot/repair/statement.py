"""Building an "I" statement from its parts: cleaning, validating, assembling and gentle tips.

The statement is private text: nothing here logs it or puts it in an
exception message; problems name the part and its length only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum


class Part(StrEnum):
    """The parts of an I-statement, in the order they are asked for."""

    FEEL = "feel"
    WHEN = "when"
    BECAUSE = "because"
    NEED = "need"
    WILL_DO = "will_do"


REQUIRED_PARTS = (Part.FEEL, Part.WHEN, Part.BECAUSE, Part.NEED)
# Each part's limit; together with the template they stay well inside one 2000-character DM.
PART_LIMITS: dict[Part, int] = {
    Part.FEEL: 150,
    Part.WHEN: 300,
    Part.BECAUSE: 300,
    Part.NEED: 300,
    Part.WILL_DO: 300,
}
# Words people often type although the template already says them ("I feel" + "I feel hurt").
_LEADS: dict[Part, tuple[str, ...]] = {
    Part.FEEL: ("i'm feeling", "i am feeling", "i feel", "i felt", "feeling", "feel"),
    Part.WHEN: ("when",),
    Part.BECAUSE: ("because",),
    Part.NEED: ("what i need is", "what i'd need is", "i need", "need"),
    Part.WILL_DO: (
        "next time, i'll",
        "next time i'll",
        "next time, i will",
        "next time i will",
        "i'll",
        "i will",
    ),
}
_TRAILING = ".,;:!… \t"


@dataclass(frozen=True)
class Statement:
    """The parts of one I-statement as the person wrote them (``will_do`` is optional)."""

    feel: str
    when: str
    because: str
    need: str
    will_do: str = ""

    def part(self, name: Part) -> str:
        """Return one part by name."""
        return str(getattr(self, name.value))


class ProblemKind(StrEnum):
    """What is wrong with a part."""

    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Problem:
    """One reason a statement cannot be sent yet; carries no user text."""

    part: Part
    kind: ProblemKind
    length: int
    limit: int


def _normalise_apostrophes(text: str) -> str:
    """Return ``text`` with typographic apostrophes made plain, for matching only."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def clean_part(name: Part, text: str) -> str:
    """Return a part with whitespace collapsed and a repeated lead ("I feel") and end punctuation removed."""
    cleaned = " ".join(text.split())
    comparable = _normalise_apostrophes(cleaned).lower()
    for lead in _LEADS[name]:
        if comparable == lead:
            return ""
        if comparable.startswith((lead + " ", lead + ",")):
            cleaned = cleaned[len(lead) :].lstrip(" ,")
            break
    return cleaned.rstrip(_TRAILING)


def clean_statement(statement: Statement) -> Statement:
    """Return the statement with every part cleaned."""
    return replace(statement, **{name.value: clean_part(name, statement.part(name)) for name in Part})


def problems_of(statement: Statement) -> list[Problem]:
    """Return what keeps a (cleaned) statement from being sent: empty required parts, overlong parts."""
    problems: list[Problem] = []
    for name in Part:
        text = statement.part(name)
        limit = PART_LIMITS[name]
        if name in REQUIRED_PARTS and not text.strip():
            problems.append(Problem(name, ProblemKind.EMPTY, 0, limit))
        elif len(text) > limit:
            problems.append(Problem(name, ProblemKind.TOO_LONG, len(text), limit))
    return problems


def assemble(statement: Statement, template: str, will_do_template: str) -> str:
    """Return the statement as one message, e.g. "I feel hurt when …, because …. What I need is …."."""
    text = template.format(
        feel=statement.feel, when=statement.when, because=statement.because, need=statement.need
    )
    if statement.will_do.strip():
        text = f"{text} {will_do_template.format(will_do=statement.will_do)}"
    return text


def gentle_tips(text: str, flags: Sequence[tuple[str, str]]) -> list[str]:
    """Return the tip of each flagged phrase (e.g. "you always") found in ``text``, once each, in order."""
    comparable = _normalise_apostrophes(text).lower()
    tips: list[str] = []
    for phrase, tip in flags:
        pattern = r"\b" + re.escape(_normalise_apostrophes(phrase).lower()) + r"\b"
        if re.search(pattern, comparable) and tip not in tips:
            tips.append(tip)
    return tips
