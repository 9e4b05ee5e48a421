"""Professional help, crisis and domestic-violence lines for /resources, from content/resources.toml.

Also holds what the /resources embed says (as plain parts, so the loader can check that
every view fits one embed) and the gentle pointer after a check-in note (what it matches
lives in bot/safety.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.content.places import PLACE_LIMITS, Place

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
MAX_FIELDS = 25
EMBED_TOTAL_LIMIT = 6000
MESSAGE_LIMIT = 2000
MIN_COUNTRIES = 16
MAX_AUTOCOMPLETE = 25
LINE_KINDS = ("crisis", "abuse", "youth")
# Who a line is for; "everyone" needs no label.
AUDIENCES = ("everyone", "women", "men", "young people")
# Discord locales without a region that still clearly mean one listed country, for /resources'
# default. The check-in pointer doesn't use these: it names lines only when the region says where.
LANGUAGE_COUNTRIES = {"de": "DE", "fr": "FR", "it": "IT", "nl": "NL", "hi": "IN"}
# A line not confirmed for this long is reported as stale by `python -m bot check`.
STALE_AFTER_MONTHS = 12
# The longest a command mention can be: "</resources:" + a 20-digit id + ">".
LONGEST_MENTION = "</resources:" + "9" * 20 + ">"
COUNTRY_CODE_LENGTH = 2
# /resources country's autocomplete shows "Name (CC)" as a choice name, which Discord caps at 100.
COUNTRY_NAME_LIMIT = PLACE_LIMITS[Place.CHOICE_NAME] - len(" ()") - COUNTRY_CODE_LENGTH


class Source(StrEnum):
    """What a line's number and address were confirmed against."""

    # The service's own site: only then does the line show a date.
    OWN_SITE = "own site"
    THIRD_PARTY = "third party"
    NOT_CONFIRMED = "not confirmed"


@dataclass(frozen=True)
class Line:
    """One place to get help: who it is for, how to reach them, and how far that was confirmed."""

    name: str
    kind: str
    detail: str
    url: str
    source: Source
    # Set exactly when ``source`` is the service's own site.
    verified: dt.date | None
    checked: str
    audience: str = "everyone"


@dataclass(frozen=True)
class Country:
    """A country's emergency number and its lines, crisis lines first as written."""

    code: str
    name: str
    lines: tuple[Line, ...]
    emergency: str = ""


def folded(text: str) -> str:
    """Return ``text`` for matching: trimmed, without case or accents ("México" → "mexico")."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def names_of(country: Country) -> set[str]:
    """Return each name a country goes by, folded: "Österreich (Austria)" → österreich, austria, the whole."""
    parts = re.split(r"\s*[/()]\s*", country.name)
    return {folded(country.name), *(folded(part) for part in parts if part.strip())}


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
        return self.country_message.format(
            resources=resources, country=country.name, lines=lines, emergency=country.emergency
        )


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
    unconfirmed_label: str
    emergency_number: str
    other_country: str
    audience_labels: dict[str, str]
    countries_label: str
    international: Line
    countries: tuple[Country, ...]
    safety: SafetyContent

    def find_country(self, query: str) -> Country | None:
        """Return the country whose code or one of whose names is ``query`` (any case or accents), or None."""
        wanted = folded(query)
        for country in self.countries:
            if wanted == folded(country.code) or wanted in names_of(country):
                return country
        return None

    def search_countries(self, current: str) -> list[Country]:
        """Return up to 25 countries whose code or name matches what was typed; all of them when empty."""
        typed = folded(current)
        if not typed:
            return list(self.countries[:MAX_AUTOCOMPLETE])
        exact = [c for c in self.countries if typed == folded(c.code)]
        starts = [
            c for c in self.countries if c not in exact and any(n.startswith(typed) for n in names_of(c))
        ]
        inside = [c for c in self.countries if typed in folded(c.name) and c not in exact and c not in starts]
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

    def default_country(self, locale: str | None) -> Country | None:
        """Return the country /resources shows first for a Discord locale: its region or its one country.

        "es-419" (Latin America) and languages of many countries name none: the directory shows.
        """
        by_region = self.country_for_locale(locale)
        if by_region is not None or not locale:
            return by_region
        code = LANGUAGE_COUNTRIES.get(locale)
        return None if code is None else self.find_country(code)


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


def line_field(content: ResourcesContent, line: Line) -> tuple[str, str]:
    """Return one line as an embed field: who it is for, detail, address and how far it was confirmed."""
    if line.verified is not None:
        confirmed = content.verified_label.format(date=format_date(line.verified))
    else:
        confirmed = content.unconfirmed_label
    audience = content.audience_labels.get(line.audience, "")
    detail = f"*{audience}* {line.detail}" if audience else line.detail
    return line.name, f"{detail}\n{line.url}\n-# {confirmed}"


def resources_parts(
    content: ResourcesContent, country: Country | None, *, resources: str, guessed: bool = False
) -> EmbedParts:
    """Return the embed for /resources: the directory, then a country's lines or the list of countries.

    ``guessed``: the country came from the person's Discord language, so the embed says how to pick another.
    """
    fields = [line_field(content, content.international)]
    description = f"{content.intro}\n\n{content.emergency}"
    if country is None:
        names = ", ".join(f"{c.name} ({c.code})" for c in content.countries)
        fields.append(
            (content.countries_label, content.choose_country.format(resources=resources, countries=names))
        )
    else:
        description += "\n" + content.emergency_number.format(country=country.name, number=country.emergency)
        if guessed:
            description += "\n" + content.other_country.format(country=country.name, resources=resources)
        fields.extend(line_field(content, line) for line in country.lines)
    title = content.title if country is None else f"{content.title} · {country.name}"
    return EmbedParts(title, description, tuple(fields), content.footer)


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


def stale_lines(content: ResourcesContent, today: dt.date) -> list[tuple[str, Line, dt.date]]:
    """Return (where, line, date) for every dated line last confirmed more than twelve months ago."""
    cutoff = stale_cutoff(today)
    places = [("international", content.international)]
    places.extend((country.name, line) for country in content.countries for line in country.lines)
    return [
        (where, line, line.verified)
        for where, line in places
        if line.verified is not None and line.verified < cutoff
    ]


def unconfirmed_lines(content: ResourcesContent) -> list[tuple[str, Line]]:
    """Return (where, line) for every line not confirmed from the service's own site."""
    return [
        (country.name, line)
        for country in content.countries
        for line in country.lines
        if line.source is not Source.OWN_SITE
    ]
