"""Sensitive-term recognizer (the optional TERM layer: `习近平`→`A`, `党`→`D`, `微信`→`AAA`)."""

from __future__ import annotations

from collections.abc import Iterable

from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds, leftmost_longest
from redact.recognizers.lexicon import Entry, TermMatcher
from redact.rules import TermRule


class TermRecognizer(RuleRecognizer):
    """Fixed terms whose replacement text comes from the rule itself."""

    def __init__(self, rule: TermRule) -> None:
        self.matcher = TermMatcher({t: Entry(len(t), rule.score, t, False) for t in rule.replacements})
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        for start, end, entry in leftmost_longest(self.matcher.matches(text)):
            term = text[start:end]
            yield Candidate(start, end, self.rule.score, f"sensitive term of layer {self.rule.layer}",
                            replacement=self.rule.replacements[term])
