"""Timezone search for autocomplete."""

from bot.schedule.recurrence import is_valid_timezone
from bot.timezones import MAX_CHOICES, all_timezones, search_timezones


def test_search_timezones_by_city() -> None:
    """Typing a city finds its zone first."""
    assert search_timezones("london")[0] == "Europe/London"
    assert search_timezones("sao p")[0] == "America/Sao_Paulo"
    assert search_timezones("Buenos")[0] == "America/Argentina/Buenos_Aires"
    assert "Asia/Kolkata" in search_timezones("kolk")


def test_search_timezones_by_region_is_capped() -> None:
    """A region matches many zones but never more than 25 choices."""
    found = search_timezones("america")
    assert len(found) == MAX_CHOICES
    assert all(name.startswith("America/") for name in found)


def test_search_timezones_empty_and_unknown() -> None:
    """Nothing typed offers popular zones; nonsense offers nothing."""
    assert 0 < len(search_timezones("")) <= MAX_CHOICES
    assert search_timezones("zzzzqq") == []


def test_all_timezones_are_valid_and_include_utc() -> None:
    """Every offered zone loads, and UTC is offered."""
    names = all_timezones()
    assert "UTC" in names
    assert all(is_valid_timezone(name) for name in names)
