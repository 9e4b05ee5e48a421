"""Recall and false positives of the safety matcher on the labelled set, per concern, printed."""

from __future__ import annotations

import pytest

from bot.safety import Concern, mentions_danger
from tests.safety.measure import labelled, measure

MIN_RECALL = 0.95
MAX_FALSE_POSITIVES = 0.02
MIN_PHRASES = 300


def test_the_set_is_large_and_covers_every_concern() -> None:
    """At least 300 phrases, and positives and hard negatives for every concern."""
    positives, negatives = labelled()
    assert set(positives) == set(negatives) == {concern.value for concern in Concern}
    everything = [text for texts in (*positives.values(), *negatives.values()) for text in texts]
    assert len(everything) >= MIN_PHRASES
    assert len(set(everything)) == len(everything), "a phrase is listed twice"


def test_recall_and_false_positives_meet_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    """Recall at least 95 % and false positives at most 2 %, for each concern."""
    figures = measure(mentions_danger)
    with capsys.disabled():
        print("\nsafety matcher on tests/safety/phrases.toml")
        for item in figures:
            print("  " + item.line())
    for item in figures:
        assert item.recall >= MIN_RECALL, (item.concern, item.missed)
        assert item.false_positive_rate <= MAX_FALSE_POSITIVES, (item.concern, item.wrongly_matched)
