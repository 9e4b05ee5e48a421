"""What a shared check-in says: score, feelings and needs, and never the note."""

from __future__ import annotations

from bot.content.checkins import CheckinContent
from bot.db.repos.checkins import Checkin
from bot.ui import MESSAGE_LIMIT


def share_text(checkin: Checkin, author: str, content: CheckinContent) -> str:
    """Return the DM a chosen person receives; ``author`` is already escaped for markdown."""
    texts = content.texts
    score = content.score(checkin.score)
    lines = [
        texts("share.dm_intro", author=author),
        texts("share.dm_score", score=checkin.score, label=score.label),
    ]
    feelings = content.feeling_labels(checkin.feelings)
    if feelings:
        lines.append(texts("share.dm_feelings", feelings=", ".join(feelings)))
    needs = content.need_labels(checkin.needs)
    if needs:
        lines.append(texts("share.dm_needs", needs=", ".join(needs)))
    lines.append(texts("share.dm_footer"))
    return "\n".join(lines)[:MESSAGE_LIMIT]


def join_people(names: list[str]) -> str:
    """Return "A", "A and B" or "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
