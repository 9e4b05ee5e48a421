"""content/resources.toml: the shipped lines are complete and fit, and broken files are explained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR
from bot.content.resource_files import load_resources
from bot.content.resources import (
    LONGEST_MENTION,
    MIN_COUNTRIES,
    ResourcesContent,
    Source,
    resources_parts,
    stale_cutoff,
    stale_lines,
)
from bot.ui import embed_fits
from cogs.resources import build_resources_embed

SHIPPED = CONTENT_DIR / "resources.toml"


@pytest.fixture(scope="module")
def content() -> ResourcesContent:
    return load_resources(SHIPPED)


def test_shipped_resources_cover_enough_countries_with_both_kinds_of_line(content: ResourcesContent) -> None:
    """At least 16 countries, those of Hearth's languages among them, each with both kinds of line."""
    assert len(content.countries) >= MIN_COUNTRIES >= 16
    assert {"US", "GB", "ES", "MX", "AR", "DE", "AT", "CH"} <= {c.code for c in content.countries}
    assert len({c.code for c in content.countries}) == len(content.countries)
    for country in content.countries:
        kinds = {line.kind for line in country.lines}
        assert {"crisis", "abuse"} <= kinds, country.name
    assert content.international.url == "https://findahelpline.com"


def test_only_lines_confirmed_on_their_own_site_carry_a_date(content: ResourcesContent) -> None:
    """Each entry has an https address and its source; a date exactly when that is the service's own site."""
    lines = [content.international] + [line for c in content.countries for line in c.lines]
    for line in lines:
        assert line.url.startswith("https://")
        assert line.checked
        if line.source is Source.OWN_SITE:
            assert isinstance(line.verified, dt.date) and line.verified <= dt.datetime.now(dt.UTC).date()
        else:
            assert line.verified is None, line.name


def test_no_dated_line_is_more_than_twelve_months_old(content: ResourcesContent) -> None:
    """Goes red a year after a check, so that stale numbers are looked up again, not trusted."""
    assert stale_lines(content, dt.datetime.now(dt.UTC).date()) == []


def test_every_country_has_its_emergency_number_and_lines_for_everyone(content: ResourcesContent) -> None:
    """The emergency number is shown first, and no country has abuse lines for women only."""
    for country in content.countries:
        assert any(char.isdigit() for char in country.emergency), country.name
        parts = resources_parts(content, country, resources="</resources:1>")
        assert f"the emergency number is {country.emergency}" in parts.description
        abuse = [line for line in country.lines if line.kind == "abuse"]
        assert any(line.audience != "women" for line in abuse), country.name
    youth = [c.code for c in content.countries if any(line.kind == "youth" for line in c.lines)]
    assert len(youth) >= 14


def test_well_known_numbers_are_listed(content: ResourcesContent) -> None:
    """A few national numbers that must never silently disappear."""
    by_code = {c.code: " ".join(line.detail for line in c.lines) for c in content.countries}
    assert "988" in by_code["US"] and "1-800-799-7233" in by_code["US"]
    assert "116 123" in by_code["GB"] and "0808 2000 247" in by_code["GB"]
    assert "13 11 14" in by_code["AU"] and "1800 737 732" in by_code["AU"]
    assert "116 016" in by_code["DE"] and "3919" in by_code["FR"]


def test_every_view_fits_one_embed(content: ResourcesContent) -> None:
    """The directory view and each country's view stay within Discord's embed limits."""
    for country in (None, *content.countries):
        embed = build_resources_embed(content, country, resources=LONGEST_MENTION)
        assert embed_fits(embed)
        assert len(embed.fields) <= 25


def test_country_view_shows_the_directory_then_dated_lines(content: ResourcesContent) -> None:
    """A country's lines: a date for those confirmed on their own site, a caution for the rest."""
    germany = content.find_country("de")
    assert germany is not None and content.find_country("Germany") == germany
    parts = resources_parts(content, germany, resources="</resources:1>")
    assert parts.fields[0][0] == "Find A Helpline"
    assert [name for name, _ in parts.fields[1:]] == [line.name for line in germany.lines]
    for line, (_, value) in zip(germany.lines, parts.fields[1:], strict=True):
        dated = "last verified 27 November 2026" in value
        assert dated == (line.source is Source.OWN_SITE)
        assert dated or "not yet confirmed from the service's own site" in value
    assert "*For men.*" in " ".join(value for _, value in parts.fields)
    overview = resources_parts(content, None, resources="</resources:1>")
    listing = overview.fields[-1][1]
    assert "</resources:1>" in listing
    assert all(c.name in listing for c in content.countries)


def test_country_search_matches_codes_and_names_within_25(content: ResourcesContent) -> None:
    """Autocomplete finds by code or part of a name, and never offers more than 25."""
    assert content.search_countries("nz")[0].code == "NZ"
    assert [c.code for c in content.search_countries("zeal")] == ["NZ"]
    assert content.search_countries("atlantis") == []
    assert len(content.search_countries("")) == min(25, len(content.countries))
    assert content.find_country("Narnia") is None
    # Names in their own language, in English, without accents or case.
    for typed, code in (
        ("Mexico", "MX"),
        ("méxico", "MX"),
        ("austria", "AT"),
        ("Suisse", "CH"),
        ("spain", "ES"),
    ):
        found = content.find_country(typed)
        assert found is not None and found.code == code, typed
        assert content.search_countries(typed)[0].code == code


def test_stale_lines_are_those_older_than_twelve_months(content: ResourcesContent) -> None:
    """Nothing is stale a year to the day later; every dated line is the day after; undated never."""
    dates = [line.verified for c in content.countries for line in c.lines if line.verified is not None]
    newest, oldest = max(dates), min(dates)
    assert stale_lines(content, oldest.replace(year=oldest.year + 1)) == []
    later = stale_lines(content, newest.replace(year=newest.year + 1) + dt.timedelta(days=1))
    assert len(later) == 1 + len(dates)
    assert stale_cutoff(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "resources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(ContentError) as caught:
        load_resources(write(tmp_path, text))
    return "\n".join(caught.value.problems)


def shipped() -> str:
    return SHIPPED.read_text(encoding="utf-8")


def test_broken_lines_are_each_explained(tmp_path: Path) -> None:
    """Plain http, a quoted date and a missing source are refused, naming the place."""
    text = shipped()
    text = text.replace('url = "https://988lifeline.org"', 'url = "http://988lifeline.org"', 1)
    text = text.replace("verified = 2026-11-27", 'verified = "2026-11-27"', 1)
    text = text.replace('checked = "address: stored pages endvaw.ca', 'unchecked = "x', 1)
    problems = problems_for(tmp_path, text)
    assert "'url' must start with https://" in problems
    assert "[international]: a line confirmed on its own site needs 'verified'" in problems
    assert "'checked' must be a non-empty string" in problems


def test_a_date_needs_the_services_own_site_and_the_own_site_needs_a_date(tmp_path: Path) -> None:
    """A third-party check showing a date, an own-site line without one, or an unknown source: refused."""
    text = shipped().replace('source = "third party"', 'source = "third party"\nverified = 2026-11-27', 1)
    text = text.replace('source = "own site"\nverified = 2026-11-27', 'source = "own site"', 2)
    text = text.replace('source = "not confirmed"', 'source = "a friend said so"', 1)
    problems = problems_for(tmp_path, text)
    assert "only a line confirmed on the service's own site shows a 'verified' date" in problems
    assert "country 3 line 1: a line confirmed on its own site needs 'verified'" in problems
    assert "'source' must be one of 'own site', 'third party', 'not confirmed'" in problems


def test_women_only_abuse_lines_and_a_missing_emergency_number_are_refused(tmp_path: Path) -> None:
    """A country whose abuse lines are all for women, or without its emergency number, is refused."""
    text = shipped().replace(
        'for = "men"\nname = "Men\'s Advice Line"', 'for = "women"\nname = "Men\'s Advice Line"'
    )
    text = text.replace('emergency = "000"\n', "", 1)
    problems = problems_for(tmp_path, text)
    assert "its abuse lines are all for women; add one for everyone or for men" in problems
    assert "'emergency' must be a non-empty string" in problems


def test_repeated_countries_and_missing_crisis_lines_are_refused(tmp_path: Path) -> None:
    """Two countries with one code, or a country with only a domestic-violence line, are refused."""
    text = shipped().replace('code = "CA"', 'code = "US"')
    assert "code 'US' is listed twice" in problems_for(tmp_path, text)
    head, _, rest = shipped().partition('code = "NL"')
    only_abuse = rest.replace('kind = "crisis"', 'kind = "abuse"', 1)
    assert "at least one line must be a crisis line" in problems_for(
        tmp_path, head + 'code = "NL"' + only_abuse
    )


def test_too_few_countries_and_oversized_views_are_refused(tmp_path: Path) -> None:
    """Fewer than 16 countries, or a line too long for an embed field, is refused."""
    head, _, _ = shipped().partition("[[country]]")
    _, _, safety = shipped().partition("[safety]")
    assert "at least 16 countries are needed (0 listed)" in problems_for(tmp_path, head + "[safety]" + safety)
    long_name = "N" * 300
    text = shipped().replace('name = "Veilig Thuis"', f'name = "{long_name}"')
    assert "at most 256" in problems_for(tmp_path, text)


def test_safety_phrases_are_no_longer_read(tmp_path: Path) -> None:
    """A leftover phrase list is refused with a pointer to where the rules live now."""
    text = shipped().replace("[safety]\n", '[safety]\nphrases = ["kill myself"]\n')
    assert "the matching rules live in bot/safety.py" in problems_for(tmp_path, text)


def test_the_country_pointer_needs_only_known_placeholders(tmp_path: Path) -> None:
    """The pointer with a country may use {resources}, {country}, {lines} and {emergency}, nothing else."""
    text = shipped().replace("{lines}\n", "{lines} {numbers}\n")
    assert "'country_message' uses unknown placeholders ['numbers']" in problems_for(tmp_path, text)


def test_a_locale_with_a_region_names_its_country(content: ResourcesContent) -> None:
    """en-GB is the United Kingdom; a bare language or an unlisted region names no country."""
    assert (country := content.country_for_locale("en-GB")) is not None
    assert country.code == "GB"
    assert (us := content.country_for_locale("en-US")) is not None and us.code == "US"
    for locale in ("fr", "de", "es-419", "zh-TW", "", None):
        assert content.country_for_locale(locale) is None, locale


def test_resources_default_to_the_country_a_locale_clearly_means(content: ResourcesContent) -> None:
    """/resources without a country: the locale's region, or the one country of a language; else none."""
    expected = {"en-GB": "GB", "es-ES": "ES", "pt-BR": "BR", "de": "DE", "fr": "FR", "it": "IT", "nl": "NL"}
    for locale, code in expected.items():
        country = content.default_country(locale)
        assert country is not None and country.code == code, locale
    for unclear in ("es-419", "sv-SE", "zh-TW", "ja", "", None):
        assert content.default_country(unclear) is None, unclear
    parts = resources_parts(content, content.default_country("de"), resources="</resources:1>", guessed=True)
    assert "Not in Germany? Run </resources:1> and pick your country." in parts.description


def test_the_pointer_names_the_country_lines_gently(content: ResourcesContent) -> None:
    """With a country, the pointer lists that country's lines and still mentions /resources."""
    country = content.find_country("GB")
    assert country is not None
    text = content.safety.pointer("</resources:1>", country)
    assert "United Kingdom" in text and "</resources:1>" in text
    for line in country.lines:
        assert line.name in text and line.detail in text
    assert "call 999 or 112" in text
    assert "United Kingdom" not in content.safety.pointer("</resources:1>")


def test_unknown_placeholders_are_refused(tmp_path: Path) -> None:
    """A template using a placeholder the code doesn't fill is refused."""
    text = shipped().replace('verified_label = "last verified {date}"', 'verified_label = "checked {when}"')
    assert "'verified_label' uses unknown placeholders ['when']" in problems_for(tmp_path, text)
