"""The guided repair flow's steps, I-statement template, tips and wording, from content/repair.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.texts import TextTable, read_text_table
from bot.content.toml_files import read_toml, require_str

MODAL_TITLE_LIMIT = 45
LABEL_LIMIT = 45
PLACEHOLDER_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
EMBED_FIELD_NAME_LIMIT = 256
STEP_TEXT_LIMIT = 200
DEFAULT_LIMIT = 1000

_BUTTONS = (
    "start.button_write",
    "start.button_pause_20",
    "start.button_pause_60",
    "preview.button_send",
    "preview.button_edit",
    "preview.button_discard",
    "recipient.button_ready",
    "recipient.button_time",
    "recipient.button_later",
    "recipient.button_block",
    "block.button_undo",
)
_LABELS = ("feel", "when", "because", "need", "will_do")
LIMITS: dict[str, int] = (
    dict.fromkeys(_BUTTONS, BUTTON_LABEL_LIMIT)
    | {f"modal.{part}_label": LABEL_LIMIT for part in _LABELS}
    | {f"modal.{part}_placeholder": PLACEHOLDER_LIMIT for part in _LABELS}
    | {"modal.title": MODAL_TITLE_LIMIT, "start.title": 200, "start.steps_title": EMBED_FIELD_NAME_LIMIT}
    | {"preview.tips_title": EMBED_FIELD_NAME_LIMIT, "template.statement": 300, "template.will_do": 100}
)

# Every text the code uses, with the placeholders it fills in.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "start.title": frozenset({"who"}),
    "start.scope": frozenset({"who", "resources"}),
    "start.steps_title": frozenset(),
    "start.pause": frozenset(),
    "start.button_write": frozenset(),
    "start.button_pause_20": frozenset(),
    "start.button_pause_60": frozenset(),
    "start.paused": frozenset({"when"}),
    "start.pause_dm": frozenset({"who"}),
    "start.no_bots": frozenset(),
    "start.not_yourself": frozenset(),
    "start.not_member": frozenset(),
    "start.capped": frozenset({"who", "limit", "when"}),
    "start.expired": frozenset({"start"}),
    "start.not_yours": frozenset(),
    "modal.title": frozenset(),
    **{f"modal.{part}_label": frozenset() for part in _LABELS},
    **{f"modal.{part}_placeholder": frozenset() for part in _LABELS},
    "template.statement": frozenset({"feel", "when", "because", "need"}),
    "template.will_do": frozenset({"will_do"}),
    "preview.intro": frozenset({"who"}),
    "preview.tips_title": frozenset(),
    "preview.outro": frozenset({"who"}),
    "preview.button_send": frozenset(),
    "preview.button_edit": frozenset(),
    "preview.button_discard": frozenset(),
    "preview.empty": frozenset({"part"}),
    "preview.too_long": frozenset({"part", "length", "limit"}),
    "preview.discarded": frozenset(),
    "send.sent": frozenset({"who", "cancel"}),
    "send.undeliverable": frozenset({"who"}),
    "send.failed": frozenset(),
    "send.already": frozenset(),
    "recipient.message": frozenset({"name"}),
    "recipient.safety": frozenset({"resources"}),
    "recipient.button_ready": frozenset(),
    "recipient.button_time": frozenset(),
    "recipient.button_later": frozenset(),
    "recipient.button_block": frozenset(),
    "recipient.thanks": frozenset({"name", "answer"}),
    "recipient.withdrawn": frozenset({"name"}),
    "recipient.withdrawn_dm": frozenset({"name"}),
    "notice.ready": frozenset({"name"}),
    "notice.time": frozenset({"name"}),
    "notice.later": frozenset({"name"}),
    "follow_up.message": frozenset({"name", "checkin"}),
    "block.done": frozenset({"name"}),
    "block.button_undo": frozenset(),
    "block.undone": frozenset({"name"}),
    "block.yourself": frozenset(),
    "cancel.withdrawn": frozenset({"who"}),
    "cancel.withdrawn_draft": frozenset({"who"}),
    "cancel.none": frozenset(),
}


@dataclass(frozen=True)
class RepairStep:
    """One step of repair, as the flow explains it."""

    name: str
    text: str


@dataclass(frozen=True)
class RepairContent:
    """Everything the repair flow says."""

    steps: tuple[RepairStep, ...]
    # (phrase, tip) pairs: a tip is shown in the preview when its phrase appears.
    flags: tuple[tuple[str, str], ...]
    texts: TextTable


def load_repair(path: Path) -> RepairContent:
    """Load and validate the repair flow's content."""
    data = dict(read_toml(path))
    where = path.name
    problems: list[str] = []
    steps: list[RepairStep] = []
    raw_steps = data.pop("step", [])
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(f"{where}: at least one [[step]] is needed")
        raw_steps = []
    for index, raw in enumerate(raw_steps, start=1):
        place = f"{where} step {index}"
        steps.append(
            RepairStep(
                require_str(raw, "name", place, problems, max_len=60),
                require_str(raw, "text", place, problems, max_len=STEP_TEXT_LIMIT),
            )
        )
    flags: list[tuple[str, str]] = []
    raw_flags = data.pop("flag", [])
    if not isinstance(raw_flags, list):
        problems.append(f"{where}: 'flag' must be a list of [[flag]] tables")
        raw_flags = []
    for index, raw in enumerate(raw_flags, start=1):
        place = f"{where} flag {index}"
        phrase = require_str(raw, "phrase", place, problems, max_len=60)
        tip = require_str(raw, "tip", place, problems, max_len=300)
        flags.append((phrase.lower(), tip))
    texts = read_text_table(data, where, PLACEHOLDERS, problems, limits=LIMITS, default_limit=DEFAULT_LIMIT)
    if problems:
        raise ContentError(problems)
    return RepairContent(tuple(steps), tuple(flags), texts)
