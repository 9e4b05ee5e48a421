"""Validating a check-in's answers on the server, whatever the Discord client let through."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.content.checkins import CheckinContent
from bot.errors import InvalidInputError

NOTE_LIMIT = 1000
MAX_NEEDS = 3


@dataclass(frozen=True)
class CheckinAnswers:
    """A check-in's validated answers: score 1-5, known feeling and need ids, an optional note."""

    score: int
    feelings: tuple[str, ...]
    needs: tuple[str, ...]
    note: str | None

    def __repr__(self) -> str:
        # The note is private: keep it out of reprs, which end up in logs and tracebacks.
        return f"CheckinAnswers(score={self.score}, feelings={self.feelings}, needs={self.needs})"


def parse_score(raw: str | int | None, content: CheckinContent) -> int:
    """Return the score 1-5 from a radio value or button, refusing anything else."""
    text = str(raw).strip() if raw is not None else ""
    if text not in {"1", "2", "3", "4", "5"}:
        raise InvalidInputError(content.texts("checkin.no_score"))
    return int(text)


def _known(chosen: Iterable[str], allowed: set[str], content: CheckinContent) -> tuple[str, ...]:
    """Return the chosen ids without repeats, in order, refusing any id the content doesn't offer."""
    result: list[str] = []
    for item in chosen:
        if item not in allowed:
            raise InvalidInputError(content.texts("checkin.bad_choice"))
        if item not in result:
            result.append(item)
    return tuple(result)


def validate_feelings(chosen: Iterable[str], content: CheckinContent) -> tuple[str, ...]:
    """Return the chosen feeling ids, all known, without repeats."""
    return _known(chosen, {feeling.id for feeling in content.feelings}, content)


def validate_needs(chosen: Iterable[str], content: CheckinContent) -> tuple[str, ...]:
    """Return the chosen need ids (at most three), all known, without repeats."""
    needs = _known(chosen, {need.id for need in content.needs}, content)
    if len(needs) > MAX_NEEDS:
        raise InvalidInputError(content.texts("checkin.bad_choice"))
    return needs


def clean_note(raw: str | None, content: CheckinContent) -> str | None:
    """Return the note without surrounding blanks (None if empty), refusing one over the limit."""
    note = (raw or "").strip()
    if len(note) > NOTE_LIMIT:
        raise InvalidInputError(content.texts("checkin.note_too_long", limit=NOTE_LIMIT, length=len(note)))
    return note or None


def validate_answers(
    score: str | int | None,
    feelings: Iterable[str],
    needs: Iterable[str],
    note: str | None,
    content: CheckinContent,
) -> CheckinAnswers:
    """Validate a whole check-in form; any problem raises a kind error and nothing is saved."""
    return CheckinAnswers(
        score=parse_score(score, content),
        feelings=validate_feelings(feelings, content),
        needs=validate_needs(needs, content),
        note=clean_note(note, content),
    )
