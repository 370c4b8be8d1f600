"""Policy errors that a manager can act on: where (file:line:column), what was expected, what is close."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class PolicyError(Exception):
    """A policy file is wrong at one place."""

    def __init__(self, message: str, *, file: str = "", line: int = 0, column: int = 0) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<policy>"
        if self.line:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self.message}"


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest valid name, or '' when nothing is close."""
    options = [str(c) for c in choices]
    same_but_case = [c for c in options if c.lower() == str(word).lower()]
    # 0.5 lets two-character Chinese words with one wrong character match (本课 → 本科).
    close = same_but_case or difflib.get_close_matches(str(word), options, n=1, cutoff=0.5)
    return f'; did you mean "{close[0]}"?' if close else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(str(c) for c in choices)
