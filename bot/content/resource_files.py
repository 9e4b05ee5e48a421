"""Reading content/resources.toml: every line, country and the check-in pointer, validated at start-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bot.content.errors import ContentError
from bot.content.resources import (
    AUDIENCES,
    COUNTRY_CODE_LENGTH,
    COUNTRY_NAME_LIMIT,
    DESCRIPTION_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    LINE_KINDS,
    LONGEST_MENTION,
    MESSAGE_LIMIT,
    MIN_COUNTRIES,
    TITLE_LIMIT,
    Country,
    Line,
    ResourcesContent,
    SafetyContent,
    Source,
    resources_parts,
    view_problems,
)
from bot.content.texts import placeholders_in
from bot.content.toml_files import read_toml, require_str

EMERGENCY_NUMBER_LIMIT = 40


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


def _read_confirmation(
    table: dict[str, Any], place: str, problems: list[str]
) -> tuple[Source, dt.date | None]:
    """Read how far a line was confirmed: a date goes with the service's own site, and only with it."""
    try:
        source = Source(str(table.get("source", "")))
    except ValueError:
        problems.append(f"{place}: 'source' must be one of {', '.join(repr(s.value) for s in Source)}")
        return Source.NOT_CONFIRMED, None
    verified = table.get("verified")
    if source is Source.OWN_SITE:
        # A TOML date (verified = 2026-11-27) arrives as a date; a datetime or a quoted string is refused.
        if not isinstance(verified, dt.date) or isinstance(verified, dt.datetime):
            problems.append(
                f"{place}: a line confirmed on its own site needs 'verified', a date such as 2026-11-27"
            )
            return source, None
        return source, verified
    if verified is not None:
        problems.append(f"{place}: only a line confirmed on the service's own site shows a 'verified' date")
    return source, None


def _read_line(table: Any, place: str, problems: list[str], *, kind_required: bool) -> Line | None:
    """Read one line's table: name, detail, https address, audience and how far it was confirmed."""
    if not isinstance(table, dict):
        problems.append(f"{place}: must be a table")
        return None
    name = require_str(table, "name", place, problems, max_len=FIELD_NAME_LIMIT)
    detail = require_str(table, "detail", place, problems, max_len=FIELD_VALUE_LIMIT // 2)
    url = require_str(table, "url", place, problems, max_len=FIELD_VALUE_LIMIT // 4)
    checked = require_str(table, "checked", place, problems, max_len=500)
    if url and not url.startswith("https://"):
        problems.append(f"{place}: 'url' must start with https://")
    source, verified = _read_confirmation(table, place, problems)
    kind = table.get("kind", "")
    if kind_required and kind not in LINE_KINDS:
        problems.append(f"{place}: 'kind' must be one of {', '.join(LINE_KINDS)}")
    audience = table.get("for", "everyone")
    if audience not in AUDIENCES:
        problems.append(f"{place}: 'for' must be one of {', '.join(AUDIENCES)}")
    if not all((name, detail, url, checked)):
        return None
    return Line(name, str(kind), detail, url, source, verified, checked, str(audience))


def _read_country(table: Any, place: str, problems: list[str]) -> Country | None:
    """Read one [[country]] with its emergency number and [[country.line]] tables."""
    if not isinstance(table, dict):
        problems.append(f"{place}: must be a table")
        return None
    code = require_str(table, "code", place, problems, max_len=COUNTRY_CODE_LENGTH)
    name = require_str(table, "name", place, problems, max_len=COUNTRY_NAME_LIMIT)
    emergency = require_str(table, "emergency", place, problems, max_len=EMERGENCY_NUMBER_LIMIT)
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
    if raw_lines and not any(line.kind == "crisis" for line in lines):
        problems.append(f'{place}: at least one line must be a crisis line (kind = "crisis")')
    abuse = [line for line in lines if line.kind == "abuse"]
    if abuse and all(line.audience == "women" for line in abuse):
        problems.append(f"{place}: its abuse lines are all for women; add one for everyone or for men")
    if not (code and name and emergency):
        return None
    return Country(code, name, tuple(lines), emergency)


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
    country_message = _template(
        table, "country_message", place, problems, {"resources", "country", "lines", "emergency"}
    )
    if "phrases" in table:
        problems.append(f"{place}: 'phrases' is no longer read; the matching rules live in bot/safety.py")
    return SafetyContent(message, country_message)


def _read_audience_labels(data: dict[str, Any], where: str, problems: list[str]) -> dict[str, str]:
    """Read [audience_labels]: how a line says who it is for (everyone needs no label)."""
    table = data.get("audience_labels")
    if not isinstance(table, dict):
        problems.append(f"{where}: [audience_labels] is missing")
        return {}
    wanted = [audience for audience in AUDIENCES if audience != "everyone"]
    return {
        audience: require_str(
            table, audience.replace(" ", "_"), f"{where} [audience_labels]", problems, max_len=60
        )
        for audience in wanted
    }


def load_resources(path: Path) -> ResourcesContent:
    """Load and validate the help lines, the countries and the check-in safety pointer."""
    data = read_toml(path)
    where = path.name
    problems: list[str] = []
    international = _read_line(
        data.get("international"), f"{where} [international]", problems, kind_required=False
    )
    content = ResourcesContent(
        title=require_str(data, "title", where, problems, max_len=TITLE_LIMIT // 2),
        intro=require_str(data, "intro", where, problems, max_len=DESCRIPTION_LIMIT // 4),
        emergency=require_str(data, "emergency", where, problems, max_len=DESCRIPTION_LIMIT // 4),
        footer=require_str(data, "footer", where, problems, max_len=FOOTER_LIMIT),
        choose_country=_template(data, "choose_country", where, problems, {"resources", "countries"}),
        unknown_country=_template(data, "unknown_country", where, problems, {"resources", "country"}),
        verified_label=_template(data, "verified_label", where, problems, {"date"}),
        unconfirmed_label=_template(data, "unconfirmed_label", where, problems, set()),
        emergency_number=_template(data, "emergency_number", where, problems, {"country", "number"}),
        other_country=_template(data, "other_country", where, problems, {"country", "resources"}),
        audience_labels=_read_audience_labels(data, where, problems),
        countries_label=require_str(data, "countries_label", where, problems, max_len=FIELD_NAME_LIMIT),
        international=international or Line("", "", "", "", Source.NOT_CONFIRMED, None, ""),
        countries=tuple(_read_countries(data, where, problems)),
        safety=_read_safety(data, where, problems),
    )
    if problems or international is None:
        raise ContentError(problems or [f"{where}: [international] is incomplete"])
    problems.extend(
        view_problems(resources_parts(content, None, resources=LONGEST_MENTION), f"{where} (no country)")
    )
    for country in content.countries:
        parts = resources_parts(content, country, resources=LONGEST_MENTION, guessed=True)
        problems.extend(view_problems(parts, f"{where} ({country.name})"))
    if problems:
        raise ContentError(problems)
    return content
