"""content/privacy.toml and content/resources.toml: valid, and broken files are explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR
from bot.content.privacy import PLACEHOLDERS, load_privacy_texts
from bot.content.resource_files import load_resources
from bot.privacy.render import choice_label, erasure_summary, period_text
from bot.privacy.retention import RETENTION_CHOICES


def test_privacy_texts_load_with_every_key() -> None:
    """Every text the code uses is present, and erasure labels are readable."""
    texts = load_privacy_texts(CONTENT_DIR / "privacy.toml")
    assert set(texts.table.texts) == set(PLACEHOLDERS)
    assert texts.label("checkins") == "Check-ins"
    assert texts.label("unknown_kind") == "unknown kind"


def test_resources_name_the_required_lines() -> None:
    """/resources covers the directory, 988, Crisis Text Line and emergency services; not therapy."""
    content = load_resources(CONTENT_DIR / "resources.toml")
    lines = [content.international] + [line for country in content.countries for line in country.lines]
    everything = " ".join(
        [content.intro, content.emergency] + [f"{r.name} {r.detail} {r.url}" for r in lines]
    )
    for needle in ("findahelpline.com", "988", "741741", "DISCORD", "emergency", "therapy"):
        assert needle in everything
    assert "nobody watches" in content.intro


def test_render_helpers_use_the_content() -> None:
    """Periods, button labels and the erasure summary come from the TOML."""
    texts = load_privacy_texts(CONTENT_DIR / "privacy.toml")
    assert period_text(texts, 0) == texts("retention.period_forever")
    assert "90" in period_text(texts, 90)
    assert [choice_label(texts, days) for days in RETENTION_CHOICES] == [
        "Until I delete them",
        "One year",
        "90 days",
        "30 days",
    ]
    summary = erasure_summary(texts, {"checkins": 3, "profile": 1, "blocks": 0})
    assert "Check-ins: 3" in summary and "Blocks" not in summary
    assert erasure_summary(texts, {"checkins": 0}) == texts("delete.done_nothing")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_privacy_texts_report_missing_and_unknown_placeholders(tmp_path: Path) -> None:
    """A broken privacy.toml lists each problem."""
    original = (CONTENT_DIR / "privacy.toml").read_text(encoding="utf-8")
    broken = original.replace('cancelled = "', 'cancelled = "{who} ').replace("working =", "wrking =")
    with pytest.raises(ContentError) as caught:
        load_privacy_texts(write(tmp_path, "privacy.toml", broken))
    problems = "\n".join(caught.value.problems)
    assert "'delete.cancelled' uses unknown placeholders ['who']" in problems
    assert "unknown text 'delete.wrking'" in problems
    assert "'delete.working' is missing" in problems


def test_resources_refuse_plain_http_and_duplicates(tmp_path: Path) -> None:
    """Links are https and each country is listed once (more cases in tests/content)."""
    text = (CONTENT_DIR / "resources.toml").read_text(encoding="utf-8")
    text = text.replace('url = "https://findahelpline.com"', 'url = "http://findahelpline.com"')
    text = text.replace('code = "CA"', 'code = "US"')
    with pytest.raises(ContentError) as caught:
        load_resources(write(tmp_path, "resources.toml", text))
    problems = "\n".join(caught.value.problems)
    assert "https://" in problems
    assert "listed twice" in problems
