"""What a shared check-in says: score, feelings and needs, and never the note."""

from __future__ import annotations

from bot.content.checkins import CheckinContent
from bot.db.repos.checkins import Checkin
from bot.replies import fit_message


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
    return fit_message("\n".join(lines))
