"""Pattern recognizer: contacts and secrets (phones, e-mail, ID numbers, passwords) by regex.

Lookarounds such as `(?<!\\d)` replace `\\b`, which never fires between Chinese characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds
from redact.rules import PatternRule

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def valid_cn_id(number: str) -> bool:
    """The GB 11643 checksum of an 18-character resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11] == number[17].upper()


VALIDATORS: dict[str, Callable[[str], bool]] = {"cn-id-checksum": valid_cn_id}


class PatternRecognizer(RuleRecognizer):
    """Spans matched by the rule's regular expression, optionally checked by a validator."""

    def __init__(self, rule: PatternRule) -> None:
        self.regex = re.compile(rule.regex, re.IGNORECASE if rule.ignore_case else 0)
        self.validator = VALIDATORS[rule.validator] if rule.validator else None
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        for match in self.regex.finditer(text):
            start, end = match.span(self.rule.group)
            value = match.group(self.rule.group)
            if start == end:
                continue
            if self.validator and not self.validator(value):
                yield Candidate(start, end, 0.1, f"「{value}」 fails the {self.rule.validator} check")
                continue
            yield Candidate(start, end, self.rule.score, f"matches pattern {self.rule.id}")
