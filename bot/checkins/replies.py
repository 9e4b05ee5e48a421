"""The private replies after a check-in is saved: thanks, a suggestion for each need, gentle pointers."""

from __future__ import annotations

from collections.abc import Sequence

from bot.content.checkins import CheckinContent

# Scores at or below this get the gentle pointer to professional help.
LOW_SCORE = 2


def is_low(score: int) -> bool:
    """Return whether a score is low enough for the pointer to /resources."""
    return score <= LOW_SCORE


def suggestions_text(needs: Sequence[str], content: CheckinContent) -> str:
    """Return the suggestion written for each chosen need, or a gentle line when none was chosen."""
    chosen = [need for need in (content.need(item) for item in needs) if need is not None]
    if not chosen:
        return content.texts("saved.no_need")
    return "\n\n".join(f"**{need.label}.** {need.suggestion}" for need in chosen)


def saved_text(
    score: int,
    needs: Sequence[str],
    content: CheckinContent,
    *,
    resources: str,
    in_guild: bool,
    thanks: bool = True,
    note_pointer: str | None = None,
) -> str:
    """Return the reply to a saved check-in: the pointer to help, thanks, suggestions, sharing, safety.

    ``note_pointer`` is the gentle message for a note that speaks of self-harm or danger; it
    takes the low-score line's place, since both point to the same help. Help always comes
    before any tip, so that it is the first thing read.
    """
    texts = content.texts
    parts: list[str] = []
    if note_pointer:
        parts.append(note_pointer)
    if thanks:
        parts.append(texts("saved.thanks", score=score, label=content.score(score).label))
    if not note_pointer and is_low(score):
        parts.append(texts("saved.low_score", resources=resources))
    parts.append(suggestions_text(needs, content))
    parts.append(texts("saved.share_hint" if in_guild else "saved.share_in_dm"))
    parts.append(texts("saved.safety"))
    return "\n\n".join(parts)


def score_saved_text(score: int, content: CheckinContent, *, resources: str) -> str:
    """Return the DM after a score button: saved, an offer to add more, and the pointer if it's low."""
    texts = content.texts
    parts = [texts("dm.saved", score=score, label=content.score(score).label)]
    if is_low(score):
        parts.append(texts("saved.low_score", resources=resources))
    return "\n\n".join(parts)
