"""Noticing when a private check-in note speaks of self-harm or danger, to offer help gently.

Pure functions only: a match is never stored, logged or shared; the caller just adds
a kind pointer to /resources to the reply only the author sees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Invisible characters someone (or a keyboard) may put inside words: zero-width space,
# non-joiner, joiner, word joiner, byte-order mark, soft hyphen, Mongolian vowel separator.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
# Anything that is not a letter or digit separates words.
SEPARATORS = re.compile(r"[\W_]+")


def normalise_words(text: str) -> str:
    """Return ``text`` as lower-case words separated by single spaces, invisible characters removed."""
    visible = INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return SEPARATORS.sub(" ", visible.casefold()).strip()


def mentions_danger(text: str | None, phrases: Iterable[str]) -> bool:
    """Return whether ``text`` contains any of ``phrases`` as whole words (case and spacing ignored)."""
    if not text:
        return False
    # Padding with spaces makes every phrase match only on word boundaries.
    haystack = f" {normalise_words(text)} "
    for phrase in phrases:
        needle = normalise_words(phrase)
        if needle and f" {needle} " in haystack:
            return True
    return False
