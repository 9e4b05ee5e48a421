"""The check-in note matcher: whole words, any case, extra spacing and invisible characters ignored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.content.library import CONTENT_DIR
from bot.content.resources import load_resources
from bot.safety import mentions_danger, normalise_words

PHRASES = load_resources(CONTENT_DIR / "resources.toml").safety.phrases
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
# Everyday words that contain no phrase, even joined together.
SAFE_WORDS = [
    "today",
    "was",
    "fine",
    "tired",
    "we",
    "walked",
    "dinner",
    "laughed",
    "work",
    "long",
    "kind",
    "tea",
]
GAPS = st.sampled_from([" ", "  ", "\n", "\t", ", ", ". ", " - ", "! "])


def test_matches_whole_phrases_regardless_of_case_and_spacing() -> None:
    """Case, repeated spaces, line breaks and punctuation between words don't hide a phrase."""
    assert mentions_danger("Sometimes I want   to\nDIE.", PHRASES)
    assert mentions_danger("he hits me when he drinks", PHRASES)
    assert mentions_danger("thinking about self-harm again", PHRASES)
    assert mentions_danger("I don't feel not-safe… I feel NOT SAFE", PHRASES)


def test_invisible_characters_inside_words_are_ignored() -> None:
    """A zero-width space or soft hyphen in the middle of a word still matches."""
    assert mentions_danger("sui\u200bcide", PHRASES)
    assert mentions_danger("kill\u00ad myself", PHRASES)


def test_only_whole_words_match() -> None:
    """Phrases inside longer words, and ordinary notes, don't match."""
    assert not mentions_danger("the white hitmen film was silly", PHRASES)
    assert not mentions_danger("whitme", PHRASES)
    assert not mentions_danger("a safe and happy day", PHRASES)
    assert not mentions_danger("", PHRASES)
    assert not mentions_danger(None, PHRASES)


def test_normalise_words_keeps_letters_and_digits_only() -> None:
    """Words come out lower-case, single-spaced, without punctuation or invisible characters."""
    assert normalise_words("  Self\u200b-Harm!!  Now ") == "self harm now"


phrase_texts = st.tuples(
    st.lists(st.sampled_from(SAFE_WORDS), max_size=5),
    st.sampled_from(PHRASES),
    st.lists(st.sampled_from(SAFE_WORDS), max_size=5),
    GAPS,
).map(lambda parts: parts[3].join([*parts[0], parts[1], *parts[2]]))

ascii_texts = st.one_of(phrase_texts, st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))


@given(text=ascii_texts, data=st.data())
def test_inserting_invisible_characters_never_changes_the_result(text: str, data: st.DataObject) -> None:
    """Zero-width characters anywhere, any number of times, give the same answer."""
    chars = list(text)
    for _ in range(data.draw(st.integers(min_value=1, max_value=5))):
        at = data.draw(st.integers(min_value=0, max_value=len(chars)))
        chars.insert(at, data.draw(st.sampled_from(INVISIBLE)))
    assert mentions_danger("".join(chars), PHRASES) == mentions_danger(text, PHRASES)


@given(text=ascii_texts)
def test_changing_case_never_changes_the_result(text: str) -> None:
    """Upper, lower or swapped case give the same answer."""
    expected = mentions_danger(text, PHRASES)
    assert mentions_danger(text.upper(), PHRASES) == expected
    assert mentions_danger(text.lower(), PHRASES) == expected
    assert mentions_danger(text.swapcase(), PHRASES) == expected


@given(text=phrase_texts)
def test_a_phrase_among_other_words_always_matches(text: str) -> None:
    """Any phrase, surrounded by ordinary words and separators, is found."""
    assert mentions_danger(text, PHRASES)


@given(words=st.lists(st.sampled_from(SAFE_WORDS), max_size=30), gap=GAPS)
def test_text_without_any_phrase_never_matches(words: list[str], gap: str) -> None:
    """Notes made of everyday words never bring the pointer."""
    assert not mentions_danger(gap.join(words), PHRASES)
