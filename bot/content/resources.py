"""Professional help and crisis lines for /resources, from content/resources.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.toml_files import read_toml, require_str

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 2000
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
MAX_RESOURCES = 20
# Everything /resources shows goes into one embed.
EMBED_TOTAL_LIMIT = 6000


@dataclass(frozen=True)
class Resource:
    """One place to get help: who, where, how to reach them."""

    name: str
    region: str
    detail: str
    url: str


@dataclass(frozen=True)
class ResourcesContent:
    """Everything /resources says."""

    title: str
    intro: str
    emergency: str
    footer: str
    resources: tuple[Resource, ...]


def load_resources(path: Path) -> ResourcesContent:
    """Load and validate the help and crisis lines."""
    data = read_toml(path)
    where = path.name
    problems: list[str] = []
    title = require_str(data, "title", where, problems, max_len=TITLE_LIMIT)
    intro = require_str(data, "intro", where, problems, max_len=DESCRIPTION_LIMIT // 2)
    emergency = require_str(data, "emergency", where, problems, max_len=DESCRIPTION_LIMIT // 2)
    footer = require_str(data, "footer", where, problems, max_len=FOOTER_LIMIT)
    raw = data.get("resource", [])
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: at least one [[resource]] is needed")
        raw = []
    if len(raw) > MAX_RESOURCES:
        problems.append(f"{where}: at most {MAX_RESOURCES} resources fit in one message")
    resources: list[Resource] = []
    names: set[str] = set()
    for index, table in enumerate(raw, start=1):
        place = f"{where} resource {index}"
        if not isinstance(table, dict):
            problems.append(f"{place}: must be a table")
            continue
        name = require_str(table, "name", place, problems, max_len=FIELD_NAME_LIMIT // 2)
        region = require_str(table, "region", place, problems, max_len=FIELD_NAME_LIMIT // 2)
        detail = require_str(table, "detail", place, problems, max_len=FIELD_VALUE_LIMIT // 2)
        url = require_str(table, "url", place, problems, max_len=FIELD_VALUE_LIMIT // 4)
        if url and not url.startswith("https://"):
            problems.append(f"{place}: 'url' must start with https://")
        if name in names:
            problems.append(f"{place}: {name!r} is listed twice")
        names.add(name)
        resources.append(Resource(name, region, detail, url))
    total = len(title) + len(intro) + len(emergency) + len(footer)
    total += sum(len(r.name) + len(r.region) + len(r.detail) + len(r.url) + 8 for r in resources)
    if total > EMBED_TOTAL_LIMIT:
        problems.append(f"{where}: everything together is {total} characters (at most {EMBED_TOTAL_LIMIT})")
    if problems:
        raise ContentError(problems)
    return ResourcesContent(title, intro, emergency, footer, tuple(resources))
