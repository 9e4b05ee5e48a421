"""The wording of /help, from content/help.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.toml_files import read_toml, require_str

EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048


@dataclass(frozen=True)
class HelpSection:
    """A group of related commands with a line about them."""

    name: str
    text: str
    commands: tuple[str, ...]


@dataclass(frozen=True)
class HelpContent:
    """Everything /help says."""

    title: str
    intro: str
    # The introduction in a direct message, where there is no server to speak of.
    intro_dm: str
    safety_title: str
    safety: str
    footer: str
    sections: tuple[HelpSection, ...]


def load_help(path: Path) -> HelpContent:
    """Load and validate the /help wording."""
    data = read_toml(path)
    problems: list[str] = []
    where = path.name
    title = require_str(data, "title", where, problems, max_len=EMBED_TITLE_LIMIT)
    intro = require_str(data, "intro", where, problems, max_len=EMBED_DESCRIPTION_LIMIT)
    intro_dm = require_str(data, "intro_dm", where, problems, max_len=EMBED_DESCRIPTION_LIMIT)
    safety_title = require_str(data, "safety_title", where, problems, max_len=FIELD_NAME_LIMIT)
    safety = require_str(data, "safety", where, problems, max_len=FIELD_VALUE_LIMIT)
    footer = require_str(data, "footer", where, problems, max_len=FOOTER_LIMIT)
    sections: list[HelpSection] = []
    raw_sections = data.get("section", [])
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append(f"{where}: at least one [[section]] is needed")
        raw_sections = []
    for index, raw in enumerate(raw_sections, start=1):
        place = f"{where} section {index}"
        name = require_str(raw, "name", place, problems, max_len=FIELD_NAME_LIMIT)
        text = require_str(raw, "text", place, problems, max_len=FIELD_VALUE_LIMIT // 2)
        commands = raw.get("commands", [])
        if not isinstance(commands, list) or not all(isinstance(c, str) and c for c in commands):
            problems.append(f"{place}: 'commands' must be a list of command names")
            commands = []
        sections.append(HelpSection(name, text, tuple(commands)))
    if problems:
        raise ContentError(problems)
    return HelpContent(title, intro, intro_dm, safety_title, safety, footer, tuple(sections))
