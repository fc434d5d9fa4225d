"""Occurrences of allow-listed terms, and which one holds a span (redact/allowed_phrases.py)."""

from __future__ import annotations

import pytest

from redact.allowed_phrases import AllowedPhrases

PHRASES = AllowedPhrases(["晋江经验", "井冈山精神", "井冈山", "浙江", "A"])


@pytest.mark.parametrize(("text", "span", "expected"), [
    ("学习晋江经验", (2, 4), "晋江经验"),
    ("学习晋江经验", (2, 6), "晋江经验"),  # the whole phrase
    ("学习晋江经验", (1, 4), None),  # reaches out of it
    ("赴晋江学习", (1, 3), None),  # the name alone
    ("弘扬井冈山精神", (2, 4), "井冈山精神"),  # the widest of the nested terms
    ("浙江井冈山精神", (4, 6), "井冈山精神"),  # an earlier, shorter occurrence does not hide it
    ("A级景区", (0, 1), None),  # one-character terms are no phrases
])
def test_containing(text: str, span: tuple[int, int], expected: str | None) -> None:
    assert PHRASES.occurrences(text).containing(*span) == expected


def test_no_terms_contain_nothing() -> None:
    assert AllowedPhrases([]).occurrences("学习晋江经验").containing(2, 4) is None
