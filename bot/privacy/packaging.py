"""Fitting an export into the files Discord accepts: plain JSON, one ZIP, or several ZIP parts.

Discord refuses an upload larger than the interaction's ``attachment_size_limit``
(10 MiB without boosts), so a long history must be compressed, and a very long
one split into parts that are each a complete, valid export document.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.privacy.service import export_bytes

# Splitting keeps going until every part fits; this many parts means something is badly wrong.
MAX_PARTS = 50


class ExportShape(StrEnum):
    """How an export reached the person."""

    JSON = "json"
    ZIP = "zip"
    PARTS = "parts"


@dataclass(frozen=True)
class ExportFile:
    """One file to upload."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class ExportPackage:
    """The files of one export, how they are shaped, and the size of the plain JSON."""

    shape: ExportShape
    files: list[ExportFile]
    json_size: int


class ExportTooLargeError(Exception):
    """Even split into parts, the export does not fit (a single record over the limit)."""


def base_name(user_id: int) -> str:
    """Return the stem of a person's export file names."""
    return f"hearth-export-{user_id}"


def zipped(name: str, data: bytes) -> bytes:
    """Return a ZIP archive holding ``data`` as ``name``."""
    buffer = io.BytesIO()
    # zlib's default level: level 9 took about 5x as long for 7% smaller files on 11.6 MB of export.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _records(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
    """Split the document's data into what every part carries and the list records to spread out."""
    fixed: dict[str, Any] = {}
    records: list[tuple[str, str, Any]] = []
    for section, content in document["data"].items():
        fixed[section] = {}
        if not isinstance(content, Mapping):
            fixed[section] = content
            continue
        for key, value in content.items():
            if isinstance(value, list):
                records.extend((section, key, record) for record in value)
            else:
                fixed[section][key] = value
    return fixed, records


def _part_documents(document: Mapping[str, Any], count: int) -> list[dict[str, Any]]:
    """Spread the records over ``count`` documents of about equal JSON size, keeping their order."""
    fixed, records = _records(document)
    sizes = [len(export_bytes({"r": record})) for _, _, record in records]
    target = sum(sizes) / count
    groups: list[list[tuple[str, str, Any]]] = [[]]
    filled = 0.0
    for record, size in zip(records, sizes, strict=True):
        if groups[-1] and filled + size > target and len(groups) < count:
            groups.append([])
            filled = 0.0
        groups[-1].append(record)
        filled += size
    parts: list[dict[str, Any]] = []
    for number, group in enumerate(groups, start=1):
        data: dict[str, Any] = {section: {} for section in fixed} if number > 1 else _copy(fixed)
        for section, key, record in group:
            data.setdefault(section, {}).setdefault(key, []).append(record)
        header = {key: value for key, value in document.items() if key != "data"}
        parts.append({**header, "part": {"number": number, "of": len(groups)}, "data": data})
    return parts


def _copy(fixed: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of the per-section values (non-list ones go in the first part only)."""
    return {section: dict(value) if isinstance(value, Mapping) else value for section, value in fixed.items()}


def package_export(document: Mapping[str, Any], user_id: int, limit: int) -> ExportPackage:
    """Return the export as the fewest files that are each at most ``limit`` bytes.

    Plain JSON when it fits, else one ZIP of it, else ZIP parts that are each a
    complete export document holding a share of the records (``"part"`` says which).
    """
    stem = base_name(user_id)
    raw = export_bytes(document)
    if len(raw) <= limit:
        return ExportPackage(ExportShape.JSON, [ExportFile(f"{stem}.json", raw)], len(raw))
    whole = zipped(f"{stem}.json", raw)
    if len(whole) <= limit:
        return ExportPackage(ExportShape.ZIP, [ExportFile(f"{stem}.zip", whole)], len(raw))
    # Parts compress about as well as the whole; start from that estimate and add parts until all fit.
    count = max(2, math.ceil(len(whole) * 1.1 / limit))
    while count <= MAX_PARTS:
        documents = _part_documents(document, count)
        files = []
        for part in documents:
            name = f"{stem}-part-{part['part']['number']}-of-{len(documents)}"
            files.append(ExportFile(f"{name}.zip", zipped(f"{name}.json", export_bytes(part))))
        if all(len(item.data) <= limit for item in files):
            return ExportPackage(ExportShape.PARTS, files, len(raw))
        count += max(1, count // 4)
    raise ExportTooLargeError(f"export of {len(raw)} bytes does not fit {limit}-byte files")
