"""Where the phrases of allow rules (`phrases: true`) occur in a text: a finding inside one is kept.

An allow-listed phrase protects the names inside it: `晋江经验` or `延安精神` keeps 晋江 and 延安
where they stand in the phrase, not elsewhere. A mention masked because the same name was
confirmed elsewhere in the document is still masked (the phrase then names the home area).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

import ahocorasick


class AllowedPhrases:
    """An automaton over the allow-listed phrases, built once per rule set."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.automaton = ahocorasick.Automaton()
        for term in sorted(set(terms)):
            if len(term) >= 2:
                self.automaton.add_word(term, term)
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def occurrences(self, text: str) -> PhraseSpans:
        """Every occurrence of an allow-listed phrase in `text`."""
        if self.empty:
            return PhraseSpans(())
        return PhraseSpans(tuple((end + 1 - len(term), end + 1, term) for end, term in self.automaton.iter(text)))


class PhraseSpans:
    """Occurrences sorted by start, with the running maximum of their ends: which one contains a span?"""

    def __init__(self, spans: Iterable[tuple[int, int, str]]) -> None:
        ordered = sorted(spans)
        self.starts = [start for start, _, _ in ordered]
        self.widest = list(itertools.accumulate(ordered, lambda best, span: span if span[1] > best[1] else best))

    def containing(self, start: int, end: int) -> str | None:
        """The allow-listed term of an occurrence that holds [start, end), if any (the one reaching
        furthest right among those starting at or before `start`)."""
        index = bisect.bisect_right(self.starts, start) - 1
        if index < 0:
            return None
        _, reach, term = self.widest[index]
        return term if reach >= end else None
