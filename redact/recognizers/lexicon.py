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

from typing import NamedTuple

import ahocorasick

from redact.common_words import common_words

from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds, leftmost_longest
from redact.rules import GazetteerRule, LexiconRule, read_list


# Short forms of townships and villages that are also common words (振兴) are dropped, and so
# are county short forms that are frequent words (比如县 in Tibet); prefecture short forms are
# distinctive enough to keep whatever the dictionary says (大连).
LOCAL_LEVELS = frozenset({"township", "village"})
# Only words this long go to pkuseg's user dictionary: shorter ones would make the
# segmenter confirm the very boundaries the short-form check relies on (交[通运]输).
MIN_USER_WORD = 3


@dataclass(frozen=True)
class Entry:
    """One lexicon term: which part of it is masked, how sure, and why."""

    core_length: int
    score: float
    reason: str
    needs_boundaries: bool
    evidence: tuple[str, ...] = ()


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
            if not bounds.is_start(start):
                continue
            if entry.needs_boundaries and not (bounds.is_end(end) or end == len(text)):
                continue
            yield Candidate(start, start + entry.core_length, entry.score, entry.reason, evidence=entry.evidence)


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
    """Lexicon entries for every full name (and safe short form) at the rule's levels.

    A name shared by several divisions (沙溪镇 exists nine times) is one entry whose evidence
    lists every full path; locality inference later picks the right one.
    """
    stop = set(read_list(Path(rule.stop_file))) if rule.stop_file else set()
    dictionary = common_words()
    paths: dict[str, list[str]] = {}
    levels: dict[str, str] = {}
    cores: dict[str, int] = {}
    shorts: set[str] = set()
    for row in read_gazetteer(Path(rule.file)):
        if row.level not in rule.levels:
            continue
        path = f"{row.parent}/{row.name}" if row.parent else row.name
        core = len(row.short) if row.short and row.name.startswith(row.short) else core_length(row.name, rule.keep_suffixes)
        if row.name not in stop and 2 <= core < len(row.name):
            paths.setdefault(row.name, []).append(path)
            levels.setdefault(row.name, row.level)
            cores.setdefault(row.name, core)
        if rule.short_forms and row.short and row.short not in stop and len(row.short) >= 2 and not (
                row.level in LOCAL_LEVELS and dictionary.is_common(row.short)) and not (
                row.level == "county" and dictionary.is_frequent_word(row.short)):
            paths.setdefault(row.short, []).append(path)
            levels.setdefault(row.short, row.level)
            shorts.add(row.short)
    entries = {}
    for surface, where in paths.items():
        evidence = tuple(sorted(set(where)))
        if surface not in cores:
            entries[surface] = Entry(len(surface), rule.short_score, f"short form of {_describe(evidence)}",
                                     needs_boundaries=True, evidence=evidence)
        else:
            # 振兴乡 must end a token, or 产业振兴乡村 would be read as a township.
            ambiguous = dictionary.is_common(surface[:cores[surface]])
            entries[surface] = Entry(cores[surface], rule.score, f"{levels[surface]} {_describe(evidence)}",
                                     needs_boundaries=ambiguous, evidence=evidence)
    return entries


def _describe(evidence: tuple[str, ...]) -> str:
    first = evidence[0]
    return first if len(evidence) == 1 else f"{first} (and {len(evidence) - 1} more)"


def lexicon_words(rules: Iterable[object]) -> set[str]:
    """Every full term of the lexicon and gazetteer rules, for pkuseg's user dictionary."""
    words: set[str] = set()
    for rule in rules:
        if isinstance(rule, LexiconRule):
            words.update(rule.terms)
            if rule.terms_file:
                words.update(read_list(Path(rule.terms_file)))
        elif isinstance(rule, GazetteerRule):
            words.update(term for term, entry in gazetteer_entries(rule).items()
                         if entry.core_length < len(term) and not entry.needs_boundaries
                         and len(term) >= MIN_USER_WORD)
    return words


class GazetteerRow(NamedTuple):
    name: str
    short: str
    level: str
    parent: str


def read_gazetteer(path: Path) -> Iterable[GazetteerRow]:
    """Rows `(name, short, level, parent_path)` of a gazetteer TSV file (optionally gzipped)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 3:
                continue
            yield GazetteerRow(row[0], row[1], row[2], row[3] if len(row) > 3 else "")
