"""Lexicon and gazetteer recognizers: fixed terms matched on the raw string, longest first.

Presidio's own deny-list needs word boundaries, which Chinese text does not have, so terms are
matched with an Aho-Corasick automaton and then checked against the pkuseg token boundaries.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import hashlib
import importlib.metadata
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

from typing import NamedTuple

import ahocorasick

from redact.common_words import FREQUENT_WORD, PERSON_TAGS, PROPER_NOUN_TAGS, CommonWords, common_words

from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds, leftmost_longest
from redact.rules import AbbreviationContexts, GazetteerRule, LexiconRule, read_list


# Short forms of townships and villages that are also common words (振兴) are dropped, and so
# are county short forms that are frequent words (比如县 in Tibet); prefecture short forms are
# distinctive enough to keep whatever the dictionary says (大连).
LOCAL_LEVELS = frozenset({"township", "village"})
# The suffix of districts, which ends words for an area too (山区, 城区, 湖区).
AREA_SUFFIX = "区"
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
    kept: str | None = None  # why a finding of the term is never masked (Candidate.kept)


def core_length(term: str, keep_suffixes: Iterable[str]) -> int:
    """Length of the proper-name part of `term` once its longest generic suffix is set aside."""
    for suffix in sorted(keep_suffixes, key=len, reverse=True):
        if term.endswith(suffix) and len(term) > len(suffix):
            return len(term) - len(suffix)
    return len(term)


class TermMatcher:
    """An Aho-Corasick automaton over lexicon entries.

    The automaton stores only term lengths, and an entry is looked up when its term matches, so
    the entries may be a lazy mapping (`LazyEntries`). Large automatons are cached on disk by the
    digest of their terms (redact/cache.py).
    """

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self.entries = entries
        terms = list(entries)
        self.empty = not terms
        self.automaton = _automaton(terms) if terms else None

    def matches(self, text: str) -> list[tuple[int, int, Entry]]:
        if self.automaton is None:
            return []
        entries = self.entries
        found = []
        for end_index, length in self.automaton.iter(text):
            start = end_index - length + 1
            found.append((start, end_index + 1, entries[text[start:end_index + 1]]))
        return found


CACHED_AUTOMATON_TERMS = 5000


def _automaton(terms: list[str]) -> ahocorasick.Automaton:
    def build() -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for term in terms:
            automaton.add_word(term)
        automaton.make_automaton()
        return automaton

    if len(terms) < CACHED_AUTOMATON_TERMS:
        return build()
    from redact import cache

    digest = hashlib.sha256("\n".join(sorted(terms)).encode("utf-8")).hexdigest()
    return cache.cached_object(cache.key("automaton", params=(digest, _AHOCORASICK)), build)


_AHOCORASICK = f"pyahocorasick {importlib.metadata.version('pyahocorasick')}"


class LexiconMatcherRecognizer(RuleRecognizer):
    """Shared matching logic; subclasses build the entries."""

    matcher: TermMatcher

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        """The longest leftmost of the matches that fit the token boundaries: a term cutting a
        word (和安 in 和|安徽) takes nothing from the term it overlaps."""
        fitting = (m for m in self.matcher.matches(text) if bounds.is_start(m[0])
                   and (not m[2].needs_boundaries or self._ends_word(text, bounds, m[0], m[1])))
        for start, end, entry in leftmost_longest(fitting):
            yield Candidate(start, start + entry.core_length, entry.score, entry.reason, evidence=entry.evidence,
                            kept=entry.kept)

    def _ends_word(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """A short term ends a token, or a word attached to it does (美国|人, 英国|籍; not 也门|口)."""
        if bounds.is_end(end) or end == len(text):
            return True
        return any(text.startswith(word, end) and bounds.is_end(end + len(word)) for word in self.rule.attached_words)


class LexiconRecognizer(LexiconMatcherRecognizer):
    """Terms listed inline or in a text file (deny-lists, landmark names, companies), and the
    one-character abbreviations of the terms when the rule lists them (美 = 美国, 京 = 北京).

    A finding's evidence is the term it stands for, so the allow-list that keeps 美国 keeps 美.
    The terms of `kept_terms_file` are recognised and kept by the rule itself (华沙, also a
    Chinese village: the allow-list would keep the village too)."""

    def __init__(self, rule: LexiconRule) -> None:
        terms = list(rule.terms) + (read_list(Path(rule.terms_file)) if rule.terms_file else [])
        kept_terms = read_list(Path(rule.kept_terms_file)) if rule.kept_terms_file else []
        kept = frozenset(kept_terms)
        short = MIN_USER_WORD if rule.attached_words else 0
        entries = {term: Entry(core_length(term, rule.keep_suffixes), rule.score, f"lexicon term 「{term}」",
                               needs_boundaries=len(term) < short, evidence=(term,),
                               kept=rule.kept_reason if term in kept else None)
                   for term in dict.fromkeys(terms + kept_terms)}
        self.matcher = TermMatcher(entries)
        self.abbreviations = AbbreviationFinder(
            read_abbreviations(Path(rule.abbreviations_file)), rule.abbreviations, rule.score,
        ) if rule.abbreviations_file else None
        self.transliteration = frozenset("".join(read_list(Path(rule.transliteration_file)))) \
            if rule.transliteration_file else frozenset()
        self.after_place_word = re.compile(f"(?:{_alternatives(rule.place_words)})") if rule.place_words else None
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        names = list(super().candidates(text, bounds))
        yield from names
        if self.abbreviations is not None:
            # 欧美 is a name of the list and a run; 俄 of 俄罗斯 is the name itself.
            covered = {i for n in names for i in range(n.start, n.end)}
            yield from (c for c in self.abbreviations.candidates(text, bounds)
                        if not all(i in covered for i in range(c.start, c.end)))
        yield from (c for c in self._after_place_words(text, bounds)
                    if not any(n.start < c.end and c.start < n.end for n in names))

    def _after_place_words(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """`首都|奥拉涅斯塔德`, `城市|蒙特勒`: a token of two or more transliteration characters, right
        after a word that introduces a place, that the dictionary does not know (a word as 丰富, or a
        Chinese place as 克拉玛依, is in it)."""
        if self.after_place_word is None or not self.transliteration:
            return
        dictionary = common_words()
        for match in self.after_place_word.finditer(text):
            token = bounds.token_after(match.end())
            if token is None or not bounds.is_end(match.end()):
                continue
            name = text[token[0]:token[1]]
            if len(name) >= 2 and set(name) <= self.transliteration and name not in dictionary.entries:
                yield Candidate(token[0], token[1], self.rule.score, f"「{name}」 after 「{match.group()}」",
                                kept=self.rule.place_word_reason)

KEPT_LEVELS = frozenset({"country", "region", "province"})
ABBREVIATION_CONTEXTS = frozenset({"list", "before", "after", "direction", "alone"})
MAX_RUN = 4
# An abbreviation standing alone (俄|金融市场) counts near its full name: within this many characters.
ANCHOR_WINDOW = 1000
# Single characters the dictionary tags as names or abbreviations (俄 j, 墨 nr, 澳 ns), unlike 中 (f),
# 日 (m) or 台 (q), which stand alone as ordinary words.
NAME_CHAR_TAGS = PROPER_NOUN_TAGS | {"j"}
# Depth of a county in a division path (浙江省/绍兴市/新昌县: two separators).
COUNTY_DEPTH = 3
# Tags of dictionary words that are names (nz: other proper nouns, such as battles named after a place).
NAME_TAGS = PROPER_NOUN_TAGS | {"nz"}


class Abbreviation(NamedTuple):
    """One reading of a one-character abbreviation: the name, whether the allow-list keeps
    names of its level (countries, regions, provinces), and where it may stand alone."""

    name: str
    kept: bool
    contexts: frozenset[str]


def _within(ordered: list[int], at: int, distance: int) -> bool:
    """Whether a value of the sorted list `ordered` lies within `distance` of `at`."""
    index = bisect.bisect_left(ordered, at - distance)
    return index < len(ordered) and ordered[index] <= at + distance


def read_abbreviations(path: Path) -> dict[str, list[Abbreviation]]:
    """Abbreviation → its readings, from a TSV file (abbreviation, name, level, contexts)."""
    table: dict[str, list[Abbreviation]] = {}
    for line in read_list(path):
        abbreviation, name, level, contexts = line.split("\t")
        where = frozenset(contexts.split(",")) - {"-"}
        if len(abbreviation) != 1 or not where <= ABBREVIATION_CONTEXTS:
            raise ValueError(f"{path}: bad abbreviation line {line!r}")
        table.setdefault(abbreviation, []).append(Abbreviation(name, level in KEPT_LEVELS, where))
    return table


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


class AbbreviationFinder:
    """One-character abbreviations where the context makes them names.

    - a run of two to four (中美, 京津冀, 杭甬) that is one token, or is followed by a link word
      (中|美|两国); it is kept when every member can name a country, region or province,
      else it names prefectures and is masked (杭甬 = 杭州 + 宁波);
    - a list of single characters (中、美、日);
    - after a word that takes a place (访|华, 抵|京) or before one (美|方, 日|军);
    - a province's abbreviation and a direction (浙南, 滇西): part of a province, masked;
    - a token of its own near its full name (墨西哥 … 墨|与欧盟), when the dictionary tags the
      character as a name or a word of the state follows it (加拿大 … 加|政府);
    - a token of its own anywhere, for the characters that alone name nothing else (俄|金融市场).
    """

    def __init__(self, table: dict[str, list[Abbreviation]], contexts: AbbreviationContexts, score: float) -> None:
        self.table = table
        self.contexts = contexts
        self.score = score
        self.stop_terms = frozenset(contexts.stop_terms)
        self.kept_names = frozenset(a.name for readings in table.values() for a in readings if a.kept)
        self.kept_automaton = ahocorasick.Automaton()
        for name in sorted(self.kept_names):
            self.kept_automaton.add_word(name, name)
        self.kept_automaton.make_automaton()
        chars = self._chars(None)
        self.run = re.compile(f"[{chars}]{{2,}}")
        self.listed = re.compile(f"(?<!、)[{chars}](?:、[{chars}])+(?!、)")
        self.before = self._pattern(f"(?:{_alternatives(contexts.before_words)})([{self._chars('before')}])",
                                    contexts.before_words)
        self.after = self._pattern(f"([{self._chars('after')}])(?:{_alternatives(contexts.after_words)})",
                                   contexts.after_words)
        self.direction = self._pattern(f"([{self._chars('direction')}])(?:{_alternatives(contexts.directions)})",
                                       contexts.directions)
        alone = self._chars("alone")
        self.alone = re.compile(f"[{alone}]") if alone else None

    def _chars(self, context: str | None) -> str:
        return re.escape("".join(sorted(c for c, readings in self.table.items()
                                        if context is None or any(context in a.contexts for a in readings))))

    @staticmethod
    def _pattern(regex: str, words: Sequence[str]) -> re.Pattern[str] | None:
        return re.compile(regex) if words and "[]" not in regex else None

    def candidates(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        regions = list(self._regions(text, bounds))
        taken = {(c.start, c.end) for c in regions}
        found = regions + [c for c in self._runs(text, bounds) if (c.start, c.end) not in taken]
        found += self._lists(text, bounds)
        around = list(self._around_words(text, bounds))
        taken |= {(c.start, c.end) for c in around}
        found += around + [c for c in self._anchored(text, bounds) if (c.start, c.end) not in taken]
        yield from found
        covered = {i for c in found for i in range(c.start, c.end)}  # 巴 of the run 巴以
        yield from (c for c in self._alone(text, bounds) if c.start not in covered)

    def _kept(self, char: str, context: str | None = None) -> tuple[str, ...]:
        return tuple(a.name for a in self.table[char] if a.kept and (context is None or context in a.contexts))

    def _runs(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """Runs followed by a link word (中|美|两国, 杭甬|复线), or of names that stand alone."""
        for match in self.run.finditer(text):
            start, end, run = match.start(), match.end(), match.group()
            if len(run) > MAX_RUN or run in self.stop_terms or len(set(run)) < len(run):
                continue  # 美美, 津津: reduplication
            if not bounds.is_start(start) or not (bounds.is_end(end) or end == len(text)):
                continue
            if self._linked(text, end) or self._standalone_run(run, start, end, bounds):
                yield self._run_candidate(start, end, run)

    def _linked(self, text: str, end: int) -> bool:
        return any(text.startswith(word, end) for word in self.contexts.link_words)

    def _standalone_run(self, run: str, start: int, end: int, bounds: TokenBounds) -> bool:
        """Names that stand alone in lists, each its own token (中|美) or together one token that is
        no ordinary word or person's name (欧美, not 美德)."""
        if not all(self._kept(char, "list") for char in run):
            return False
        if all(bounds.token_at(i) == (i, i + 1) for i in range(start, end)):
            return True
        return bounds.token_at(start) == (start, end) and self._reads_as_names(run)

    @staticmethod
    def _reads_as_names(run: str) -> bool:
        """Not an ordinary word (非法, 中日 as a frequent word) nor a person's name (希冀)."""
        dictionary = common_words()
        entry = dictionary.entries.get(run)
        return entry is None or not (dictionary.is_common(run) or entry[1] in PERSON_TAGS)

    def _run_candidate(self, start: int, end: int, run: str) -> Candidate:
        """Kept when every member can name a country, region or province; else a prefecture run."""
        if all(self._kept(char) for char in run):
            names = tuple(dict.fromkeys(n for char in run for n in self._kept(char)))
            return Candidate(start, end, self.score, f"abbreviations of {'、'.join(names)}", evidence=names)
        names = tuple(dict.fromkeys(n for char in run for n in
                                    ([a.name for a in self.table[char] if not a.kept] or self._kept(char))))
        return Candidate(start, end, self.contexts.local_score, f"abbreviations of {'、'.join(names)}")

    def _lists(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """`中、美、日`: single-character items, two or more of which stand alone in lists."""
        for match in self.listed.finditer(text):
            positions = range(match.start(), match.end(), 2)
            if not all(bounds.is_start(i) and bounds.is_end(i + 1) for i in positions):
                continue
            if sum(1 for i in positions if self._kept(text[i], "list")) < 2:
                continue
            for i in positions:
                if names := self._kept(text[i]):
                    yield Candidate(i, i + 1, self.score, f"abbreviation of {'、'.join(names)} in a list",
                                    evidence=names)

    def _around_words(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """`访华`, `抵京` (the abbreviation ends a token) and `美方`, `日军` (it starts one that
        holds the word, or stands alone before it)."""
        if self.before is not None:
            for match in self.before.finditer(text):
                start = match.start(1)
                token = bounds.token_at(start)
                if (bounds.is_end(start + 1) or start + 1 == len(text)) and token and token[0] in (start, match.start()):
                    yield self._single(text, start, "before", match.group())
        if self.after is not None:
            for match in self.after.finditer(text):
                start, end = match.start(1), match.end()
                token = bounds.token_at(start)
                whole = token is not None and token[0] == start and (
                    token[1] >= end or (token[1] == start + 1 and (bounds.is_end(end) or end == len(text))))
                if whole and match.group() not in self.stop_terms:
                    yield self._single(text, start, "after", match.group())

    def _anchored(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """A kept name's abbreviation as a token of its own within ANCHOR_WINDOW characters of
        the name itself (俄罗斯 … 俄|市场), when the dictionary tags the character as a name or a
        word of the state follows it (加拿大 … 加|政府)."""
        named: dict[str, list[int]] = {}
        for end, name in self.kept_automaton.iter(text):
            named.setdefault(name, []).append(end - len(name) + 1)
        if not named:
            return
        dictionary = common_words()
        readings = {char: names for char, abbreviations in self.table.items()
                    if (names := tuple(a.name for a in abbreviations if a.name in named))}
        name_chars = "".join(sorted(c for c in readings if dictionary.entries.get(c, (0, ""))[1] in NAME_CHAR_TAGS))
        word_chars = "".join(sorted(set(readings) - set(name_chars)))
        alternatives = [f"[{re.escape(name_chars)}]"] if name_chars else []
        if word_chars and self.contexts.state_words:  # 加|政府: only before a word of the state
            alternatives.append(f"[{re.escape(word_chars)}](?={_alternatives(self.contexts.state_words)})")
        if not alternatives:
            return
        for match in re.finditer("|".join(alternatives), text):
            start = match.start()
            if not (bounds.is_start(start) and bounds.is_end(start + 1)) or self._in_a_word(text, start, dictionary):
                continue
            if match.group() in word_chars and not self._before_state_word(text, bounds, start + 1):
                continue
            near = tuple(n for n in readings[match.group()] if _within(named[n], start, ANCHOR_WINDOW))
            if near:
                yield Candidate(start, start + 1, self.score,
                                f"abbreviation of {'、'.join(near)}, named nearby", evidence=near)

    def _alone(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """`俄|金融市场`, `澳|8年来`: a character that names its country wherever it stands alone,
        a token of its own that makes no ordinary word with a neighbour."""
        if self.alone is None:
            return
        dictionary = common_words()
        for match in self.alone.finditer(text):
            start = match.start()
            if bounds.is_start(start) and bounds.is_end(start + 1) and not self._in_a_word(text, start, dictionary):
                names = self._kept(text[start], "alone")
                yield Candidate(start, start + 1, self.score, f"abbreviation of {'、'.join(names)} standing alone",
                                evidence=names)

    def _before_state_word(self, text: str, bounds: TokenBounds, end: int) -> bool:
        after = bounds.token_after(end)
        return after is not None and text[after[0]:after[1]] in self.contexts.state_words

    @staticmethod
    def _in_a_word(text: str, at: int, dictionary: CommonWords) -> bool:
        """The character makes an ordinary word with a neighbour (以|德|治国: 德治)."""
        return (at > 0 and dictionary.is_common(text[at - 1:at + 1])) or \
            (at + 1 < len(text) and dictionary.is_common(text[at:at + 2]))

    def _single(self, text: str, start: int, context: str, word: str) -> Candidate:
        names = self._kept(text[start], context)
        return Candidate(start, start + 1, self.score, f"abbreviation of {'、'.join(names)} in 「{word}」",
                         evidence=names)

    def _regions(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """`浙南`, `滇西`, `浙西南`: a part of a province, which narrows the place down (masked)."""
        if self.direction is None:
            return
        dictionary = common_words()
        for match in self.direction.finditer(text):
            start, end, word = match.start(), match.end(), match.group()
            entry = dictionary.entries.get(word)
            if word in self.stop_terms or word in self.kept_names or (entry and entry[1] not in PROPER_NOUN_TAGS):
                continue  # 陕西 is the province itself; 藏北 is tagged as a plain word
            if bounds.is_start(start) and (bounds.is_end(end) or end == len(text)):
                province = "、".join(self._kept(word[0], "direction"))
                yield Candidate(start, end, self.contexts.local_score, f"part of the province {province}")


class GazetteerRecognizer(LexiconMatcherRecognizer):
    """Administrative divisions: full names anywhere, short forms only on token boundaries."""

    def __init__(self, rule: GazetteerRule) -> None:
        self.matcher = TermMatcher(gazetteer_entries(rule))
        phrases = [w for w in read_list(Path(rule.stop_file)) if len(w) > 2] if rule.stop_file else []
        self.stop_phrases = _automaton(phrases) if phrases else None
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        """As for any lexicon, but a full name whose suffix starts a word (宜居|乡村) is no name;
        its short form still is, when it is an entry itself: 台州|市民, 重庆|市郊, 新昌|县长; unless a
        village follows (淡竹乡|下叶村, where the segmenter read 乡下 "countryside"). Nor is
        one whose first character ends a frequent word while the rest is a common one (新建|城镇). A short
        form right after the name of a division above it is that division's (浙江省|新昌). A name
        inside a longer stop-listed phrase is none (金山 of 绿水青山就是金山银山)."""
        dictionary = common_words()
        phrases = self._stop_phrase_spans(text)
        parent_start, parent_end, parents = -1, -1, ()
        for candidate in super().candidates(text, bounds):
            if any(start <= candidate.start and candidate.end <= end for start, end in phrases):
                continue
            suffix_end = self._suffix_end(text, candidate)
            if suffix_end and _read_as_two_words(text, candidate.start, suffix_end):
                continue
            if suffix_end and suffix_end < len(text) and dictionary.is_common(text[suffix_end - 1:suffix_end + 1]) \
                    and not VILLAGE_AFTER.match(text, suffix_end):
                yield from self._short_form(text, candidate)
                continue
            if candidate.start == parent_end:
                candidate = self._under_parent(candidate, text[parent_start:parent_end], parents)
            yield candidate
            parent_start, parent_end, parents = candidate.start, suffix_end or candidate.end, candidate.evidence

    def _stop_phrase_spans(self, text: str) -> list[tuple[int, int]]:
        if self.stop_phrases is None:
            return []
        return [(end - length + 1, end + 1) for end, length in self.stop_phrases.iter(text)]

    def _under_parent(self, candidate: Candidate, parent: str, parents: tuple[str, ...]) -> Candidate:
        """A county's or township's short form written right after `parent`, the name of a division
        above it, as addresses are (绍兴新昌, 新昌县儒岙): as sure as a full name. A prefecture's is
        left to the locality (a far one may be named for comparison)."""
        if candidate.score >= self.rule.score:
            return candidate
        under = tuple(path for path in candidate.evidence if path.count("/") >= COUNTY_DEPTH - 1
                      and any(path.startswith(above + "/") for above in parents))
        if not under:
            return candidate
        return replace(candidate, score=self.rule.score,
                       reason=f"short form of {_describe(under)}, right after 「{parent}」")

    def _short_form(self, text: str, candidate: Candidate) -> Iterator[Candidate]:
        entry = self.matcher.entries.get(text[candidate.start:candidate.end])
        if entry is not None:
            yield Candidate(candidate.start, candidate.start + entry.core_length, entry.score, entry.reason,
                            evidence=entry.evidence, kept=entry.kept)

    def _ends_word(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """As for any lexicon, but a word made of a short form and an attached word must be no
        frequent dictionary word (温州|人, 常熟|人: a rare word for the people of a place; not 主持|人)."""
        if bounds.is_end(end) or end == len(text):
            return True
        if self._glued_to_word(text, bounds, start, end):
            return True
        if end - start > 2 and bounds.is_start(end - 1) and VILLAGE_AFTER.match(text, end):
            return True  # 淡竹|乡下|叶村: the segmenter glued the suffix to the village after it
        return super()._ends_word(text, bounds, start, end) and not any(
            common_words().is_frequent_word(text[start:end + len(word)]) for word in self.rule.attached_words
            if text.startswith(word, end))

    @staticmethod
    def _glued_to_word(text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """`台儿庄战役`: the segmenter glued an ordinary word of two characters or more to the name;
        the whole is no dictionary word, or a name (not 大同小异)."""
        token = bounds.token_at(start)
        if token is None or token[0] != start or token[1] - end < 2:
            return False
        dictionary = common_words()
        whole = dictionary.entries.get(text[start:token[1]])
        return dictionary.is_common(text[end:token[1]]) and (whole is None or whole[1] in NAME_TAGS)

    def _suffix_end(self, text: str, candidate: Candidate) -> int | None:
        """End of the full name matched at the candidate, if it was a full name with a suffix."""
        for suffix in sorted(self.rule.keep_suffixes, key=len, reverse=True):
            if text.startswith(suffix, candidate.end):
                return candidate.end + len(suffix)
        return None


# A village name right after a township's suffix (淡竹乡|下叶村): the suffix ends the township.
VILLAGE_AFTER = re.compile(r"[\u4e00-\u9fff]{1,3}(?:村|社区)")


def _read_as_two_words(text: str, start: int, end: int) -> bool:
    """`新建城镇`: the name's first character ends a frequent word with the one before it, and
    the rest of the name is a common word (建城镇 is a township; 新建 + 城镇 is the reading; not
    深圳市南山区, where 市南 is a rare word)."""
    dictionary = common_words()
    before = text[start - 1:start + 1]
    return start > 0 and end - start > 2 and dictionary.is_common(before) \
        and dictionary.entries[before][0] >= FREQUENT_WORD and dictionary.is_common(text[start + 1:end])


def gazetteer_entries(rule: GazetteerRule) -> Mapping[str, Entry]:
    """Lexicon entries for every full name (and safe short form) at the rule's levels.

    A name shared by several divisions (沙溪镇 exists nine times) is one entry whose evidence
    lists every full path; locality inference later picks the right one. Built once per process
    and rule (the recognizer, the user words and the residual scan share it) and cached on disk
    by the contents of the files it is derived from (redact/cache.py); read from there, it is a
    `LazyEntries` mapping that reads an entry when it is looked up. To select entries by a
    property of theirs, use `gazetteer_subset`, which caches the selection too.
    """
    return _gazetteer_entries(rule, _entries_key(rule))


_COMMON_WORDS_SOURCE = str(Path(__file__).resolve().parent.parent / "common_words.py")
_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))
_KEYS = "\0keys"  # the shard listing every term, in order


def _entries_key(rule: GazetteerRule) -> str:
    from redact import cache

    files = (rule.file, rule.stop_file, __file__, _COMMON_WORDS_SOURCE)
    return cache.key("gazetteer-entries", files=files, params=(rule.model_dump_json(), _ENTRY_FIELDS))


@lru_cache(maxsize=8)
def _gazetteer_entries(rule: GazetteerRule, name: str) -> Mapping[str, Entry]:
    from redact import cache

    built: dict[str, Entry] = {}

    def shards() -> dict[str, object]:
        built.update(_build_gazetteer_entries(rule))
        by_char: dict[str, object] = {_KEYS: list(built)}
        for term, entry in built.items():
            by_char.setdefault(term[:1], {})[term] = tuple(getattr(entry, f) for f in _ENTRY_FIELDS)  # type: ignore[index]
        return by_char

    store = cache.sharded(name, shards)
    if store is None:  # cache off, or too small to be worth it
        return built or _build_gazetteer_entries(rule)
    return LazyEntries(store)


class LazyEntries(Mapping[str, Entry]):
    """Entries read from a shard file (one shard per first character) as they are looked up."""

    def __init__(self, store: object) -> None:
        self._store = store
        self._shards: dict[str, dict[str, tuple]] = {}
        self._entries: dict[str, Entry] = {}
        self._keys: list[str] | None = None

    def _values(self, term: str) -> tuple | None:
        key = term[:1]
        shard = self._shards.get(key)
        if shard is None:
            shard = self._shards[key] = self._store.get(key, {}) if key else {}  # type: ignore[attr-defined]
        return shard.get(term)

    def __getitem__(self, term: str) -> Entry:
        entry = self._entries.get(term)
        if entry is None:
            values = self._values(term)
            if values is None:
                raise KeyError(term)
            entry = self._entries[term] = Entry(*values)
        return entry

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and (term in self._entries or self._values(term) is not None)

    def __iter__(self) -> Iterator[str]:
        if self._keys is None:
            self._keys = self._store.get(_KEYS, [])  # type: ignore[attr-defined]
        return iter(self._keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class SubsetEntries(Mapping[str, Entry]):
    """The entries of `terms` only, looked up in `entries`."""

    def __init__(self, entries: Mapping[str, Entry], terms: list[str]) -> None:
        self._entries = entries
        self._terms = terms
        self._set = frozenset(terms)

    def __getitem__(self, term: str) -> Entry:
        if term not in self._set:
            raise KeyError(term)
        return self._entries[term]

    def __contains__(self, term: object) -> bool:
        return term in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)


def gazetteer_subset(rule: GazetteerRule, keep: Callable[[str, Entry], bool]) -> Mapping[str, Entry]:
    """The gazetteer entries for which `keep(term, entry)` holds, in order. The selection is
    cached on disk like the entries (keyed by them and by the source of `keep`'s module)."""
    return _gazetteer_subset(rule, _entries_key(rule), keep)


@lru_cache(maxsize=16)
def _gazetteer_subset(rule: GazetteerRule, name: str, keep: Callable[[str, Entry], bool]) -> Mapping[str, Entry]:
    from redact import cache

    entries = _gazetteer_entries(rule, name)
    source = getattr(sys.modules.get(keep.__module__), "__file__", None)
    key = cache.key("gazetteer-subset", files=(source,), params=(name, keep.__module__, keep.__qualname__))
    terms = cache.cached(key, lambda: [term for term, entry in entries.items() if keep(term, entry)])
    return SubsetEntries(entries, terms)


def _build_gazetteer_entries(rule: GazetteerRule) -> dict[str, Entry]:
    stop = set(read_list(Path(rule.stop_file))) if rule.stop_file else set()
    dictionary = common_words()
    rows = list(read_gazetteer(Path(rule.file)))
    paths: dict[str, list[str]] = {}
    levels: dict[str, str] = {}
    cores: dict[str, int] = {}
    for row in rows:
        if row.level not in rule.levels:
            continue
        core = len(row.short) if row.short and row.name.startswith(row.short) else core_length(row.name, rule.keep_suffixes)
        core = core_length(row.name[:core], rule.street_suffixes) if core > 2 else core  # 人民|路|街道
        named = 2 <= core or _one_character_county(row, core, rule, dictionary)
        if row.name not in stop and named and core < len(row.name):
            paths.setdefault(row.name, []).append(_path(row))
            levels.setdefault(row.name, row.level)
            cores.setdefault(row.name, core)
        if rule.short_forms and _safe_short_form(row, stop, dictionary):
            paths.setdefault(row.short, []).append(_path(row))
            levels.setdefault(row.short, row.level)
    renamed = _renamed_names(rows, rule, stop | set(paths))
    entries = {}
    for surface, where in paths.items():
        evidence = tuple(sorted(set(where)))
        if surface not in cores:
            core = core_length(surface, rule.street_suffixes) if len(surface) > 2 else len(surface)  # 人民|路
            entries[surface] = Entry(core, rule.short_score, f"short form of {_describe(evidence)}",
                                     needs_boundaries=True, evidence=evidence)
        else:
            core = cores[surface]
            # 城区街道, 建设街道: a township named by a frequent word is as doubtful as a short form
            # (三个城区街道); the locality confirms it.
            plain = levels[surface] == "township" and dictionary.is_frequent_word(surface[:core])
            entries[surface] = Entry(core, rule.short_score if plain else rule.score,
                                     f"{levels[surface]} {_describe(evidence)}"
                                     + (", named by a frequent word" if plain else ""),
                                     needs_boundaries=_ambiguous(surface, core, dictionary), evidence=evidence)
    for surface, (core, level, where) in renamed.items():
        evidence = tuple(sorted(set(where)))
        # Only where the segmenter ends the name too: a renamed form is no word of its dictionary.
        entries[surface] = Entry(core, rule.score, f"{level} {_describe(evidence)}, named with another suffix "
                                 f"of its level", needs_boundaries=True, evidence=evidence)
    return entries


def _path(row: GazetteerRow) -> str:
    return f"{row.parent}/{row.name}" if row.parent else row.name


def _safe_short_form(row: GazetteerRow, stop: set[str], dictionary: CommonWords) -> bool:
    """Two characters or more, not listed, and no common word for a township (振兴) nor a frequent
    word for a county (比如)."""
    return bool(row.short) and row.short not in stop and len(row.short) >= 2 and not (
        row.level in LOCAL_LEVELS and dictionary.is_common(row.short)) and not (
        row.level == "county" and dictionary.is_frequent_word(row.short))


def _ambiguous(name: str, core: int, dictionary: CommonWords) -> bool:
    """A full name that must end a token: 振兴乡, or 产业振兴乡村 would be read as a township; 歙县;
    and a district ending in a word for an area (南山区: 山区), which as a word of pkuseg's user
    dictionary would make it read 浙南山区 as 浙|南山区."""
    return core < 2 or dictionary.is_common(name[:core]) or (
        name.endswith(AREA_SUFFIX) and dictionary.is_common(name[core - 1:core + 1]))


def _one_character_county(row: GazetteerRow, core: int, rule: GazetteerRule, dictionary: CommonWords) -> bool:
    """歙县, 芒市: a county named by one character that is no frequent word of its own (和县, 新县)."""
    return (row.level == "county" and core == 1 and row.name[1:] in rule.one_character_suffixes
            and not dictionary.is_function_char(row.name[0]))


def _renamed_names(rows: Sequence[GazetteerRow], rule: GazetteerRule, taken: set[str]
                   ) -> dict[str, tuple[int, str, list[str]]]:
    """Names of divisions with another suffix of their level (澄海市 for 澄海区, once 澄海县:
    counties became cities and cities districts; 雾溪乡 for 雾溪畲族乡), each with its core length,
    level and paths; never a name some division bears (朝阳市 for 朝阳区), nor a listed word."""
    suffixes = {r.level: r.suffixes for r in rule.renamed_suffixes if r.level in rule.levels}
    names = {row.name for row in rows} | taken
    renamed: dict[str, tuple[int, str, list[str]]] = {}
    for row in rows:
        stem = row.short
        own = suffixes.get(row.level, ())
        if not stem or not row.name.startswith(stem) or not row.name.endswith(own):
            continue  # 雾溪畲族乡 is written 雾溪乡 too
        for suffix in own:
            if stem + suffix not in names:
                renamed.setdefault(stem + suffix, (len(stem), row.level, []))[2].append(_path(row))
    return renamed


def _describe(evidence: tuple[str, ...]) -> str:
    first = evidence[0]
    return first if len(evidence) == 1 else f"{first} (and {len(evidence) - 1} more)"


def lexicon_words(rules: Iterable[object]) -> set[str]:
    """Every full term of the lexicon and gazetteer rules, for pkuseg's user dictionary."""
    words: set[str] = set()
    for rule in rules:
        if isinstance(rule, LexiconRule):
            terms = list(rule.terms) + (read_list(Path(rule.terms_file)) if rule.terms_file else [])
            # Short terms whose token end is checked must not be forced into tokens (发展|中国|家).
            words.update(t for t in terms if not rule.attached_words or len(t) >= MIN_USER_WORD)
        elif isinstance(rule, GazetteerRule):
            words.update(gazetteer_subset(rule, is_user_word))
    return words


def is_user_word(term: str, entry: Entry) -> bool:
    """A full gazetteer name (generic suffix included) that pkuseg should keep whole."""
    return entry.core_length < len(term) and not entry.needs_boundaries and len(term) >= MIN_USER_WORD


class GazetteerRow(NamedTuple):
    name: str
    short: str
    level: str
    parent: str


class DivisionNames(NamedTuple):
    """The names of a gazetteer's upper levels: full names and short forms of two characters or
    more; a county's short form only when it is not a frequent word (比如, 通道)."""

    provinces: frozenset[str]
    prefectures: frozenset[str]
    counties: frozenset[str]


def division_names(file: str) -> DivisionNames:
    """`DivisionNames` of a gazetteer file, cached on disk by the contents of the file and of this
    module (redact/cache.py): reading the gazetteer and looking its short forms up takes a few
    tenths of a second."""
    from redact import cache

    name = cache.key("division-names", files=(file, __file__, _COMMON_WORDS_SOURCE))
    return cache.cached(name, lambda: _division_names(file, common_words()),
                        dump=lambda v: [sorted(names) for names in v],
                        load=lambda v: DivisionNames(*(frozenset(names) for names in v)))


def _division_names(file: str, dictionary: CommonWords) -> DivisionNames:
    levels: dict[str, set[str]] = {"province": set(), "prefecture": set(), "county": set()}
    for row in read_gazetteer(Path(file)):
        if row.level not in levels:
            continue
        for name in (row.name, row.short):
            # a county named by a frequent word (城区, 郊区, 矿区; the short form 丰满) names no place here
            if len(name) >= 2 and not (row.level == "county" and dictionary.is_frequent_word(name)):
                levels[row.level].add(name)
    return DivisionNames(*(frozenset(names) for names in levels.values()))


def read_gazetteer(path: Path) -> Iterable[GazetteerRow]:
    """Rows `(name, short, level, parent_path)` of a gazetteer TSV file (optionally gzipped)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 3:
                continue
            yield GazetteerRow(row[0], row[1], row[2], row[3] if len(row) > 3 else "")
