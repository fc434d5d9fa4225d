"""Locality inference: a document is about one place; find it and let it steer the place scores.

From the gazetteer hits (a township and its county, several villages of one township …) the
home county (or prefecture) is the division with the most support. Then:
- places inside the home area are near-certain (`home_score`);
- short forms that only name places outside the home province become near misses
  (`南通`, `大连` in a Zhejiang document are comparisons, not the author's locality);
- the home county's own villages and communities become entries, even without a suffix;
- two-character abbreviations of two home townships (`双梅` = 双彩乡 + 梅渚镇), or of the home
  county and another county of its prefecture (`余慈` = 余姚 + 慈溪), are found;
- a quoted brand opening with the home prefecture's one-character abbreviation (“甬上红领”, 甬 =
  宁波) names the place, and so does a word unknown to the dictionary that holds a character
  found only in the home townships' names (`艺碶` where 新碶 and 大碶 are home townships);
- unknown names listed together with a confirmed place (`下岩贝-金山上、梅棠雅集`) are places too,
  and so are those chained to one, as an address runs from the larger place to the smaller
  (`凤洋社漕头李区块`, `渡头洋河滨公园`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import permutations
from pathlib import Path

import ahocorasick

from redact.common_words import PROPER_NOUN_TAGS, VERY_FREQUENT_WORD, common_words, is_han
from redact.findings import Finding
from redact.recognizers.base import QUOTE_PAIRS, TokenBounds
from redact.recognizers.lexicon import (Entry, GazetteerRow, TermMatcher, leftmost_longest, read_abbreviations,
                                        read_gazetteer)
from redact.rules import GazetteerRule, LocalitySettings, read_list
from redact.sections import document_spans

# A locality needs at least this much support (distinct names, each weighted by how many
# divisions it may name): one ambiguous township name alone decides nothing.
MIN_SUPPORT = 1.5
# A locality holding this share of a document's division names makes it a local document, where
# far short forms are comparisons (南通、大连 in a Taizhou report); in a newspaper page, with
# places all over the country, a distinctive far short form (敦煌) is a place like any other.
DOMINANT_SHARE = 0.15
COUNTY_DEPTH = 3
PREFECTURE_DEPTH = 2
# Province-level cities: the divisions right under them are counties (天津市/滨海新区), not prefectures.
MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
SEPARATORS = "、·-－—/／至"
# An opening quotation mark (where a brand name starts).
QUOTED_WORD = re.compile(f"[{''.join(QUOTE_PAIRS)}]")
# Conjunctions that join two places with the same kind of generic suffix (XX路和檀和线).
CONJUNCTIONS = ("和", "与", "及")
DIRECTIONS = "东南西北"
PLACEHOLDER = re.compile(r"(?<![A-Za-z])XX(?![A-Za-z])|(?<![A-Za-z])xx(?![A-Za-z])")
# What makes an ordinary-word county short form (平遥 "flat and far") a place: a place noun after
# it, a verb of going or lying somewhere before it, or 到/在 before it and a visit after it.
PLACE_NOUN_AFTER = re.compile("古城|古镇|石刻|县城|县境|城区|老城|一带|地区|境内|全境|当地|籍")
GOING_BEFORE = re.compile("(?:赴|来自|前往|途经|位于|地处|抵达|到达|奔赴|落户)$")
VISIT_AFTER = re.compile("调研|考察|视察|参观|检查|慰问|走访|开展|举行|召开|举办|旅游|旅行|出差|工作")
# A rare place or other proper noun listed with a place (永丰) is a place too; not a person's name.
NAME_TAGS = frozenset({"ns", "nz"})
RARE_NAME = 100
SIBLING_STOPS = ("等", "片区", "和", "及", "与", "两", "各", "的", "村", "镇", "乡")
SIBLING_LENGTHS = range(2, 5)
CHAIN_LENGTHS = range(2, 5)
# A smaller place has three characters or more: two before 地块 are mostly a clipped phrase (棚改 =
# 棚户区改造, 旧改), which the dictionary does not know either.
SMALLER_LENGTHS = range(3, 5)
LIST_END = "等"
RECOGNIZER = "LocalityInference"
# Characters that make an abbreviation read as ordinary prose (前三季度, 上下联动).
NON_NAME_TAGS = frozenset({"m", "f", "p", "c", "u", "d", "r", "q"})
GRAMMATICAL_TAGS = frozenset({"p", "c", "u", "d", "r"})
UNIT_TAGS = frozenset({"m", "q"})
# Verbs, adverbs and adjectives: a word that describes (改造, 提升, 新) is no part of a chained name.
DESCRIBING_TAGS = frozenset({"v", "vn", "vd", "d", "a", "ad", "an"})
# An abbreviation's reason, and whether it counts only as a whole token.
AbbreviationReason = tuple[str, bool]
# The suffixes of townships, after which a village's full name may start inside a token.
TOWNSHIP_ENDS = "乡镇"
# A plain noun used this often in the dictionary reads as the word, not as a home village (富民).
RARE_HOME_NOUN = 100
# A character the dictionary barely knows (碶, 岙, 堍): in a home name, it marks a local coinage.
RARE_CHAR = 30
OFFICE_ENDINGS = ("局", "厅", "委", "办", "部", "站", "所", "院", "处", "科", "队", "中心", "公司")


@dataclass(frozen=True)
class Locality:
    """The inferred home area: its full path and the names that voted for it."""

    path: str
    support: float
    evidence: tuple[str, ...]
    # The share of the document's division names inside the locality's prefecture.
    share: float = 1.0

    @property
    def is_dominant(self) -> bool:
        """A local document (most places it names are home places), not a newspaper page."""
        return self.share >= DOMINANT_SHARE

    @property
    def province(self) -> str:
        return self.path.split("/")[0]

    def contains(self, path: str) -> bool:
        return path == self.path or path.startswith(self.path + "/")


def _area(path: str, depth: int) -> str | None:
    parts = path.split("/")
    return "/".join(parts[:depth]) if len(parts) >= depth else None


def infer_locality(findings: Iterable[Finding]) -> Locality | None:
    """The county (else prefecture) best supported by distinct gazetteer names. A name spelled
    like a very frequent ordinary word (胜利 of 胜利街, 和平 of 和平路) names streets everywhere and votes
    for no division.

    The best prefecture needs `MIN_SUPPORT`; within it, a county that clearly leads the
    others (support ≥ 1 and more than the runner-up) is the locality.
    """
    votes: dict[str, float] = defaultdict(float)
    voters: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for finding in findings:
        if _names_no_division(finding) or not finding.evidence or finding.text in seen \
                or common_words().is_frequent_word(finding.text, VERY_FREQUENT_WORD):
            continue
        seen.add(finding.text)
        weight = 1 / len(finding.evidence)
        for path in finding.evidence:
            for depth in (COUNTY_DEPTH, PREFECTURE_DEPTH):
                area = _area(path, depth)
                if area:
                    votes[area] += weight
                    voters[area].add(finding.text)
    prefectures = {a: v for a, v in votes.items() if a.count("/") == PREFECTURE_DEPTH - 1}
    if not prefectures:
        return None
    prefecture = max(prefectures, key=lambda a: (prefectures[a], a))
    if prefectures[prefecture] < MIN_SUPPORT:
        return None
    counties = sorted(((v, a) for a, v in votes.items()
                       if a.count("/") == COUNTY_DEPTH - 1 and a.startswith(prefecture + "/")), reverse=True)
    share = round(len(voters[prefecture]) / len(seen), 2)
    if counties and counties[0][0] >= 1 and (len(counties) == 1 or counties[0][0] > counties[1][0]):
        support, county = counties[0]
        return Locality(county, round(support, 2), tuple(sorted(voters[county])), share)
    return Locality(prefecture, round(prefectures[prefecture], 2), tuple(sorted(voters[prefecture])), share)


class LocalityModel:
    """Applies the inferred locality to the candidates of one document."""

    def __init__(self, rule: GazetteerRule) -> None:
        assert rule.locality is not None
        self.rule = rule
        self.settings = rule.locality
        self.divisions = _rows_by_county(Path(rule.file))
        self.villages = _rows_by_county(Path(self.settings.villages_file)) if self.settings.villages_file else {}
        self.stop_words = frozenset(read_list(Path(rule.stop_file))) if rule.stop_file else frozenset()
        # The generic words a listed place may end in: those after home names, and the divisions' own.
        self.list_suffixes = tuple(dict.fromkeys((*self.settings.generic_after, *rule.keep_suffixes)))
        self._home_matchers: dict[str, TermMatcher] = {}
        self.prefecture_abbreviations = _prefecture_abbreviations(rule.abbreviations_file)
        self._abbreviation_patterns: dict[str, tuple[dict[str, AbbreviationReason], ahocorasick.Automaton | None]] = {}
        self._rare_char_patterns: dict[str, re.Pattern[str] | None] = {}

    def apply(self, findings: Sequence[Finding], text: str, bounds: TokenBounds,
              known: Locality | None = None, inert: frozenset[int] = frozenset()
              ) -> tuple[Locality | None, list[Finding]]:
        """Rescore and extend the candidates, document by document of a compilation, with each
        document's locality; the returned locality is the one inferred from the whole file
        (or `known`, which then applies to every document). `inert`: starts of placeholders
        of people masked in an earlier pass: they anchor no list."""
        overall = known or infer_locality(findings)
        home_names: dict[str, list[Finding]] = {}  # locality path → its names found in the text
        adjusted: list[Finding] = []
        for start, end in document_spans(text):
            inside = [f for f in findings if start <= f.start < end]
            locality = known or infer_locality(inside) or overall
            if locality is None:
                adjusted += [self._unconfirmed(f, text) for f in inside]
                continue
            adjusted += [self._rescore(f, locality, text) for f in inside]
            if not locality.is_dominant:
                continue  # a newspaper page's "locality" is chance: its villages are no evidence
            if locality.path not in home_names:
                home_names[locality.path] = self._home_names(locality, text, bounds)
            adjusted += [f for f in home_names[locality.path] if start <= f.start < end]
        siblings = list(listed_siblings(adjusted, text, bounds, self.settings.sibling_score,
                                        self.list_suffixes, self.stop_words, inert, self.settings.plain_generic))
        chained = list(chained_places(adjusted, text, bounds, self.settings, self.stop_words, inert))
        adjusted += siblings + chained
        return overall, sorted(adjusted, key=lambda f: (f.start, f.end, f.label, f.rule_id))

    def _home_names(self, locality: Locality, text: str, bounds: TokenBounds) -> list[Finding]:
        """The home area's own names and abbreviations anywhere in `text`."""
        return self._local_names(locality, text, bounds) + self._abbreviations(locality, text, bounds) \
            + self._quoted_brands(locality, text, bounds) + self._local_coinages(locality, text, bounds)

    def _rescore(self, finding: Finding, locality: Locality, text: str) -> Finding:
        """Home places become near-certain; a far short form is demoted unless it is distinctive
        (STYLE.md §2 masks every Chinese place at prefecture level and below, in every mention).
        In a local document a far prefecture is a comparison (南通、大连 in a Taizhou report: the dev
        set's judgement is that it identifies nothing): recognised, and kept."""
        if not self._is_own(finding):
            return finding
        home = any(locality.contains(p) or p == locality.path.rsplit("/", 1)[0] for p in finding.evidence)
        if home and (locality.is_dominant or not self._is_short(finding)):
            return replace(finding, score=max(finding.score, self.settings.home_score),
                           reason=f"{finding.reason}; inside the inferred locality {locality.path}")
        if self._is_short(finding) and not self._distinctive(finding, locality, text):
            if locality.is_dominant and _names_a_prefecture(finding):
                return replace(finding, kept=f"a prefecture outside the inferred locality {locality.path}, "
                                             f"named for comparison")
            return replace(finding, score=min(finding.score, self.settings.remote_short_score),
                           reason=f"{finding.reason}; a short form outside the inferred locality {locality.path}")
        return finding

    def _unconfirmed(self, finding: Finding, text: str) -> Finding:
        """Without a locality, a township short form (道桥, 惠民) is too ambiguous to mask unreviewed."""
        if self._is_own(finding) and self._is_short(finding) and not self._distinctive(finding, None, text):
            return replace(finding, score=min(finding.score, self.settings.remote_short_score),
                           reason=f"{finding.reason}; a township short form or common word, and no locality "
                                  f"inferred to confirm it")
        return finding

    def _is_own(self, finding: Finding) -> bool:
        """A finding of this gazetteer (other rules' evidence names no division path)."""
        return finding.rule_id == self.rule.id and bool(finding.evidence)

    def _is_short(self, finding: Finding) -> bool:
        return finding.score < self.rule.score

    @staticmethod
    def _distinctive(finding: Finding, locality: Locality | None, text: str) -> bool:
        """A short form trusted outside the home area: above township level in the home
        province; elsewhere, unless the document is local (see `DOMINANT_SHARE`), a prefecture's
        (大连) or a county's that is no ordinary word (敦煌, not 丰满 or 平房) or that the context
        makes a place (平遥古城). Township and village short forms depend on the inferred locality."""
        above_township = [p for p in finding.evidence if p.count("/") < COUNTY_DEPTH]
        if locality is not None and any(p.split("/")[0] == locality.province for p in above_township):
            return True
        if not above_township or (locality is not None and locality.is_dominant):
            return False
        return (any(p.count("/") < PREFECTURE_DEPTH for p in above_township) or not _is_ordinary_word(finding.text)
                or _in_place_context(finding, text))

    def _home_rows(self, path: str) -> list[GazetteerRow]:
        county = _area(path, COUNTY_DEPTH)
        if county is None:
            return []
        return self.divisions.get(county, []) + self.villages.get(county, [])

    def _local_names(self, locality: Locality, text: str, bounds: TokenBounds) -> list[Finding]:
        """The home county's townships and villages, full names and short forms; a full name right
        after a township's suffix needs no token boundary (淡竹|乡下|叶村)."""
        found = []
        for start, end, entry in leftmost_longest(self._home_matcher(locality.path).matches(text)):
            # 淡竹|乡下|叶村: a village's full name starts right after the township's suffix
            after_township = start > 0 and text[start - 1] in TOWNSHIP_ENDS and entry.core_length < end - start
            starts = bounds.is_start(start) or after_township
            if not starts and not (start and not is_han(text[start - 1])):
                continue
            if entry.needs_boundaries and not (starts and self._ends_name(text, bounds, end)):
                continue
            found.append(self._finding(text, start, start + entry.core_length, entry.score, entry.reason))
        return found

    def _home_matcher(self, path: str) -> TermMatcher:
        """A matcher of the home county's names (built once per locality)."""
        matcher = self._home_matchers.get(path)
        if matcher is None:
            matcher = self._home_matchers[path] = TermMatcher(self._home_entries(path))
        return matcher

    def _home_entries(self, path: str) -> dict[str, Entry]:
        dictionary = common_words()
        entries: dict[str, Entry] = {}
        for row in self._home_rows(path):
            where = f"{row.parent}/{row.name}"
            short = row.short or _strip_suffix(row.name, self.rule.keep_suffixes)
            names = [(row.name, len(short) if row.name.startswith(short) else len(row.name))]
            if self._usable_short(short, row.name):
                names.append((short, len(short)))
            for surface, core in names:
                ambiguous = len(surface) < 3 or dictionary.is_common(surface[:core])
                entries.setdefault(surface, Entry(core, self.settings.village_score,
                                                  f"{row.level} of the inferred locality: {where}",
                                                  needs_boundaries=ambiguous, evidence=(where,)))
        return entries

    def _ends_name(self, text: str, bounds: TokenBounds, end: int) -> bool:
        """A name ends a token, or is followed by a generic place word (海门 in 海门港)."""
        return bounds.is_end(end) or end == len(text) or text.startswith(self.settings.generic_after, end)

    def _usable_short(self, short: str, name: str) -> bool:
        """A home name's short form, unless stop-listed or read as an ordinary word; a rare plain
        noun still counts (海门 of 海门街道, 51 uses in the dictionary; not 富民 of 富民村, 122 uses,
        as in 强村富民)."""
        if len(short) < 2 or short == name or short in self.stop_words:
            return False
        dictionary = common_words()
        entry = dictionary.entries.get(short)
        if entry is not None and entry[1] == "n":
            return not dictionary.is_frequent_word(short, RARE_HOME_NOUN)
        return not dictionary.is_common(short)

    def _abbreviations(self, locality: Locality, text: str, bounds: TokenBounds) -> list[Finding]:
        """Two-character abbreviations built from home names, when not a common word:
        `双梅` = 双彩乡 + 梅渚镇 (two townships), `椒北` = the north of 椒江 (county + direction),
        `余慈` = 余姚 + 慈溪 (two counties, one of them home: a whole token only)."""
        abbreviations, automaton = self._abbreviation_pattern(locality.path)
        if automaton is None:
            return []
        found = []
        for last, abbreviation in automaton.iter(text):
            start, end = last - len(abbreviation) + 1, last + 1
            reason, whole_token = abbreviations[abbreviation]
            if bounds.is_start(start) and (not whole_token or bounds.token_at(start) == (start, end)):
                found.append(self._finding(text, start, end, self.settings.abbreviation_score,
                                           f"{reason} ({locality.path})"))
        return found

    def _quoted_brands(self, locality: Locality, text: str, bounds: TokenBounds) -> list[Finding]:
        """The first word of a quotation when it is unknown to the dictionary and opens with the
        home prefecture's abbreviation (“甬上红领” in a 宁波 document: 甬上), or is that abbreviation
        alone before a word, as in a pun (“越满意·融服务” in a 绍兴 document: 越, unless the quotation
        uses it again, as in “越办越好”)."""
        prefecture = (_area(locality.path, PREFECTURE_DEPTH) or "").rsplit("/", 1)[-1]
        abbreviations = self.prefecture_abbreviations.get(_strip_suffix(prefecture, self.rule.keep_suffixes), "")
        found = []
        for match in QUOTED_WORD.finditer(text):
            token = bounds.token_at(match.end())
            if token is None or token[0] != match.end() or text[token[0]] not in abbreviations:
                continue
            word = text[token[0]:token[1]]
            if len(word) == 1 and _pun_on_abbreviation(text, bounds, token, QUOTE_PAIRS[match.group()]) \
                    or len(word) >= 2 and is_han(word) and common_words().entries.get(word) is None:
                found.append(self._finding(text, token[0], token[1], self.settings.abbreviation_score,
                                           f"a quoted brand opening with {word[0]}, the abbreviation of {prefecture}"))
        return found

    def _local_coinages(self, locality: Locality, text: str, bounds: TokenBounds) -> list[Finding]:
        """Words unknown to the dictionary that hold a character it barely knows, found in the
        names of the home townships (艺碶 where 新碶 and 大碶 are home townships): a local coinage.
        A word ending in a generic word (垟坑村) is the place rules' business."""
        pattern = self._rare_char_pattern(locality.path)
        found: list[Finding] = []
        seen: set[tuple[int, int]] = set()
        for match in pattern.finditer(text) if pattern else ():
            token = bounds.token_at(match.start())
            if token is None or token in seen:
                continue
            seen.add(token)
            word = text[token[0]:token[1]]
            if len(word) in SIBLING_LENGTHS and is_han(word) and word not in common_words().entries \
                    and word not in self.stop_words \
                    and not word.endswith((*self.settings.generic_after, *self.rule.keep_suffixes)):
                found.append(self._finding(text, token[0], token[1], self.settings.abbreviation_score,
                                           f"a word unknown to the dictionary with 「{match.group()}」, a character "
                                           f"of the names of {locality.path}"))
        return found

    def _rare_char_pattern(self, path: str) -> re.Pattern[str] | None:
        """A pattern of the rare characters of the home townships' names, built once per locality."""
        if path not in self._rare_char_patterns:
            entries = common_words().entries
            townships = [row for row in self.divisions.get(_area(path, COUNTY_DEPTH) or "", [])
                         if row.level == "township"]
            chars = sorted({char for row in townships for char in row.name
                            if is_han(char) and entries.get(char, (0, ""))[0] < RARE_CHAR})
            self._rare_char_patterns[path] = re.compile(f"[{''.join(chars)}]") if chars else None
        return self._rare_char_patterns[path]

    def _abbreviation_pattern(self, path: str) -> tuple[dict[str, AbbreviationReason], ahocorasick.Automaton | None]:
        """The abbreviations of a locality with their reasons, and one automaton finding them all
        (overlapping ones too), built once per locality."""
        cached = self._abbreviation_patterns.get(path)
        if cached is None:
            reasons = self._abbreviation_reasons(path)
            automaton = None
            if reasons:
                automaton = ahocorasick.Automaton()
                for abbreviation in sorted(reasons):
                    automaton.add_word(abbreviation, abbreviation)
                automaton.make_automaton()
            cached = self._abbreviation_patterns[path] = (reasons, automaton)
        return cached

    def _abbreviation_reasons(self, path: str) -> dict[str, AbbreviationReason]:
        """Abbreviation → (reason, whether it counts only as a whole token)."""
        townships = [r for r in self.divisions.get(_area(path, COUNTY_DEPTH) or "", [])
                     if r.level == "township"]
        short_names = {r.name: r.short or _strip_suffix(r.name, self.rule.keep_suffixes) for r in townships}
        dictionary = common_words()
        candidates: dict[str, AbbreviationReason] = {}
        for first, second in permutations(sorted(short_names), 2):
            abbreviation = short_names[first][0] + short_names[second][0]
            if not any(dictionary.entries.get(c, (0, ""))[1] in NON_NAME_TAGS for c in abbreviation):
                candidates.setdefault(abbreviation, (f"abbreviation of {first} and {second}", False))
        for area in {path, path.rsplit("/", 1)[0]}:
            name = area.rsplit("/", 1)[-1]
            initial = _strip_suffix(name, self.rule.keep_suffixes)[0]
            for direction in DIRECTIONS:
                candidates.setdefault(initial + direction, (f"the {direction} of {name}", False))
        for abbreviation, reason in self._county_pairs(path):
            candidates.setdefault(abbreviation, (reason, True))
        return {a: why for a, why in candidates.items() if dictionary.entries.get(a) is None}

    def _county_pairs(self, path: str) -> Iterable[tuple[str, str]]:
        """Initials of two counties of the locality's prefecture, one of them inside the locality
        (`余慈` = 余姚 + 慈溪 in a 余姚 document), with their reason."""
        prefecture = _area(path, PREFECTURE_DEPTH)
        counties = _counties_by_prefecture(self.rule.file).get(prefecture or "", ())
        for first, second in permutations(counties, 2):
            if path.startswith(f"{prefecture}/") and not {first.name, second.name} & set(path.split("/")):
                continue
            yield (first.short or first.name)[0] + (second.short or second.name)[0], \
                f"abbreviation of the counties {first.name} and {second.name}"

    def _finding(self, text: str, start: int, end: int, score: float, reason: str) -> Finding:
        return Finding(start, end, text[start:end], "PLACE", f"{self.rule.id}-locality", RECOGNIZER,
                       score, reason)


@lru_cache(maxsize=4)
def _prefecture_abbreviations(path: str | None) -> dict[str, str]:
    """Prefecture short name → its one-character abbreviations (宁波 → 甬), from the
    abbreviations file."""
    found: dict[str, str] = defaultdict(str)
    for abbreviation, readings in (read_abbreviations(Path(path)) if path else {}).items():
        for reading in readings:
            if not reading.kept:
                found[reading.name] += abbreviation
    return dict(found)


@lru_cache(maxsize=4)
def _counties_by_prefecture(path: str) -> dict[str, tuple[GazetteerRow, ...]]:
    """The county-level rows of a gazetteer by their prefecture, in file order."""
    grouped: dict[str, list[GazetteerRow]] = defaultdict(list)
    for row in read_gazetteer(Path(path)):
        if row.level == "county":
            grouped[row.parent].append(row)
    return {prefecture: tuple(rows) for prefecture, rows in grouped.items()}


def listed_siblings(findings: Sequence[Finding], text: str, bounds: TokenBounds, score: float,
                    suffixes: Sequence[str] = (), stop_words: frozenset[str] = frozenset(),
                    inert: frozenset[int] = frozenset(), plain_suffixes: Sequence[str] = ()) -> Iterable[Finding]:
    """Unknown names joined to a confident place, or to an existing XX placeholder, by 、 · - 至
    (`下岩贝-金山上、梅棠雅集等`, `上辇至XX农场`). In a list of places with a generic suffix
    (`XX大道、北大路、解放街`), the items' names are places even when they are common words. An
    item's generic suffix always stays outside the finding (`XX、下陈街道`); one of `plain_suffixes`
    makes no common word a name (`XX路、延伸段`). A conjunction joins two suffixed places (`XX路和檀和线`): the
    item after it is one token with a generic suffix."""
    confident, placeholders = _anchors(findings, text, inert)
    known = {(f.start, f.end) for f in confident}  # a doubtful candidate (解放, 0.4) may be a sibling
    # An item that is a common word and a confident name (生态白沙、幸福白沙) is a phrase about
    # that place, no sibling.
    named = sorted({f.text for f in confident if len(f.text) >= 2})
    leading, trailing = _suffix_patterns(tuple(suffixes))
    queue = sorted(confident + placeholders, key=lambda f: (f.start, f.end))
    while queue:
        anchor = queue.pop()
        suffix = match.group() if leading and (match := leading.match(text, anchor.end)) else ""
        following = _next_item(text, anchor.end + len(suffix))
        joined = _joined_item(bounds, anchor.end + len(suffix), text) if suffix else (None, 0)
        for start, end in (following, _previous_item(text, bounds, anchor.start, suffixes), joined):
            if start is None:
                continue
            item_suffix = match.group() if trailing and (match := trailing.search(text, start, end)) else ""
            if (start, end) == joined and not (suffix and item_suffix):
                continue
            if item_suffix and not (bounds.is_start(end - len(item_suffix)) or bounds.token_at(start) == (start, end)):
                continue  # 城市|道路: the "suffix" belongs to another word
            end -= len(item_suffix)
            naming_suffix = item_suffix if suffix and item_suffix not in plain_suffixes else ""
            if (start, end) in known or not _is_sibling_name(text[start:end], naming_suffix, stop_words) \
                    or _describes_a_named_place(text[start:end], named):
                continue
            rule_id = "division-gazetteer-locality" if anchor.rule_id == "existing-placeholder" else anchor.rule_id
            sibling = Finding(start, end, text[start:end], "PLACE", rule_id, RECOGNIZER, score,
                              f"listed together with the place 「{anchor.text}{suffix}」")
            known.add((start, end))
            queue.append(sibling)
            yield sibling


def chained_places(findings: Sequence[Finding], text: str, bounds: TokenBounds, settings: LocalitySettings,
                   stop_words: frozenset[str] = frozenset(), inert: frozenset[int] = frozenset()
                   ) -> Iterable[Finding]:
    """Unknown names chained to a confident place or a placeholder, as an address runs from the
    larger place to the smaller: a smaller place right after it (and its admin word), before a
    word for a plot or a village (`凤洋社漕头李区块`, `星阳徐姓屋等地块`, `XX乡金宝银宝传统村落`), and
    a larger one, one token, right before a place written with its generic word (`渡头洋河滨公园`)."""
    confident, placeholders = _anchors(findings, text, inert)
    known = {(f.start, f.end) for f in confident}
    leading, _ = _suffix_patterns(settings.generic_after)
    for anchor in sorted(confident + placeholders, key=lambda f: (f.start, f.end)):
        smaller = _smaller_place(text, bounds, anchor.end, settings.chain_links, settings.chain_plots)
        generic = leading.match(text, anchor.end) if leading else None
        larger = _larger_place(bounds, anchor.start, text, settings.chain_finals) if generic else None
        for span, reason in ((smaller, f"a place inside 「{anchor.text}」, written right after it"),
                             (larger, f"the place holding 「{anchor.text}{generic.group() if generic else ''}」, "
                                      f"written right before it")):
            if span is None or span in known or not _is_chained_name(text, bounds, *span, stop_words):
                continue
            known.add(span)
            rule_id = "division-gazetteer-locality" if anchor.rule_id == "existing-placeholder" else anchor.rule_id
            yield Finding(span[0], span[1], text[span[0]:span[1]], "PLACE", rule_id, RECOGNIZER, settings.sibling_score,
                          reason)


def _anchors(findings: Sequence[Finding], text: str, inert: frozenset[int]) -> tuple[list[Finding], list[Finding]]:
    """The confident local places, and the placeholders that may stand for places (not for a
    figure, nor for a person masked earlier: `inert`)."""
    confident = [f for f in findings if f.label == "PLACE" and f.score >= 0.5 and not _names_no_division(f)]
    placeholders = [Finding(m.start(), m.end(), m.group(), "PLACE", "existing-placeholder", RECOGNIZER, 1.0,
                            "an existing placeholder") for m in PLACEHOLDER.finditer(text)
                    if m.start() not in inert and not _before_unit(text, m.end())]
    return confident, placeholders


def _smaller_place(text: str, bounds: TokenBounds, end: int, links: Sequence[str], plots: Sequence[str]
                   ) -> tuple[int, int] | None:
    """The words after a place and its admin word (`links`) up to a word for a plot or a village,
    `等` allowed before it (星阳|徐姓屋|等地块)."""
    link = next((word for word in sorted(links, key=len, reverse=True) if text.startswith(word, end)), "")
    start = end + len(link)
    if not plots or not bounds.is_start(start):
        return None
    for stop in range(start + min(SMALLER_LENGTHS), start + max(SMALLER_LENGTHS) + 1):
        after = stop + len(LIST_END) if text.startswith(LIST_END, stop) else stop
        if bounds.is_start(stop) and text.startswith(tuple(plots), after):
            return start, stop
    return None


def _larger_place(bounds: TokenBounds, start: int, text: str, finals: str) -> tuple[int, int] | None:
    """The token that ends right before a place, when it ends like a village name (渡头洋)."""
    token = bounds.token_before(start)
    if token and token[1] - token[0] in CHAIN_LENGTHS and text[token[1] - 1] in finals:
        return token
    return None


def _is_chained_name(text: str, bounds: TokenBounds, start: int, end: int, stop_words: frozenset[str]) -> bool:
    """A name unknown to the dictionary, opening with no grammatical word, that holds a word the
    segmenter found and the dictionary does not know, other than two verbs, and no verb, adverb or
    adjective the dictionary knows (漕头|李, 徐|姓屋; not 征迁, 提质|改造 or 老城)."""
    name = text[start:end]
    dictionary = common_words()
    particle = dictionary.entries.get(name[:1], (0, ""))[1].startswith("u")  # 的, 了
    if not is_han(name) or name in stop_words or name in dictionary.entries or particle \
            or dictionary.starts_with_grammatical_word(name):
        return False
    words = [text[s:e] for s, e in _tokens(bounds, start, end)]
    return any(map(_unknown_noun, words)) \
        and not any(dictionary.entries.get(word, (0, ""))[1] in DESCRIBING_TAGS for word in words)


def _unknown_noun(word: str) -> bool:
    """A word of two characters or more unknown to the dictionary, not made of verbs (征迁)."""
    entries = common_words().entries
    return len(word) >= 2 and word not in entries and not all(entries.get(c, (0, ""))[1] == "v" for c in word)


def _tokens(bounds: TokenBounds, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The tokens from `start` that end by `end`."""
    while start < end and (token := bounds.token_at(start)) is not None and token[1] <= end:
        yield token
        start = token[1]


@lru_cache(maxsize=4)
def _suffix_patterns(suffixes: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Patterns of the longest generic suffix at an offset, and at the end of an item."""
    if not suffixes:
        return None, None
    alternatives = "|".join(map(re.escape, sorted(suffixes, key=len, reverse=True)))
    return re.compile(alternatives), re.compile(f"(?:{alternatives})$")


def _describes_a_named_place(item: str, names: Sequence[str]) -> bool:
    """`幸福白沙` where 白沙 is a confident place: a common word, then the name."""
    return any(item.endswith(name) and common_words().is_common(item[:-len(name)]) for name in names)


def _is_sibling_name(name: str, suffix: str, stop_words: frozenset[str]) -> bool:
    """An unknown name (not 邮管局, 宜业); with a generic suffix, a common or stop-listed word too
    (解放|街), but not a frequent or stop-listed word with its suffix (步行街)."""
    dictionary = common_words()
    if not is_han(name) or len(name) not in SIBLING_LENGTHS or (name in stop_words and not suffix):
        return False
    whole_word = suffix and dictionary.entries.get(name, (0, "p"))[1] not in GRAMMATICAL_TAGS  # 同心|公园, 和平|路
    if dictionary.entries.get(name[0], (0, ""))[1] in GRAMMATICAL_TAGS and not whole_word:
        return False  # 和…, 及…, 我…: the list ended before this item
    if name.endswith(OFFICE_ENDINGS):
        return False
    if suffix:
        whole = name + suffix  # the dictionary may know the street by name (解放路, nz): a name
        named = dictionary.entries.get(whole, (0, ""))[1] in NAME_TAGS
        return whole not in stop_words and (named or not dictionary.is_frequent_word(whole))
    entry = dictionary.entries.get(name)
    return entry is None or (entry[1] in NAME_TAGS and entry[0] < RARE_NAME)


def _before_unit(text: str, end: int) -> bool:
    """A placeholder followed by a unit stands for a figure (XX亩, XX万元), not a place (XX片区)."""
    dictionary = common_words()
    entry = dictionary.entries.get(text[end:end + 2]) or dictionary.entries.get(text[end:end + 1])
    return entry is not None and entry[1] in UNIT_TAGS


def _in_place_context(finding: Finding, text: str) -> bool:
    """A short form that the context makes a place: a place noun follows it (…古城, …一带, …境内),
    or a verb of going or lying somewhere precedes it (赴…, 来自…, 位于…), or 到/在 precede it and
    a visit follows (到…调研)."""
    if PLACE_NOUN_AFTER.match(text, finding.end):
        return True
    before = text[max(0, finding.start - 3):finding.start]
    if GOING_BEFORE.search(before):
        return True
    return before.endswith(("到", "在")) and VISIT_AFTER.match(text, finding.end) is not None


def _names_a_prefecture(finding: Finding) -> bool:
    """A short form of a prefecture (南通, not 平房 or a district of 天津) that is no ordinary word."""
    return not _is_ordinary_word(finding.text) and any(
        p.count("/") == PREFECTURE_DEPTH - 1 and p.split("/")[0] not in MUNICIPALITIES for p in finding.evidence)


def _is_ordinary_word(text: str) -> bool:
    """Listed in the dictionary as something other than a proper noun (丰满, 平房, 碑林)."""
    entry = common_words().entries.get(text)
    return entry is not None and entry[1] not in PROPER_NOUN_TAGS


def _pun_on_abbreviation(text: str, bounds: TokenBounds, token: tuple[int, int], closing: str) -> bool:
    """A one-character token opening a quotation, followed by a word of two characters or more
    with which it forms no dictionary word, and not repeated before the quotation closes."""
    following = bounds.token_at(token[1])
    if following is None or following[1] - following[0] < 2 or not is_han(text[following[0]:following[1]]):
        return False
    close = text.find(closing, token[1])
    quotation = text[token[1]:close if close >= 0 else len(text)]
    return text[token[0]] not in quotation and text[token[0]:following[1]] not in common_words().entries


def _names_no_division(finding: Finding) -> bool:
    """A province, country or abbreviation (its evidence names no division below a province):
    the names listed with it (美国、欧盟) are no local places."""
    return bool(finding.evidence) and not any("/" in name for name in finding.evidence)


def _next_item(text: str, end: int) -> tuple[int | None, int]:
    if end >= len(text) or text[end] not in SEPARATORS:
        return None, 0
    start = end + 1
    stop = start
    while stop < len(text) and is_han(text[stop]) and not text.startswith(SIBLING_STOPS, stop):
        stop += 1
    return (start, stop) if stop > start else (None, 0)


def _joined_item(bounds: TokenBounds, end: int, text: str) -> tuple[int | None, int]:
    """The token after a conjunction token at `end` (XX路 | 和 | 檀和线 gives 檀和线)."""
    conjunction = bounds.token_at(end)
    if conjunction is None or text[conjunction[0]:conjunction[1]] not in CONJUNCTIONS:
        return None, 0
    token = bounds.token_at(conjunction[1])
    return token if token else (None, 0)


def _previous_item(text: str, bounds: TokenBounds, start: int, suffixes: Sequence[str] = ()
                   ) -> tuple[int | None, int]:
    """The token right before a separator (推进 | 上辇 | 至 gives 上辇), with the token before it
    when it is a generic suffix alone and that token no common word (新邺 | 大道 | 、 gives
    新邺大道; 城市 | 大道 gives 大道, no name); a single character split off the name at the start
    of the item belongs to it (、里 | 仁花园 | 小区 gives 里仁花园小区)."""
    if start == 0 or text[start - 1] not in SEPARATORS:
        return None, 0
    token = bounds.token_before(start - 1)
    if token and text[token[0]:token[1]] in suffixes and (name := bounds.token_before(token[0])):
        begin = name[0]
        if begin >= 2 and text[begin - 2] in SEPARATORS and bounds.token_at(begin - 1) == (begin - 1, begin) \
                and is_han(text[begin - 1]) and token[0] - begin < max(SIBLING_LENGTHS):
            begin -= 1
        if not common_words().is_common(text[begin:token[0]]):
            return begin, token[1]
    if token and (before := bounds.token_before(token[0])) and text[before[0]:before[1]] in suffixes:
        return None, 0  # 裕禄大道 | 西延 | 、: a part of the place before it, not a name of its own
    return token if token else (None, 0)


def _strip_suffix(name: str, suffixes: Iterable[str]) -> str:
    for suffix in sorted(suffixes, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def _rows_by_county(path: Path) -> CountyRows | dict[str, list[GazetteerRow]]:
    """Gazetteer rows grouped by their county (`.get(county, default)`), once per process.

    The village file has 655k rows and takes seconds to read, while a document needs the rows
    of its own county only: the grouping is cached on disk, one shard per county (see
    redact/cache.py), and a county's rows are read the first time a document asks for them.
    """
    from redact import cache

    return _county_index(str(path), cache.file_digest(path))


@lru_cache(maxsize=4)
def _county_index(path: str, digest: str) -> CountyRows | dict[str, list[GazetteerRow]]:
    from redact import cache
    from redact.recognizers import lexicon

    store = cache.sharded(cache.key("county-rows", files=(path, __file__, lexicon.__file__)),
                          lambda: {county: [tuple(row) for row in rows]
                                   for county, rows in _read_rows_by_county(Path(path)).items()})
    return _read_rows_by_county(Path(path)) if store is None else CountyRows(store)


class CountyRows:
    """County → its rows, read from the shard file on first use."""

    def __init__(self, store: object) -> None:
        self._store = store
        self._loaded: dict[str, list[GazetteerRow]] = {}

    def get(self, county: str, default: list[GazetteerRow] | None = None) -> list[GazetteerRow] | None:
        rows = self._loaded.get(county)
        if rows is None:
            data = self._store.get(county)  # type: ignore[attr-defined]
            if data is None:
                return default
            rows = self._loaded[county] = [GazetteerRow(*row) for row in data]
        return rows


def _read_rows_by_county(path: Path) -> dict[str, list[GazetteerRow]]:
    grouped: dict[str, list[GazetteerRow]] = defaultdict(list)
    for row in read_gazetteer(path):
        county = _area(f"{row.parent}/{row.name}", COUNTY_DEPTH)
        if county and row.level in ("township", "village"):
            grouped[county].append(row)
    return dict(grouped)
