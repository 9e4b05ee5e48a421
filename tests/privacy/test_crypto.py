"""Sealing private text: round trips, tampering, wrong keys and context binding."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.crypto import SEALED_PREFIX, DataCipher, SealContext, SealError, decode_key, generate_key, is_sealed

KEY = decode_key(generate_key())
CONTEXT = SealContext("checkins", "note", (7,))


def test_generate_key_decodes_to_32_bytes() -> None:
    """A generated key is urlsafe base64 of 32 bytes, and two keys differ."""
    first, second = generate_key(), generate_key()
    assert len(decode_key(first)) == 32
    assert first != second


@pytest.mark.parametrize("text", ["", "not base64 !!", base64.urlsafe_b64encode(b"short").decode(), "é" * 44])
def test_decode_key_refuses_bad_keys(text: str) -> None:
    """Anything but 32 bytes in urlsafe base64 is refused with a hint at keygen."""
    with pytest.raises(ValueError, match="keygen"):
        decode_key(text)


def test_seal_round_trip_and_prefix() -> None:
    """A sealed value is recognisable, hides the text, and opens to the same text."""
    cipher = DataCipher(KEY)
    sealed = cipher.seal("I felt unheard today", CONTEXT)
    assert is_sealed(sealed) and sealed.startswith(SEALED_PREFIX)
    assert "unheard" not in sealed
    assert cipher.open(sealed, CONTEXT) == "I felt unheard today"


def test_seal_uses_a_fresh_nonce_each_time() -> None:
    """Sealing the same text twice gives different values."""
    cipher = DataCipher(KEY)
    assert cipher.seal("same", CONTEXT) != cipher.seal("same", CONTEXT)


@given(st.text(max_size=300), st.integers(min_value=0, max_value=2**63))
def test_seal_round_trip_property(text: str, row: int) -> None:
    """Any text opens to itself in the context it was sealed in."""
    cipher = DataCipher(KEY)
    context = SealContext("prompt_answers", "text", (row, 5))
    assert cipher.open(cipher.seal(text, context), context) == text


def test_open_detects_tampering() -> None:
    """Changing any byte of a sealed value makes it fail to open."""
    cipher = DataCipher(KEY)
    sealed = cipher.seal("private", CONTEXT)
    blob = bytearray(base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX) :]))
    blob[-1] ^= 0x01
    tampered = SEALED_PREFIX + base64.urlsafe_b64encode(bytes(blob)).decode()
    with pytest.raises(SealError):
        cipher.open(tampered, CONTEXT)
    with pytest.raises(SealError):
        cipher.open(SEALED_PREFIX + "!!!", CONTEXT)
    with pytest.raises(SealError):
        cipher.open(SEALED_PREFIX + "AAAA", CONTEXT)


def test_open_refuses_a_wrong_key() -> None:
    """A value sealed under one key does not open under another, and the error hides the value."""
    sealed = DataCipher(KEY).seal("private words", CONTEXT)
    with pytest.raises(SealError) as caught:
        DataCipher(decode_key(generate_key())).open(sealed, CONTEXT)
    assert "private words" not in str(caught.value)
    assert sealed not in str(caught.value)


@pytest.mark.parametrize(
    "other",
    [
        SealContext("checkins", "note", (8,)),
        SealContext("checkins", "other", (7,)),
        SealContext("answers", "note", (7,)),
        SealContext("checkins", "note", ("7",)),
        SealContext("checkins", "note", (7, 1)),
    ],
)
def test_open_refuses_another_row_or_column(other: SealContext) -> None:
    """A ciphertext copied into another row, column or table does not open there."""
    cipher = DataCipher(KEY)
    sealed = cipher.seal("mine", CONTEXT)
    with pytest.raises(SealError):
        cipher.open(sealed, other)


def test_associated_data_is_unambiguous() -> None:
    """Contexts whose parts would concatenate alike still differ."""
    assert SealContext("a|b", "c", (1,)).associated_data() != SealContext("a", "b|c", (1,)).associated_data()


def test_without_a_key_text_is_stored_as_is_and_sealed_values_refused() -> None:
    """No key: seal is the identity, plain values open, sealed ones raise."""
    cipher = DataCipher(None)
    assert not cipher.has_key
    assert cipher.seal("plain", CONTEXT) == "plain"
    assert cipher.open("plain", CONTEXT) == "plain"
    with pytest.raises(SealError, match="HEARTH_DATA_KEY"):
        cipher.open(DataCipher(KEY).seal("x", CONTEXT), CONTEXT)


def test_plain_values_open_unchanged_with_a_key() -> None:
    """Text written before a key was set still reads."""
    assert DataCipher(KEY).open("written earlier", CONTEXT) == "written earlier"


def test_optional_helpers_pass_none_through() -> None:
    """None stays None both ways."""
    cipher = DataCipher(KEY)
    assert cipher.seal_optional(None, CONTEXT) is None
    assert cipher.open_optional(None, CONTEXT) is None
    assert cipher.open_optional(cipher.seal_optional("x", CONTEXT), CONTEXT) == "x"


def test_from_text_blank_means_no_key() -> None:
    """A blank key setting means no encryption."""
    assert not DataCipher.from_text(None).has_key
    assert not DataCipher.from_text("  ").has_key
    assert DataCipher.from_text(generate_key()).has_key
