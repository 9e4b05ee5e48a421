"""Exports fit Discord's upload limit: plain JSON, one ZIP, or complete ZIP parts."""

from __future__ import annotations

import io
import json
import random
import zipfile
from typing import Any

import pytest

from bot.privacy.packaging import ExportShape, ExportTooLargeError, package_export
from bot.privacy.service import export_bytes


def document(items: int) -> dict[str, Any]:
    """Return an export with ``items`` check-ins of hard-to-compress text and a few single values."""
    rng = random.Random(items)
    notes = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(300)) for _ in range(items)]
    return {
        "format": "hearth-export",
        "version": 1,
        "user_id": "42",
        "exported_at": "2025-03-03T09:00:00Z",
        "data": {
            "profile": {"timezone": "Europe/Paris"},
            "privacy_settings": {"retention_days": 90},
            "checkins": {"items": [{"id": i, "note": note} for i, note in enumerate(notes, start=1)]},
            "prompts": {"answers": [{"post_id": 1, "text": "hi"}], "circles": [{"server_id": "7"}]},
            "blocks": {},
        },
    }


def opened(data: bytes) -> tuple[str, dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        [name] = archive.namelist()
        return name, json.loads(archive.read(name))


def test_a_small_export_stays_plain_json() -> None:
    doc = document(3)
    package = package_export(doc, 42, 10 * 1024 * 1024)
    assert package.shape is ExportShape.JSON
    [file] = package.files
    assert file.filename == "hearth-export-42.json"
    assert file.data == export_bytes(doc)


def test_an_export_over_the_limit_is_zipped_whole() -> None:
    doc = document(200)
    raw = export_bytes(doc)
    package = package_export(doc, 42, len(raw) - 1)
    assert package.shape is ExportShape.ZIP and package.json_size == len(raw)
    [file] = package.files
    assert file.filename == "hearth-export-42.zip" and len(file.data) < len(raw)
    assert opened(file.data) == ("hearth-export-42.json", doc)


@pytest.mark.parametrize("limit", [20_000, 50_000])
def test_an_export_too_big_to_zip_whole_is_split_into_complete_parts(limit: int) -> None:
    doc = document(800)
    package = package_export(doc, 42, limit)
    assert package.shape is ExportShape.PARTS
    count = len(package.files)
    assert count >= 2
    items: list[dict[str, Any]] = []
    answers: list[Any] = []
    for number, file in enumerate(package.files, start=1):
        assert len(file.data) <= limit
        assert file.filename == f"hearth-export-42-part-{number}-of-{count}.zip"
        name, part = opened(file.data)
        assert name == f"hearth-export-42-part-{number}-of-{count}.json"
        assert part["part"] == {"number": number, "of": count}
        assert {key: part[key] for key in ("format", "version", "user_id", "exported_at")} == {
            key: doc[key] for key in ("format", "version", "user_id", "exported_at")
        }
        # Every part names every section, so each one reads like an export on its own.
        assert set(part["data"]) == set(doc["data"])
        items.extend(part["data"]["checkins"].get("items", []))
        answers.extend(part["data"]["prompts"].get("answers", []))
        if number == 1:
            assert part["data"]["profile"] == doc["data"]["profile"]
            assert part["data"]["privacy_settings"] == {"retention_days": 90}
        else:
            assert part["data"]["profile"] == {}
    assert items == doc["data"]["checkins"]["items"]
    assert answers == doc["data"]["prompts"]["answers"]


def test_an_export_that_cannot_fit_says_so() -> None:
    with pytest.raises(ExportTooLargeError):
        package_export(document(50), 42, 100)
