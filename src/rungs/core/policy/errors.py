"""Policy errors that a manager can act on: where (file, line, column), what was expected, what is close.

Chinese first, English second (STYLE.md): `p.yaml:12:5: 第 12 行第 5 列：未知的事件类型 "majr_incident"，是否应为
"major_incident"？ · line 12, column 5: unknown event type "majr_incident"; did you mean "major_incident"?`
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class PolicyError(Exception):
    """A policy file is wrong at one place. `zh` and `en` say the same thing; `message` is both."""

    def __init__(self, zh: str, en: str = "", *, file: str = "", line: int = 0, column: int = 0) -> None:
        self.zh = zh
        self.en = en or zh
        self.file = file
        self.line = line
        self.column = column
        super().__init__(str(self))

    @property
    def message(self) -> str:
        return self.zh if self.en == self.zh else f"{self.zh} · {self.en}"

    def __str__(self) -> str:
        where = self.file or "<policy>"
        if not self.line:
            return f"{where}: {self.message}"
        # file:line:column first, as editors and tools read it; then the place in words, in both languages.
        return (
            f"{where}:{self.line}:{self.column}: 第 {self.line} 行第 {self.column} 列：{self.zh} · "
            f"line {self.line}, column {self.column}: {self.en}"
        )


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid name, or None when nothing is close."""
    options = [str(c) for c in choices]
    same_but_case = [c for c in options if c.lower() == str(word).lower()]
    # 0.5 lets two-character Chinese words with one wrong character match (本课 → 本科).
    close = same_but_case or difflib.get_close_matches(str(word), options, n=1, cutoff=0.5)
    return close[0] if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """'; did you mean "x"?' for the closest valid name, or '' when nothing is close."""
    c = closest(word, choices)
    return f'; did you mean "{c}"?' if c else ""


def suggest_zh(word: str, choices: Iterable[str]) -> str:
    """'，是否应为 "x"？' for the closest valid name, or '' when nothing is close."""
    c = closest(word, choices)
    return f'，是否应为 "{c}"？' if c else ""


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(str(c) for c in choices)


def one_of_zh(choices: Iterable[str]) -> str:
    return "、".join(str(c) for c in choices)
