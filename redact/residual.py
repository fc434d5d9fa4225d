"""Residual risk: what is still in the masked text that could identify the source.

The masked text of a document is scanned for
- `gazetteer`: full names of prefectures, counties and townships, and county or prefecture short
  forms (`新昌`, `温州`), that are still there;
- `surname-title`: a surname right before an official title (`王县长`);
- `digits`: runs of five or more digits (phone, ID or account numbers) that were not masked;
- `watch`: terms of the watch list (`kind: watch` rules, `rules/watch.yaml`);
- `near-miss`: near misses scored at least 0.3 whose text is still in the output.

Offsets are into the masked text. Allow-listed terms are never risks: someone decided they are
safe. The matchers are built once per `ResidualScanner` (one per `Redactor`).
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from redact.common_words import PERSON_TAGS, common_words
from redact.findings import NearMiss, Replacement
from redact.recognizers.base import leftmost_longest
from redact.recognizers.lexicon import Entry, TermMatcher, gazetteer_subset
from redact.rules import GazetteerRule, PersonRule, RuleSet, read_list

NEAR_MISS_SCORE = 0.3
DIGIT_RUN = re.compile(r"[0-9０-９]{5,}")
# A span found by several checks is reported once, by the first kind in this order.
KINDS = ("watch", "gazetteer", "surname-title", "digits", "near-miss")
COUNTY_DEPTH = 3  # 浙江省/绍兴市/新昌县


@dataclass(frozen=True)
class ResidualRisk:
    """Something left in the masked text that may still identify the place or a person."""

    start: int
    end: int
    text: str
    kind: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def place_entries(rule: GazetteerRule) -> Mapping[str, Entry]:
    """Gazetteer full names, and the short forms of counties and prefectures (selected once per
    rule, and cached on disk with the gazetteer entries)."""
    return gazetteer_subset(rule, is_place_entry)


def is_place_entry(surface: str, entry: Entry) -> bool:
    return entry.core_length < len(surface) or any(path.count("/") < COUNTY_DEPTH for path in entry.evidence)


class ResidualScanner:
    """Finds residual risks in masked texts with one rule set."""

    def __init__(self, ruleset: RuleSet, near_miss_score: float = NEAR_MISS_SCORE) -> None:
        self.allow: Mapping[str, str] | frozenset[str] = ruleset.allow_terms
        self.near_miss_score = near_miss_score
        self.dictionary = common_words()
        # The first gazetteer that lists a surface decides its entry.
        self.places = TermMatcher(ChainMap(*(place_entries(r) for r in ruleset.rules if isinstance(r, GazetteerRule))))
        self.watch = TermMatcher({term: Entry(len(term), 1.0, f"on the watch list ({rule_id})", False)
                                  for term, rule_id in ruleset.watch_terms.items()})
        person = next((r for r in ruleset.rules if isinstance(r, PersonRule)), None)
        self.surnames = set(read_list(Path(person.surnames_file))) if person else set()
        titles = read_list(Path(person.titles_file)) if person else []
        self.titles = TermMatcher({t: Entry(len(t), 1.0, t, False) for t in titles})
        self.person_stops = set(read_list(Path(person.stop_file))) if person and person.stop_file else set()

    def scan(self, masked_text: str, edits: Sequence[Replacement] = (),
             near_misses: Sequence[NearMiss] = ()) -> tuple[ResidualRisk, ...]:
        """Every residual risk in `masked_text`, one per span, in text order."""
        found = [*self.watch_terms(masked_text), *self.place_names(masked_text),
                 *self.surnames_before_titles(masked_text), *digit_runs(masked_text),
                 *self.remaining_near_misses(masked_text, edits, near_misses)]
        chosen: dict[tuple[int, int], ResidualRisk] = {}
        for risk in sorted(found, key=lambda r: KINDS.index(r.kind)):
            chosen.setdefault((risk.start, risk.end), risk)
        return tuple(sorted(chosen.values(), key=lambda r: (r.start, r.end, r.kind)))

    def _allowed(self, *terms: str) -> bool:
        return any(term in self.allow for term in terms)

    def watch_terms(self, text: str) -> Iterable[ResidualRisk]:
        for start, end, entry in leftmost_longest(self.watch.matches(text)):
            yield ResidualRisk(start, end, text[start:end], "watch", entry.reason)

    def place_names(self, text: str) -> Iterable[ResidualRisk]:
        """Gazetteer names still in the text (short forms not when they read as part of a word)."""
        for start, end, entry in leftmost_longest(self.places.matches(text)):
            surface = text[start:end]
            core = surface[:entry.core_length]
            if self._allowed(surface, core):
                continue
            if entry.needs_boundaries and self._inside_word(text, start, end):
                continue
            kind = "full name" if entry.core_length < len(surface) else "short form"
            yield ResidualRisk(start, start + entry.core_length, core, "gazetteer",
                               f"place name left unmasked ({kind}: {entry.reason})")

    def _inside_word(self, text: str, start: int, end: int) -> bool:
        """`创新昌盛`: the name's first or last character makes a common word with its neighbour."""
        if self.dictionary.is_frequent_word(text[start:end]):
            return True
        before = text[start - 1:start + 1] if start > 0 else ""
        after = text[end - 1:end + 1] if end < len(text) else ""
        return any(len(w) == 2 and self.dictionary.is_common(w) for w in (before, after))

    def surnames_before_titles(self, text: str) -> Iterable[ResidualRisk]:
        """A surname (one or two characters) directly before an official title: `获王县长`."""
        for title_start, title_end in _longest_titles(self.titles.matches(text)):
            title = text[title_start:title_end]
            for length in (2, 1):
                start = title_start - length
                surname = text[start:title_start] if start >= 0 else ""
                if surname not in self.surnames or self._allowed(surname):
                    continue
                if self._reads_as_word(text, start, title_end):
                    break
                yield ResidualRisk(start, title_start, surname, "surname-title",
                                   f"surname 「{surname}」 right before the title 「{title}」")
                break

    def _reads_as_word(self, text: str, start: int, title_end: int) -> bool:
        """`全市长期`, `向县长汇报`, `安全县长`: the "surname" belongs to another word."""
        following = text[start:title_end]
        if any(following[:n] in self.person_stops for n in range(1, len(following) + 1)):
            return True
        surname = text[start]
        entry = self.dictionary.entries.get(surname)
        if self.dictionary.is_function_char(surname) and (entry is None or entry[1] not in PERSON_TAGS):
            return True
        for word in (text[start - 1:start + 1] if start > 0 else "", text[start:start + 2]):
            if len(word) == 2 and self.dictionary.is_frequent_word(word):
                return True
        return False

    def remaining_near_misses(self, text: str, edits: Sequence[Replacement],
                              near_misses: Sequence[NearMiss]) -> Iterable[ResidualRisk]:
        """Near misses scored ≥ 0.3 (not kept by a policy) whose span is untouched in the output."""
        for near_miss in near_misses:
            finding = near_miss.finding
            if finding.score < self.near_miss_score or near_miss.kept:
                continue
            if self._allowed(finding.text):
                continue
            start = output_offset(finding.start, finding.end, edits)
            if start is None or text[start:start + finding.length] != finding.text:
                continue
            yield ResidualRisk(start, start + finding.length, finding.text, "near-miss",
                               f"almost masked as {finding.label} by {finding.rule_id} "
                               f"(score {finding.score:.2f}): {near_miss.why}")


def digit_runs(text: str) -> Iterable[ResidualRisk]:
    for match in DIGIT_RUN.finditer(text):
        yield ResidualRisk(match.start(), match.end(), match.group(), "digits",
                           f"{len(match.group())} digits in a row (a phone, ID or account number?)")


def output_offset(start: int, end: int, edits: Sequence[Replacement]) -> int | None:
    """Where original `[start, end)` begins in the masked text; None when an edit touches it."""
    shift = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < end and start < edit.end:
            return None
        if edit.end <= start:
            shift += len(edit.new) - (edit.end - edit.start)
    return start + shift


def _longest_titles(matches: list[tuple[int, int, Entry]]) -> list[tuple[int, int]]:
    """Title occurrences, the longest where titles nest (副县长 over 县长)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted({(s, e) for s, e, _ in matches}, key=lambda m: (m[0], -(m[1] - m[0]))):
        if kept and start < kept[-1][1] and end <= kept[-1][1]:
            continue
        kept.append((start, end))
    return kept
