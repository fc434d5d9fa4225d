"""Locality inference: a document is about one place; find it and let it steer the place scores.

From the gazetteer hits (a township and its county, several villages of one township …) the
home county (or prefecture) is the division with the most support. Then:
- places inside the home area are near-certain (`home_score`);
- short forms that only name places outside the home province become near misses
  (`南通`, `大连` in a Zhejiang document are comparisons, not the author's locality);
- the home county's own villages and communities become entries, even without a suffix;
- two-character abbreviations of two home townships (`双梅` = 双彩乡 + 梅渚镇) are found;
- unknown names listed together with a confirmed place (`下岩贝-金山上、梅棠雅集`) are places too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import permutations
from pathlib import Path

from redact.common_words import common_words
from redact.findings import Finding
from redact.recognizers.base import TokenBounds, is_han
from redact.recognizers.lexicon import Entry, GazetteerRow, TermMatcher, leftmost_longest, read_gazetteer
from redact.rules import GazetteerRule

# A locality needs at least this much support (distinct names, each weighted by how many
# divisions it may name): one ambiguous township name alone decides nothing.
MIN_SUPPORT = 1.5
COUNTY_DEPTH = 3
PREFECTURE_DEPTH = 2
SEPARATORS = "、·-－—/／"
SIBLING_STOPS = ("等", "片区", "和", "及", "与", "两", "各", "的", "村", "镇", "乡")
SIBLING_LENGTHS = range(2, 5)
RECOGNIZER = "LocalityInference"
# Characters that make an abbreviation read as ordinary prose (前三季度, 上下联动).
NON_NAME_TAGS = frozenset({"m", "f", "p", "c", "u", "d", "r", "q"})


@dataclass(frozen=True)
class Locality:
    """The inferred home area: its full path and the names that voted for it."""

    path: str
    support: float
    evidence: tuple[str, ...]

    @property
    def province(self) -> str:
        return self.path.split("/")[0]

    def contains(self, path: str) -> bool:
        return path == self.path or path.startswith(self.path + "/")


def _area(path: str, depth: int) -> str | None:
    parts = path.split("/")
    return "/".join(parts[:depth]) if len(parts) >= depth else None


def infer_locality(findings: Iterable[Finding]) -> Locality | None:
    """The county (else prefecture) best supported by distinct gazetteer names."""
    votes: dict[str, float] = defaultdict(float)
    voters: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for finding in findings:
        if not finding.evidence or finding.text in seen:
            continue
        seen.add(finding.text)
        weight = 1 / len(finding.evidence)
        for path in finding.evidence:
            for depth in (COUNTY_DEPTH, PREFECTURE_DEPTH):
                area = _area(path, depth)
                if area:
                    votes[area] += weight
                    voters[area].add(finding.text)
    if not votes:
        return None
    counties = {a: v for a, v in votes.items() if a.count("/") == COUNTY_DEPTH - 1}
    best_county = max(counties, key=lambda a: (counties[a], a), default=None)
    if best_county and counties[best_county] >= MIN_SUPPORT:
        return Locality(best_county, round(counties[best_county], 2), tuple(sorted(voters[best_county])))
    best = max(votes, key=lambda a: (votes[a], a))
    if votes[best] < MIN_SUPPORT:
        return None
    return Locality(best, round(votes[best], 2), tuple(sorted(voters[best])))


class LocalityModel:
    """Applies the inferred locality to the candidates of one document."""

    def __init__(self, rule: GazetteerRule) -> None:
        assert rule.locality is not None
        self.rule = rule
        self.settings = rule.locality
        self.divisions = _rows_by_county(Path(rule.file))
        self.villages = _rows_by_county(Path(self.settings.villages_file)) if self.settings.villages_file else {}

    def apply(self, findings: Sequence[Finding], text: str, bounds: TokenBounds
              ) -> tuple[Locality | None, list[Finding]]:
        locality = infer_locality(findings)
        if locality is None:
            return None, list(findings)
        adjusted = [self._rescore(f, locality) for f in findings]
        adjusted += self._local_names(locality, text, bounds)
        adjusted += self._abbreviations(locality, text, bounds)
        adjusted += list(listed_siblings(adjusted, text, self.settings.sibling_score))
        return locality, sorted(adjusted, key=lambda f: (f.start, f.end, f.label, f.rule_id))

    def _rescore(self, finding: Finding, locality: Locality) -> Finding:
        if not finding.evidence:
            return finding
        if any(locality.contains(p) or p == locality.path.rsplit("/", 1)[0] for p in finding.evidence):
            return replace(finding, score=max(finding.score, self.settings.home_score),
                           reason=f"{finding.reason}; inside the inferred locality {locality.path}")
        is_short = finding.score < self.rule.score
        trusted_far = any(p.split("/")[0] == locality.province and p.count("/") < COUNTY_DEPTH
                          for p in finding.evidence)
        if is_short and not trusted_far:
            return replace(finding, score=min(finding.score, self.settings.remote_short_score),
                           reason=f"{finding.reason}; a short form outside the inferred locality {locality.path}")
        return finding

    def _home_rows(self, locality: Locality) -> list[GazetteerRow]:
        county = _area(locality.path, COUNTY_DEPTH)
        if county is None:
            return []
        return self.divisions.get(county, []) + self.villages.get(county, [])

    def _local_names(self, locality: Locality, text: str, bounds: TokenBounds) -> list[Finding]:
        """The home county's townships and villages, full names and short forms."""
        dictionary = common_words()
        entries: dict[str, Entry] = {}
        for row in self._home_rows(locality):
            where = f"{row.parent}/{row.name}"
            names = [(row.name, len(row.short) if row.short and row.name.startswith(row.short) else len(row.name))]
            if row.short and len(row.short) >= 2 and not dictionary.is_common(row.short):
                names.append((row.short, len(row.short)))
            for surface, core in names:
                ambiguous = len(surface) < 3 or dictionary.is_common(surface[:core])
                entries.setdefault(surface, Entry(core, self.settings.village_score,
                                                  f"{row.level} of the inferred locality: {where}",
                                                  needs_boundaries=ambiguous, evidence=(where,)))
        found = []
        for start, end, entry in leftmost_longest(TermMatcher(entries).matches(text)):
            if not bounds.is_start(start) and not (start and not is_han(text[start - 1])):
                continue
            if entry.needs_boundaries and not (bounds.is_start(start) and bounds.is_end(end)):
                continue
            found.append(self._finding(text, start, start + entry.core_length, entry.score, entry.reason))
        return found

    def _abbreviations(self, locality: Locality, text: str, bounds: TokenBounds) -> list[Finding]:
        """`双梅` for 双彩乡 + 梅渚镇: first characters of two home townships, not a common word."""
        townships = [r for r in self.divisions.get(_area(locality.path, COUNTY_DEPTH) or "", [])
                     if r.level == "township" and r.short]
        dictionary = common_words()
        found = []
        for first, second in permutations(townships, 2):
            abbreviation = first.short[0] + second.short[0]
            if dictionary.entries.get(abbreviation) is not None or any(
                    dictionary.entries.get(c, (0, ""))[1] in NON_NAME_TAGS for c in abbreviation):
                continue
            for match in re.finditer(re.escape(abbreviation), text):
                if bounds.is_start(match.start()):
                    found.append(self._finding(text, match.start(), match.end(), self.settings.abbreviation_score,
                                               f"abbreviation of {first.name} and {second.name} ({locality.path})"))
        return found

    def _finding(self, text: str, start: int, end: int, score: float, reason: str) -> Finding:
        return Finding(start, end, text[start:end], "PLACE", f"{self.rule.id}-locality", RECOGNIZER,
                       score, reason)


def listed_siblings(findings: Sequence[Finding], text: str, score: float) -> Iterable[Finding]:
    """Unknown names joined to a confident place by 、 · - (`下岩贝-金山上、梅棠雅集等`)."""
    dictionary = common_words()
    confident = [f for f in findings if f.label == "PLACE" and f.score >= 0.5]
    known = {(f.start, f.end) for f in findings}
    queue = list(confident)
    while queue:
        anchor = queue.pop()
        for start, end in (_next_item(text, anchor.end), _previous_item(text, anchor.start)):
            if start is None or (start, end) in known:
                continue
            name = text[start:end]
            if not is_han(name) or len(name) not in SIBLING_LENGTHS or dictionary.entries.get(name):
                continue
            if dictionary.is_function_char(name[0]):
                continue
            sibling = Finding(start, end, name, "PLACE", anchor.rule_id, RECOGNIZER, score,
                              f"listed together with the place 「{anchor.text}」")
            known.add((start, end))
            queue.append(sibling)
            yield sibling


def _next_item(text: str, end: int) -> tuple[int | None, int]:
    if end >= len(text) or text[end] not in SEPARATORS:
        return None, 0
    start = end + 1
    stop = start
    while stop < len(text) and is_han(text[stop]) and not text.startswith(SIBLING_STOPS, stop):
        stop += 1
    return (start, stop) if stop > start else (None, 0)


def _previous_item(text: str, start: int) -> tuple[int | None, int]:
    if start == 0 or text[start - 1] not in SEPARATORS:
        return None, 0
    end = start - 1
    begin = end
    while begin > 0 and is_han(text[begin - 1]) and end - begin < max(SIBLING_LENGTHS):
        begin -= 1
    return (begin, end) if end > begin else (None, 0)


@lru_cache(maxsize=4)
def _rows_by_county(path: Path) -> dict[str, list[GazetteerRow]]:
    """Gazetteer rows grouped by their county, read once per process."""
    grouped: dict[str, list[GazetteerRow]] = defaultdict(list)
    for row in read_gazetteer(path):
        county = _area(f"{row.parent}/{row.name}", COUNTY_DEPTH)
        if county and row.level in ("township", "village"):
            grouped[county].append(row)
    return dict(grouped)
