"""Lexicon and gazetteer recognizers: fixed terms matched on the raw string, longest first.

Presidio's own deny-list needs word boundaries, which Chinese text does not have, so terms are
matched with an Aho-Corasick automaton and then checked against the pkuseg token boundaries.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds, leftmost_longest
from redact.rules import GazetteerRule, LexiconRule, read_list


@dataclass(frozen=True)
class Entry:
    """One lexicon term: which part of it is masked, how sure, and why."""

    core_length: int
    score: float
    reason: str
    needs_boundaries: bool


def core_length(term: str, keep_suffixes: Iterable[str]) -> int:
    """Length of the proper-name part of `term` once its longest generic suffix is set aside."""
    for suffix in sorted(keep_suffixes, key=len, reverse=True):
        if term.endswith(suffix) and len(term) > len(suffix):
            return len(term) - len(suffix)
    return len(term)


class TermMatcher:
    """An Aho-Corasick automaton over lexicon entries."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.automaton = ahocorasick.Automaton()
        for term, entry in entries.items():
            self.automaton.add_word(term, (term, entry))
        if entries:
            self.automaton.make_automaton()
        self.empty = not entries

    def matches(self, text: str) -> list[tuple[int, int, Entry]]:
        if self.empty:
            return []
        found = []
        for end_index, (term, entry) in self.automaton.iter(text):
            start = end_index - len(term) + 1
            found.append((start, end_index + 1, entry))
        return found


class LexiconMatcherRecognizer(RuleRecognizer):
    """Shared matching logic; subclasses build the entries."""

    matcher: TermMatcher

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        for start, end, entry in leftmost_longest(self.matcher.matches(text)):
            if entry.needs_boundaries and not (bounds.is_start(start) and _ends_word(bounds, end, text)):
                continue
            yield Candidate(start, start + entry.core_length, entry.score, entry.reason)


def _ends_word(bounds: TokenBounds, end: int, text: str) -> bool:
    """A short form must end a token, or be glued only to a generic suffix such as 镇 or 片区."""
    return bounds.is_end(end) or end == len(text)


class LexiconRecognizer(LexiconMatcherRecognizer):
    """Terms listed inline or in a text file (deny-lists, landmark names, companies)."""

    def __init__(self, rule: LexiconRule) -> None:
        terms = list(rule.terms) + (read_list(Path(rule.terms_file)) if rule.terms_file else [])
        entries = {term: Entry(core_length(term, rule.keep_suffixes), rule.score,
                               f"lexicon term 「{term}」", needs_boundaries=False) for term in terms}
        self.matcher = TermMatcher(entries)
        super().__init__(rule)


class GazetteerRecognizer(LexiconMatcherRecognizer):
    """Administrative divisions: full names anywhere, short forms only on token boundaries."""

    def __init__(self, rule: GazetteerRule) -> None:
        self.matcher = TermMatcher(gazetteer_entries(rule))
        super().__init__(rule)


def gazetteer_entries(rule: GazetteerRule) -> dict[str, Entry]:
    """Lexicon entries for every full name (and safe short form) at the rule's levels."""
    stop = set(read_list(Path(rule.stop_file))) if rule.stop_file else set()
    entries: dict[str, Entry] = {}
    for name, short, level, parent in read_gazetteer(Path(rule.file)):
        if level not in rule.levels:
            continue
        where = f"{parent}/{name}" if parent else name
        if name not in stop:
            entries.setdefault(name, Entry(core_length(name, [name[len(short):]] if short and name.startswith(short)
                                                       else rule.keep_suffixes),
                                           rule.score, f"{level} in gazetteer: {where}", needs_boundaries=False))
        if rule.short_forms and short and short not in stop and len(short) >= 2:
            entries.setdefault(short, Entry(len(short), rule.short_score,
                                            f"short form of {level} {where}", needs_boundaries=True))
    return entries


def lexicon_words(rules: Iterable[object]) -> set[str]:
    """Every full term of the lexicon and gazetteer rules, for pkuseg's user dictionary."""
    words: set[str] = set()
    for rule in rules:
        if isinstance(rule, LexiconRule):
            words.update(rule.terms)
            if rule.terms_file:
                words.update(read_list(Path(rule.terms_file)))
        elif isinstance(rule, GazetteerRule):
            words.update(gazetteer_entries(rule))
    return words


def read_gazetteer(path: Path) -> Iterable[tuple[str, str, str, str]]:
    """Rows `(name, short, level, parent_path)` of a gazetteer TSV file (optionally gzipped)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 3:
                continue
            yield row[0], row[1], row[2], row[3] if len(row) > 3 else ""
