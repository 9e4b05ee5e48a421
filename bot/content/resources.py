"""Professional help, crisis and domestic-violence lines for /resources, from content/resources.toml.

Also holds what the /resources embed says (as plain parts, so the loader can check that
every view fits one embed) and the gentle pointer after a check-in note (what it matches
lives in bot/safety.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.errors import ContentError
from bot.content.places import PLACE_LIMITS, Place
from bot.content.texts import placeholders_in
from bot.content.toml_files import read_toml, require_str

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
MAX_FIELDS = 25
EMBED_TOTAL_LIMIT = 6000
MESSAGE_LIMIT = 2000
MIN_COUNTRIES = 8
MAX_AUTOCOMPLETE = 25
LINE_KINDS = ("crisis", "abuse")
# A line not confirmed for this long is reported as stale by `python -m bot check`.
STALE_AFTER_MONTHS = 12
# The longest a command mention can be: "</resources:" + a 20-digit id + ">".
LONGEST_MENTION = "</resources:" + "9" * 20 + ">"
COUNTRY_CODE_LENGTH = 2
# /resources country's autocomplete shows "Name (CC)" as a choice name, which Discord caps at 100.
COUNTRY_NAME_LIMIT = PLACE_LIMITS[Place.CHOICE_NAME] - len(" ()") - COUNTRY_CODE_LENGTH


@dataclass(frozen=True)
class Line:
    """One place to get help: who, how to reach them, and when that was last confirmed."""

    name: str
    kind: str
    detail: str
    url: str
    verified: dt.date
    checked: str


@dataclass(frozen=True)
class Country:
    """A country's lines, crisis lines first as written."""

    code: str
    name: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class SafetyContent:
    """What the gentle pointer after a worrying check-in note says, with or without a country."""

    message: str
    country_message: str

    def pointer(self, resources: str, country: Country | None = None) -> str:
        """Return the gentle message, naming the country's lines when the person's country is known."""
        if country is None:
            return self.message.format(resources=resources)
        lines = "\n".join(f"- **{line.name}**: {line.detail}" for line in country.lines)
        return self.country_message.format(resources=resources, country=country.name, lines=lines)


@dataclass(frozen=True)
class ResourcesContent:
    """Everything /resources says."""

    title: str
    intro: str
    emergency: str
    footer: str
    choose_country: str
    unknown_country: str
    verified_label: str
    countries_label: str
    international: Line
    countries: tuple[Country, ...]
    safety: SafetyContent

    def find_country(self, query: str) -> Country | None:
        """Return the country whose code or name is ``query`` (any case), or None."""
        wanted = query.strip().casefold()
        for country in self.countries:
            if wanted in (country.code.casefold(), country.name.casefold()):
                return country
        return None

    def search_countries(self, current: str) -> list[Country]:
        """Return up to 25 countries whose code or name matches what was typed; all of them when empty."""
        typed = current.strip().casefold()
        if not typed:
            return list(self.countries[:MAX_AUTOCOMPLETE])
        exact = [c for c in self.countries if typed == c.code.casefold()]
        starts = [c for c in self.countries if c.name.casefold().startswith(typed) and c not in exact]
        inside = [
            c for c in self.countries if typed in c.name.casefold() and c not in exact and c not in starts
        ]
        return (exact + starts + inside)[:MAX_AUTOCOMPLETE]

    def country_for_locale(self, locale: str | None) -> Country | None:
        """Return the listed country a Discord locale names ("en-GB" → GB), or None.

        Only locales with a region say where someone is; a bare language ("fr", "de") is
        spoken in many countries, so it names none rather than risk the wrong numbers.
        """
        if not locale:
            return None
        _, _, region = locale.partition("-")
        if len(region) != COUNTRY_CODE_LENGTH or not region.isalpha():
            return None
        return self.find_country(region)


# --- what the embed says -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EmbedParts:
    """The text of one /resources embed, before discord.py turns it into an Embed."""

    title: str
    description: str
    fields: tuple[tuple[str, str], ...]
    footer: str

    def total(self) -> int:
        """Return the characters Discord counts towards the 6000 limit."""
        fields = sum(len(name) + len(value) for name, value in self.fields)
        return len(self.title) + len(self.description) + fields + len(self.footer)


def format_date(day: dt.date) -> str:
    """Return a date as people read it in English: "27 November 2026"."""
    return f"{day.day} {day:%B %Y}"


def line_field(line: Line, verified_label: str) -> tuple[str, str]:
    """Return one line as an embed field: name, then detail, address and when it was last confirmed."""
    verified = verified_label.format(date=format_date(line.verified))
    return line.name, f"{line.detail}\n{line.url}\n-# {verified}"


def resources_parts(content: ResourcesContent, country: Country | None, *, resources: str) -> EmbedParts:
    """Return the embed for /resources: the directory, then a country's lines or the list of countries."""
    fields = [line_field(content.international, content.verified_label)]
    if country is None:
        names = ", ".join(f"{c.name} ({c.code})" for c in content.countries)
        fields.append(
            (content.countries_label, content.choose_country.format(resources=resources, countries=names))
        )
    else:
        fields.extend(line_field(line, content.verified_label) for line in country.lines)
    title = content.title if country is None else f"{content.title} · {country.name}"
    return EmbedParts(title, f"{content.intro}\n\n{content.emergency}", tuple(fields), content.footer)


def view_problems(parts: EmbedParts, where: str) -> list[str]:
    """Return what stops these parts from fitting in one embed."""
    problems: list[str] = []
    if len(parts.title) > TITLE_LIMIT:
        problems.append(f"{where}: the title is {len(parts.title)} characters (at most {TITLE_LIMIT})")
    if len(parts.fields) > MAX_FIELDS:
        problems.append(f"{where}: {len(parts.fields)} fields (at most {MAX_FIELDS})")
    for name, value in parts.fields:
        if len(name) > FIELD_NAME_LIMIT:
            problems.append(f"{where}: {name[:40]!r} is {len(name)} characters (at most {FIELD_NAME_LIMIT})")
        if len(value) > FIELD_VALUE_LIMIT:
            problems.append(
                f"{where}: the text of {name[:40]!r} is {len(value)} characters (at most {FIELD_VALUE_LIMIT})"
            )
    if parts.total() > EMBED_TOTAL_LIMIT:
        problems.append(
            f"{where}: everything together is {parts.total()} characters (at most {EMBED_TOTAL_LIMIT})"
        )
    return problems


# --- stale lines -------------------------------------------------------------------------------------


def stale_cutoff(today: dt.date) -> dt.date:
    """Return the day twelve months before ``today`` (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def stale_lines(content: ResourcesContent, today: dt.date) -> list[tuple[str, Line]]:
    """Return (where, line) for every line last confirmed more than twelve months before ``today``."""
    cutoff = stale_cutoff(today)
    found: list[tuple[str, Line]] = []
    if content.international.verified < cutoff:
        found.append(("international", content.international))
    for country in content.countries:
        found.extend((country.name, line) for line in country.lines if line.verified < cutoff)
    return found


# --- loading -----------------------------------------------------------------------------------------


def _template(data: dict[str, Any], key: str, where: str, problems: list[str], allowed: set[str]) -> str:
    """Read a text with placeholders, noting unknown or broken placeholders."""
    text = require_str(data, key, where, problems, max_len=MESSAGE_LIMIT // 2)
    try:
        unknown = placeholders_in(text) - allowed
    except ValueError as error:
        problems.append(f"{where}: {key!r} has a broken placeholder ({error})")
        return ""
    if unknown:
        problems.append(f"{where}: {key!r} uses unknown placeholders {sorted(unknown)}")
        return ""
    return text


def _read_line(table: Any, place: str, problems: list[str], *, kind_required: bool) -> Line | None:
    """Read one line's table: name, detail, https address, verified date and what it was checked against."""
    if not isinstance(table, dict):
        problems.append(f"{place}: must be a table")
        return None
    name = require_str(table, "name", place, problems, max_len=FIELD_NAME_LIMIT)
    detail = require_str(table, "detail", place, problems, max_len=FIELD_VALUE_LIMIT // 2)
    url = require_str(table, "url", place, problems, max_len=FIELD_VALUE_LIMIT // 4)
    checked = require_str(table, "checked", place, problems, max_len=500)
    if url and not url.startswith("https://"):
        problems.append(f"{place}: 'url' must start with https://")
    verified = table.get("verified")
    # A TOML date (verified = 2026-11-27) arrives as a date; a datetime or a quoted string is refused.
    if not isinstance(verified, dt.date) or isinstance(verified, dt.datetime):
        problems.append(f"{place}: 'verified' must be a TOML date such as 2026-11-27")
        verified = None
    kind = table.get("kind", "")
    if kind_required and kind not in LINE_KINDS:
        problems.append(f"{place}: 'kind' must be one of {', '.join(LINE_KINDS)}")
    if verified is None or not all((name, detail, url, checked)):
        return None
    return Line(name, str(kind), detail, url, verified, checked)


def _read_country(table: Any, place: str, problems: list[str]) -> Country | None:
    """Read one [[country]] with its [[country.line]] tables."""
    if not isinstance(table, dict):
        problems.append(f"{place}: must be a table")
        return None
    code = require_str(table, "code", place, problems, max_len=COUNTRY_CODE_LENGTH)
    name = require_str(table, "name", place, problems, max_len=COUNTRY_NAME_LIMIT)
    if code and (len(code) != COUNTRY_CODE_LENGTH or not code.isalpha() or not code.isupper()):
        problems.append(f"{place}: 'code' must be two capital letters, such as GB")
    raw_lines = table.get("line", [])
    if not isinstance(raw_lines, list) or not raw_lines:
        problems.append(f"{place}: at least one [[country.line]] is needed")
        raw_lines = []
    lines = [
        line
        for index, raw in enumerate(raw_lines, start=1)
        if (line := _read_line(raw, f"{place} line {index}", problems, kind_required=True)) is not None
    ]
    if raw_lines and not any(isinstance(raw, dict) and raw.get("kind") == "crisis" for raw in raw_lines):
        problems.append(f'{place}: at least one line must be a crisis line (kind = "crisis")')
    if not (code and name):
        return None
    return Country(code, name, tuple(lines))


def _read_countries(data: dict[str, Any], where: str, problems: list[str]) -> list[Country]:
    """Read every [[country]], refusing repeated codes or names and too few countries."""
    raw = data.get("country", [])
    if not isinstance(raw, list):
        problems.append(f"{where}: 'country' must be a list of [[country]] tables")
        raw = []
    if len(raw) < MIN_COUNTRIES:
        problems.append(f"{where}: at least {MIN_COUNTRIES} countries are needed ({len(raw)} listed)")
    countries: list[Country] = []
    codes: set[str] = set()
    names: set[str] = set()
    for index, table in enumerate(raw, start=1):
        country = _read_country(table, f"{where} country {index}", problems)
        if country is None:
            continue
        if country.code in codes:
            problems.append(f"{where} country {index}: code {country.code!r} is listed twice")
        if country.name.casefold() in names:
            problems.append(f"{where} country {index}: {country.name!r} is listed twice")
        codes.add(country.code)
        names.add(country.name.casefold())
        countries.append(country)
    return countries


def _read_safety(data: dict[str, Any], where: str, problems: list[str]) -> SafetyContent:
    """Read the [safety] pointer, without and with a country's lines."""
    table = data.get("safety")
    place = f"{where} [safety]"
    if not isinstance(table, dict):
        problems.append(f"{place}: the table is missing")
        return SafetyContent("", "")
    message = _template(table, "message", place, problems, {"resources"})
    country_message = _template(table, "country_message", place, problems, {"resources", "country", "lines"})
    if "phrases" in table:
        problems.append(f"{place}: 'phrases' is no longer read; the matching rules live in bot/safety.py")
    return SafetyContent(message, country_message)


def load_resources(path: Path) -> ResourcesContent:
    """Load and validate the help lines, the countries and the check-in safety pointer."""
    data = read_toml(path)
    where = path.name
    problems: list[str] = []
    title = require_str(data, "title", where, problems, max_len=TITLE_LIMIT // 2)
    intro = require_str(data, "intro", where, problems, max_len=DESCRIPTION_LIMIT // 4)
    emergency = require_str(data, "emergency", where, problems, max_len=DESCRIPTION_LIMIT // 4)
    footer = require_str(data, "footer", where, problems, max_len=FOOTER_LIMIT)
    countries_label = require_str(data, "countries_label", where, problems, max_len=FIELD_NAME_LIMIT)
    choose_country = _template(data, "choose_country", where, problems, {"resources", "countries"})
    unknown_country = _template(data, "unknown_country", where, problems, {"resources", "country"})
    verified_label = _template(data, "verified_label", where, problems, {"date"})
    international = _read_line(
        data.get("international"), f"{where} [international]", problems, kind_required=False
    )
    countries = _read_countries(data, where, problems)
    safety = _read_safety(data, where, problems)
    if problems or international is None:
        raise ContentError(problems or [f"{where}: [international] is incomplete"])
    content = ResourcesContent(
        title,
        intro,
        emergency,
        footer,
        choose_country,
        unknown_country,
        verified_label,
        countries_label,
        international,
        tuple(countries),
        safety,
    )
    problems.extend(
        view_problems(resources_parts(content, None, resources=LONGEST_MENTION), f"{where} (no country)")
    )
    for country in content.countries:
        parts = resources_parts(content, country, resources=LONGEST_MENTION)
        problems.extend(view_problems(parts, f"{where} ({country.name})"))
    if problems:
        raise ContentError(problems)
    return content
