"""One document through the whole flow: analyze → resolve → mask.

`Redactor` holds what is expensive to build (the Presidio engine with every recognizer and the
pkuseg pipeline); `redact` is pure given the document and the rule set.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.language import Language

from redact.allowed_phrases import AllowedPhrases
from redact.analysis import Analyzer
from redact.documents import Document
from redact.errors import UsageError
from redact.findings import BATCH_ORIGIN, Finding, NearMiss, Replacement
from redact.locality import Locality, LocalityModel
from redact.masking import apply, replacements
from redact.residual import ResidualRisk, ResidualScanner
from redact.resolve import ResolveSettings, resolve
from redact.rules import GazetteerRule, Profile, RuleSet, TermRule

VENDOR_MARKERS = re.compile(r"##paid(?:begin|end)##")
TITLE_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=年)")
TITLE_WINDOW = 80
# Masking can improve segmentation (沙溪镇廖俊波同志 → XX镇廖俊波同志 splits the name off), so
# the masked text is analysed again until nothing new appears: masking the output changes nothing.
MAX_PASSES = 3
FIRST_PASS_MEMO_CHARS = 2_000_000
SENTENCE_END = re.compile(r"[。！？；!?;]+|\n")


@dataclass(frozen=True)
class Redaction:
    """The outcome for one document: what was masked, what almost was, and the masked text."""

    document: Document
    profile: Profile
    locality: Locality | None
    candidates: tuple[Finding, ...]
    masked: tuple[Finding, ...]
    near_misses: tuple[NearMiss, ...]
    edits: tuple[Replacement, ...]
    masked_text: str
    residual_risks: tuple[ResidualRisk, ...] = ()  # offsets into masked_text


def reporting_years(text: str) -> frozenset[str]:
    """Years named in the document's title line, plus the year before the earliest one."""
    title = text.lstrip()[:TITLE_WINDOW].split("\n", 1)[0]
    years = {int(y) for y in TITLE_YEAR.findall(title)}
    if years:
        years.add(min(years) - 1)
    return frozenset(str(y) for y in years)


def protected_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Vendor structure that is never masked or altered."""
    return tuple(m.span() for m in VENDOR_MARKERS.finditer(text))


class Redactor:
    """Masks documents with one rule set and one profile name (`upper`, `lower`, `auto` …)."""

    def __init__(self, ruleset: RuleSet, profile_name: str, nlp: Language) -> None:
        if profile_name not in ruleset.profiles:
            known = ", ".join(sorted(ruleset.profiles))
            raise UsageError(f"unknown profile {profile_name!r}; available: {known}")
        self.ruleset = ruleset
        self.profile = ruleset.profiles[profile_name]
        self.analyzer = Analyzer(ruleset, nlp)
        self.localities = [LocalityModel(r) for r in ruleset.rules if isinstance(r, GazetteerRule) and r.locality]
        self.allow_terms = ruleset.allow_reasons()
        self.allowed_phrases = AllowedPhrases(ruleset.allow_phrases)
        self.residual = ResidualScanner(ruleset)
        self._first_pass: OrderedDict[str, tuple[list[Finding], Locality | None]] = OrderedDict()
        self._first_pass_chars = 0

    def choose_profile(self, text: str) -> tuple[Profile, str | None]:
        """The concrete profile and term layer for one document (`auto` looks at its placeholders)."""
        auto = self.profile.auto
        if auto is None:
            return self.profile, self.profile.term_layer
        name = next((d.profile for d in auto.detect if re.search(d.pattern, text)), auto.default)
        layer = next((t.layer for t in auto.term_layers if re.search(t.pattern, text)), None)
        return self.ruleset.profiles[name], layer

    def redact(self, document: Document, batch_entities: Mapping[str, Finding] | None = None) -> Redaction:
        """Mask one document. `batch_entities` (surface → finding) are entities masked in other files
        of a batch: their unmasked mentions here are masked too, with that finding's origin and reason."""
        text = document.text
        profile, layer = self.choose_profile(text)
        active_terms = frozenset(r.id for r in self.ruleset.rules if isinstance(r, TermRule) and r.layer == layer)
        settings = ResolveSettings(profile=profile, allow_terms=self.allow_terms,
                                   allowed_phrases=self.allowed_phrases.occurrences(text),
                                   active_term_rules=active_terms, reporting_years=reporting_years(text),
                                   protected=protected_spans(text) + tuple(document.payload.get("protected", ())),
                                   extra_entities=tuple(batch_entities.values()) if batch_entities else ())
        found, locality = self._first_candidates(text)
        resolution = resolve(found, text, settings)
        edits = replacements(resolution.masked, profile)
        analysed: dict[str, list[Finding]] = {}  # sentence of the masked text → its candidates
        for _ in range(MAX_PASSES - 1):
            masked_text = apply(text, edits)
            again = self._edited_sentence_candidates(masked_text, edits, locality, analysed)
            masked = SpanIndex(resolution.masked)
            known = {_identity(f) for f in found}
            new = [f for f in map_back(again, edits, text) if not masked.overlaps(f) and _identity(f) not in known]
            if not new:
                break
            found = sorted([*found, *new], key=lambda f: (f.start, f.end, f.label, f.rule_id))
            resolution = resolve(found, text, settings)
            edits = replacements(resolution.masked, profile)
        masked_text = apply(text, edits)
        risks = self.residual.scan(masked_text, edits, resolution.near_misses)
        return Redaction(document, profile, locality, tuple(found), resolution.masked, resolution.near_misses,
                         tuple(edits), masked_text, risks)

    def _first_candidates(self, text: str) -> tuple[list[Finding], Locality | None]:
        """The candidates of a document's own text, remembered (up to FIRST_PASS_MEMO_CHARS of
        text): a batch masks some documents a second time, with entities of other files added,
        and that changes what is resolved and masked, not what the text holds."""
        self.analyzer.new_document(text)
        hit = self._first_pass.get(text)
        if hit is None:
            hit = self._first_pass[text] = self._candidates(text, None)
            self._first_pass_chars += len(text)
            while self._first_pass_chars > FIRST_PASS_MEMO_CHARS and len(self._first_pass) > 1:
                old, _ = self._first_pass.popitem(last=False)
                self._first_pass_chars -= len(old)
        else:
            self._first_pass.move_to_end(text)
        return list(hit[0]), hit[1]

    def _candidates(self, text: str, locality: Locality | None,
                    inert: frozenset[int] = frozenset()) -> tuple[list[Finding], Locality | None]:
        """Every candidate in `text`, rescored by the locality (inferred unless given); `inert`:
        starts of placeholders that anchor no list of places (`weak_placeholders`)."""
        found, bounds = self.analyzer.analyze(text)
        for model in self.localities:
            locality, found = model.apply(found, text, bounds, locality, inert)
        return found, locality


    def _edited_sentence_candidates(self, masked_text: str, edits: list[Replacement], locality: Locality | None,
                                    analysed: dict[str, list[Finding]]) -> list[Finding]:
        """The candidates of the masked text's sentences that hold a placeholder, with offsets into
        the masked text: only those sentences can hold anything new. Each distinct sentence is
        analysed once per document (`analysed` keeps its candidates, offsets into the sentence),
        the new ones together in one pass, joined by line breaks."""
        spans = edited_sentences(masked_text, edits)
        pending = sorted({masked_text[start:end] for start, end in spans} - analysed.keys())
        if pending:
            starts = list(itertools.accumulate((len(s) + 1 for s in pending[:-1]), initial=0))
            for sentence in pending:
                analysed[sentence] = []
            found, _ = self._candidates("\n".join(pending), locality,
                                        _inert_placeholders(masked_text, spans, pending, starts, edits))
            for finding in found:
                index = bisect.bisect_right(starts, finding.start) - 1
                if finding.end <= starts[index] + len(pending[index]):
                    analysed[pending[index]].append(
                        finding.moved(finding.start - starts[index], finding.origin, finding.reason))
        return [f.moved(start + f.start, f.origin, f.reason)
                for start, end in spans for f in analysed[masked_text[start:end]]]


def edited_sentences(masked_text: str, edits: Iterable[Replacement]) -> list[tuple[int, int]]:
    """The spans of the masked text's sentences (up to and with 。！？；, or a line end) that hold
    the placeholder of an edit."""
    ends = [m.end() for m in SENTENCE_END.finditer(masked_text)]
    spans: dict[int, int] = {}
    shift = 0
    for edit in sorted(edits, key=lambda e: e.start):
        position = edit.start + shift
        shift += len(edit.new) - (edit.end - edit.start)
        last = position + max(len(edit.new), 1) - 1  # a deletion touches the sentence it lies in
        first = bisect.bisect_right(ends, position)
        for index in range(first, bisect.bisect_right(ends, last) + 1):
            start = ends[index - 1] if index else 0
            spans[start] = ends[index] if index < len(ends) else len(masked_text)
    return sorted(spans.items())


def _inert_placeholders(masked_text: str, spans: list[tuple[int, int]], pending: list[str], starts: list[int],
                        edits: list[Replacement]) -> frozenset[int]:
    """The starts, in the pending sentences joined at `starts`, of the weak placeholders."""
    first_span = {masked_text[start:end]: start for start, end in reversed(spans)}
    positions = weak_placeholders(edits)
    inert = set()
    for sentence, joined in zip(pending, starts):
        start = first_span[sentence]
        low, high = bisect.bisect_left(positions, start), bisect.bisect_left(positions, start + len(sentence))
        inert.update(joined + position - start for position in positions[low:high])
    return frozenset(inert)


def weak_placeholders(edits: Iterable[Replacement]) -> list[int]:
    """The masked-text starts of the placeholders that anchor no list of places: those of a
    person (XX、张伟、刘洋 names people) and those of a name borrowed from another file of the
    batch (its reading there, 杜鹃社区, says nothing of a list here: 杜鹃、香樟 are trees).
    An organisation's placeholder still anchors a list: XX资本、可可资本 names more of them."""
    starts, shift = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.finding.label == "PERSON" or edit.finding.origin == BATCH_ORIGIN:
            starts.append(edit.start + shift)
        shift += len(edit.new) - (edit.end - edit.start)
    return starts


def _identity(finding: Finding) -> tuple[int, int, str, str]:
    """What makes two candidates the same: a span and the rule that proposed it."""
    return finding.start, finding.end, finding.label, finding.rule_id


class SpanIndex:
    """Spans sorted by start with the running maximum of their ends: does a span overlap any?"""

    def __init__(self, spans: Iterable[Finding]) -> None:
        ordered = sorted((s.start, s.end) for s in spans)
        self.starts = [start for start, _ in ordered]
        self.max_ends = list(itertools.accumulate((end for _, end in ordered), max))

    def overlaps(self, finding: Finding) -> bool:
        index = bisect.bisect_left(self.starts, finding.end) - 1
        return index >= 0 and self.max_ends[index] > finding.start


def map_back(findings: list[Finding], edits: list[Replacement], original: str) -> list[Finding]:
    """Findings on the masked text moved to original offsets; those touching a placeholder are dropped.

    The edits do not overlap, so their placeholders lie in the masked text in the same order:
    the first placeholder that ends after a finding's start either overlaps it (dropped) or
    follows it, and the finding moves back by what the edits before that placeholder added.
    """
    ordered = sorted(edits, key=lambda e: e.start)
    out_starts, out_ends, shifts = [], [], [0]
    for edit in ordered:
        out_start = edit.start + shifts[-1]
        out_starts.append(out_start)
        out_ends.append(out_start + len(edit.new))
        shifts.append(shifts[-1] + len(edit.new) - (edit.end - edit.start))
    moved = []
    for finding in findings:
        index = bisect.bisect_right(out_ends, finding.start)
        if index < len(ordered) and out_starts[index] < finding.end:
            continue
        start = finding.start - shifts[index]
        if original[start:start + finding.length] == finding.text:
            moved.append(finding.moved(start, origin=finding.origin, reason=finding.reason))
    return moved
