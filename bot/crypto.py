"""Authenticated encryption of private text at rest (AES-256-GCM with the key HEARTH_DATA_KEY).

A sealed value is ``hx1:`` followed by urlsafe base64 of a random 12-byte
nonce and the ciphertext with its 16-byte tag. The associated data names the
table, column and row the value belongs to, so a ciphertext copied into
another row (or column) fails to open instead of showing someone else's text.
The prefix carries the format version, so values can be recognised as sealed
and a later format can live next to this one.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEALED_PREFIX = "hx1:"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_FORMAT_HINT = "urlsafe base64 of 32 random bytes; create one with `python -m bot keygen`"


class SealError(Exception):
    """A sealed value could not be opened: wrong key, tampered, moved to another row, or no key."""


@dataclass(frozen=True)
class SealContext:
    """Where a sealed value lives: its table, column and the row's primary key values."""

    table: str
    column: str
    row: tuple[int | str, ...]

    def associated_data(self) -> bytes:
        """Return the bytes the ciphertext is bound to."""
        parts = [self.table, self.column, *(f"{type(value).__name__}:{value}" for value in self.row)]
        # Lengths first, so no choice of values can make two contexts encode alike.
        return b"hearth/1|" + b"|".join(f"{len(p)}:{p}".encode() for p in parts)


def generate_key() -> str:
    """Return a new random key in the format HEARTH_DATA_KEY expects."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def decode_key(text: str) -> bytes:
    """Return the 32 key bytes of a urlsafe base64 key, or raise ValueError naming the format."""
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError(f"must be {KEY_FORMAT_HINT}") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"must be {KEY_FORMAT_HINT} (this one decodes to {len(raw)} bytes)")
    return raw


def is_sealed(value: str) -> bool:
    """Return whether ``value`` is in the sealed format."""
    return value.startswith(SEALED_PREFIX)


class DataCipher:
    """Seals and opens private text; without a key it stores text as is and refuses sealed values."""

    def __init__(self, key: bytes | None) -> None:
        if key is not None and len(key) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")
        self._aead = None if key is None else AESGCM(key)

    @classmethod
    def from_text(cls, text: str | None) -> DataCipher:
        """Build a cipher from a key in text form (None or blank means no key)."""
        if text is None or not text.strip():
            return cls(None)
        return cls(decode_key(text))

    @property
    def has_key(self) -> bool:
        """Return whether this cipher encrypts."""
        return self._aead is not None

    def seal(self, text: str, context: SealContext) -> str:
        """Return ``text`` encrypted and bound to ``context`` (unchanged when no key is configured)."""
        if self._aead is None:
            return text
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode("utf-8"), context.associated_data())
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, value: str, context: SealContext) -> str:
        """Return the text of a stored value; plain (never sealed) values come back unchanged.

        Raises SealError when the value is sealed and cannot be opened here.
        The error never includes the value.
        """
        if not is_sealed(value):
            return value
        if self._aead is None:
            raise SealError("this value is encrypted and HEARTH_DATA_KEY is not set")
        try:
            blob = base64.urlsafe_b64decode(value[len(SEALED_PREFIX) :].encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise SealError("this encrypted value is damaged") from None
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise SealError("this encrypted value is damaged")
        try:
            plain = self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.associated_data())
        except InvalidTag:
            raise SealError(
                "this encrypted value does not open with this key in this place"
                " (wrong key, altered, or moved from another row)"
            ) from None
        return plain.decode("utf-8")

    def open_optional(self, value: str | None, context: SealContext) -> str | None:
        """Return :meth:`open` of ``value``, passing None through."""
        return None if value is None else self.open(value, context)

    def seal_optional(self, text: str | None, context: SealContext) -> str | None:
        """Return :meth:`seal` of ``text``, passing None through."""
        return None if text is None else self.seal(text, context)
