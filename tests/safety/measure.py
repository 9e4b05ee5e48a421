"""Reading the labelled phrase set and measuring a matcher against it, per concern."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PHRASES_FILE = Path(__file__).with_name("phrases.toml")


@dataclass(frozen=True)
class Figures:
    """How one concern fared: positives found, and negatives wrongly matched."""

    concern: str
    found: int
    positives: int
    false_alarms: int
    negatives: int
    missed: tuple[str, ...]
    wrongly_matched: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.positives

    @property
    def false_positive_rate(self) -> float:
        return self.false_alarms / self.negatives

    def line(self) -> str:
        return (
            f"{self.concern:<13} recall {self.recall:6.1%} ({self.found}/{self.positives})   "
            f"false positives {self.false_positive_rate:5.1%} ({self.false_alarms}/{self.negatives})"
        )


def labelled() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return (positives, negatives), each by concern."""
    data = tomllib.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    return data["positive"], data["negative"]


def measure(matches: Callable[[str], bool]) -> list[Figures]:
    """Return the figures for every concern in the set."""
    positives, negatives = labelled()
    figures = []
    for concern, texts in positives.items():
        missed = tuple(text for text in texts if not matches(text))
        wrong = tuple(text for text in negatives[concern] if matches(text))
        figures.append(
            Figures(
                concern,
                len(texts) - len(missed),
                len(texts),
                len(wrong),
                len(negatives[concern]),
                missed,
                wrong,
            )
        )
    return figures
