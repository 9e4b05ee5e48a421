"""Problems found while loading the content files."""

from __future__ import annotations


class ContentError(Exception):
    """One or more content files are invalid; every problem is listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid content:\n" + "\n".join(f"- {problem}" for problem in problems))
        self.problems = problems
