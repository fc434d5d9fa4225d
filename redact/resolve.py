"""Decide which candidates are masked: filters, thresholds, overlaps, then propagation.

Overlaps are resolved deterministically (longest span, then score, then rule id, then
offset); once an entity is confirmed, every other mention of it in the document is masked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

import ahocorasick

from redact.allowed_phrases import PhraseSpans
from redact.common_words import common_words, is_han, is_ordinary_word_entity
from redact.findings import Finding, NearMiss
from redact.rules import Profile

PROPAGATED_LABELS = frozenset({"PLACE", "ORG", "PERSON", "CONTACT", "SECRET"})
MIN_PROPAGATED_LENGTH = 2
PLACEHOLDER_CHARS = frozenset("Xx")


@dataclass(frozen=True)
class ResolveSettings:
    """What resolution needs besides the findings."""

    profile: Profile
    # Terms never masked; a mapping also says which rule or review decision allows each term.
    allow_terms: Mapping[str, str] | Set[str] = frozenset()
    # Where the phrases of allow rules (`phrases: true`) occur: a finding inside one is kept (晋江经验).
    allowed_phrases: PhraseSpans = PhraseSpans(())
    active_term_rules: frozenset[str] = frozenset()
    reporting_years: frozenset[str] = frozenset()
    protected: tuple[tuple[int, int], ...] = ()
    # Entities confirmed elsewhere (other files of a batch), each already carrying the origin and
    # reason its mentions get here; the document's own entities take precedence.
    extra_entities: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Resolution:
    masked: tuple[Finding, ...]
    near_misses: tuple[NearMiss, ...]


def resolve(findings: Sequence[Finding], text: str, settings: ResolveSettings) -> Resolution:
    """The findings to mask (non-overlapping, in text order) and the near misses."""
    near_misses: list[NearMiss] = []
    eligible = []
    for finding in findings:
        if not _applies(finding, settings):
            continue
        if kept := _kept_by_policy(finding, settings):
            near_misses.append(NearMiss(finding, kept, kept=True))
        elif finding.score < settings.profile.threshold:
            near_misses.append(NearMiss(finding, f"score {finding.score:.2f} below the threshold "
                                                 f"{settings.profile.threshold:.2f}"))
        else:
            eligible.append(finding)
    accepted, overlapped = choose_non_overlapping(eligible)
    near_misses.extend(NearMiss(f, "overlaps a longer or stronger finding") for f in overlapped
                       if not any(f.start >= a.start and f.end <= a.end for a in accepted))
    kept = PhraseSpans((n.finding.start, n.finding.end, n.finding.text) for n in near_misses if n.kept)
    accepted = propagate(accepted, text, settings, kept)
    return Resolution(tuple(accepted), tuple(sorted(near_misses, key=_near_miss_order)))


def _near_miss_order(near_miss: NearMiss) -> tuple:
    """Text order, then a total order on the rest so the input order never shows."""
    f = near_miss.finding
    return (f.start, f.end, f.rule_id, f.label, -f.score, near_miss.why)


def _applies(finding: Finding, settings: ResolveSettings) -> bool:
    """Whether the profile cares about this finding at all (not a near miss when it does not)."""
    if finding.label == "TERM":
        return finding.rule_id in settings.active_term_rules
    if finding.label == "FIGURE":
        if finding.figure_class not in settings.profile.figure_classes:
            return False
        if settings.profile.keep_reporting_years and finding.text in settings.reporting_years:
            return False
    if set(finding.text) <= PLACEHOLDER_CHARS:
        return False
    return not any(finding.start < end and start < finding.end for start, end in settings.protected)


def _kept_by_policy(finding: Finding, settings: ResolveSettings) -> str | None:
    """Why a recognised finding is never masked: its rule keeps it, or the allow-list does."""
    if finding.kept:
        return f"kept by its rule: {finding.kept}"
    allowed, where = _allowed_as(finding, settings.allow_terms), ""
    if allowed is None and (phrase := settings.allowed_phrases.containing(finding.start, finding.end)):
        allowed, where = phrase, f" (inside 「{phrase}」)"
    if allowed is not None:
        by = settings.allow_terms.get(allowed) if isinstance(settings.allow_terms, Mapping) else None
        return f"allow-listed by {by}{where}" if by else f"allow-listed{where}"
    return None


def _allowed_as(finding: Finding, allow_terms: Mapping[str, str] | Set[str]) -> str | None:
    """The allow-listed term that keeps a finding: its text, or every name it stands for
    (an abbreviation: 美 for 美国, 京沪 for 北京 and 上海)."""
    if finding.text in allow_terms:
        return finding.text
    if finding.evidence and all(name in allow_terms for name in finding.evidence):
        return finding.evidence[0]
    return None


def choose_non_overlapping(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Greedy choice: longest span first, then highest score, then rule id, then offset."""
    chosen: list[Finding] = []
    rejected: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (-f.length, -f.score, f.rule_id, f.start)):
        (rejected if any(finding.overlaps(c) for c in chosen) else chosen).append(finding)
    return sorted(chosen, key=lambda f: f.start), rejected


# A name followed by its own generic suffix (台州|市, 改革|新昌|县) cuts no word.
GENERIC_SUFFIX_CHARS = frozenset("省市县区镇乡村街路港桥")


# jieba lists many rare two-character strings (成科, 3 times) beside real words (营商, 3 times too):
# below this frequency a word across the edge cuts the mention only if no more frequent word takes
# its outer character (促成科莱: 促成 takes 成; 优化营商城: nothing takes 营).
RARE_CUT_WORD = 10
# A longer dictionary word holding a mention takes it when used at least this often (同心圆).
LONGER_WORD_MIN = 20
PLACE_TAG = "ns"


def _inside_longer(kept: PhraseSpans, start: int, end: int) -> bool:
    """Whether [start, end) lies inside a longer kept name."""
    holder = kept.containing(start, end)
    return holder is not None and len(holder) > end - start


def cuts_a_word(text: str, start: int, end: int) -> bool:
    """Whether a mention shares a character with a dictionary word across its edge (创|新昌|盛),
    or is the start of a longer word that names no place (同心 of 同心圆)."""
    if end < len(text) and text[end] in GENERIC_SUFFIX_CHARS:
        return False  # 改革|新昌|县: a name followed by its own suffix is a name
    left = start > 0 and _edge_word(text[start - 1:start + 1], text[max(start - 2, 0):start])
    right = end < len(text) and _edge_word(text[end - 1:end + 1], text[end:end + 2])
    return left or right or (end < len(text) and _longer_word(text[start:end + 1]))


def _longer_word(word: str) -> bool:
    """A dictionary word other than a place name, used often enough not to be noise (同心圆, 32
    uses; not 温州人, 3)."""
    entry = common_words().entries.get(word)
    return entry is not None and entry[0] >= LONGER_WORD_MIN and entry[1] != PLACE_TAG


def _edge_word(word: str, rival: str) -> bool:
    """A common word across the edge, unless it is rare and the rival word (the outer character
    with its other neighbour) is more frequent."""
    dictionary = common_words()
    if not dictionary.is_common(word):
        return False
    frequency = dictionary.entries[word][0]
    if frequency >= RARE_CUT_WORD or len(rival) < 2 or not dictionary.is_common(rival):
        return True
    return dictionary.entries[rival][0] <= frequency


def propagate(accepted: list[Finding], text: str, settings: ResolveSettings,
              kept: PhraseSpans = PhraseSpans(())) -> list[Finding]:
    """Add every other mention of each confirmed entity (longest entity text first). An entity
    spelled like an ordinary word (民生 of 民生科技) is masked again only where the same
    character follows it as where it was confirmed in this document (民生科技, not 保障民生). A
    mention inside a longer name kept by policy is part of that name (裕禄 of 焦裕禄精神, where 裕禄大道
    is masked)."""
    entities: dict[str, Finding] = {}
    followers: dict[str, set[str]] = {}
    for finding in accepted:
        if finding.label in PROPAGATED_LABELS and finding.length >= MIN_PROPAGATED_LENGTH:
            entities.setdefault(finding.text, finding)
            followers.setdefault(finding.text, set()).add(text[finding.end:finding.end + 1])
    borrowed = set()
    for finding in settings.extra_entities:
        if finding.label in PROPAGATED_LABELS and finding.length >= MIN_PROPAGATED_LENGTH \
                and finding.text not in entities:
            entities[finding.text] = finding
            borrowed.add(finding.text)
    if not entities:
        return accepted
    automaton = ahocorasick.Automaton()
    for surface, finding in entities.items():
        automaton.add_word(surface, finding)
    automaton.make_automaton()
    taken = sorted(accepted, key=lambda f: f.start)
    occupied = [(f.start, f.end) for f in taken] + list(settings.protected)
    mentions = []
    for end_index, first in automaton.iter(text):
        start = end_index - first.length + 1
        mentions.append((start, first))
    added: list[Finding] = []
    for start, first in sorted(mentions, key=lambda m: (m[0], -m[1].length)):
        end = start + first.length
        if any(start < o_end and o_start < end for o_start, o_end in occupied):
            continue
        if first.text in settings.allow_terms or cuts_a_word(text, start, end) or _inside_longer(kept, start, end):
            continue
        if is_ordinary_word_entity(first.text, first.label) and not (text[end:end + 1] in followers.get(first.text, ())
                                               and is_han(text[end:end + 1])):
            continue  # of an entity borrowed from another file, the context is unknown
        if first.text in borrowed:
            mention = first.moved(start, origin=first.origin, reason=first.reason)
        else:
            mention = first.moved(start, origin="propagated",
                                  reason=f"another mention of 「{first.text}」 confirmed at {first.start} ({first.rule_id})")
        added.append(mention)
        occupied.append((start, end))
    return sorted(taken + added, key=lambda f: f.start)
