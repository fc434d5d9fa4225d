"""Presidio recognizer base: one YAML rule in, `RecognizerResult`s with their explanation out."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

LANGUAGE = "zh"
RULE_ID_KEY = "rule_id"
FIGURE_CLASS_KEY = "figure_class"
REPLACEMENT_KEY = "replacement"
EVIDENCE_KEY = "evidence"
KEPT_KEY = "kept"
LABEL_KEY = "label"


def entity_key(rule: Any) -> str:
    """Presidio's entity type for a rule's results: one per rule, not per label, because
    Presidio drops a result contained in a same-type result of another recognizer, and we want
    every rule's candidate kept until locality and resolution have weighed them."""
    return f"{rule.label}#{rule.id}"


@dataclass(frozen=True)
class Candidate:
    """A span a rule proposes, before Presidio wraps it."""

    start: int
    end: int
    score: float
    reason: str
    figure_class: str | None = None
    replacement: str | None = None
    evidence: tuple[str, ...] = ()
    kept: str | None = None  # why the span is recognised but never masked


# Chinese quotation marks, opening → closing: a quoted phrase is a name, a brand or a slogan.
QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}

# What str.split() splits on (str.isspace), as code points; SPACE is the one spaCy attaches to a word.
WHITESPACE_CODES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)
SPACE = ord(" ")


class TokenBounds:
    """Token start/end offsets of a segmented text, for boundary checks in O(log n)."""

    def __init__(self, doc: Doc | None) -> None:
        if doc is not None and len(doc):
            # Read from the Doc's arrays: iterating it would create a Token object per token.
            offsets = doc.to_array([IDX, LENGTH])
            self.starts = offsets[:, 0].tolist()
            self.ends = (offsets[:, 0] + offsets[:, 1]).tolist()
        else:
            self.starts, self.ends = [], []
        self._start_set = set(self.starts)
        self._end_set = set(self.ends)

    _last: tuple[Doc, TokenBounds] | None = None

    @classmethod
    def from_words(cls, words: Iterable[str], text: str) -> TokenBounds:
        """The bounds of the Doc that spaCy builds from a segmenter's `words` for `text`
        (`spacy.util.get_words_and_spaces`: whitespace the words skip becomes a token of its
        own, one space after a word belongs to it), computed with numpy, without the Doc.

        The words are the text's non-whitespace characters in order, each without whitespace
        (pkuseg cuts whitespace-separated chunks), so word i covers the non-whitespace
        characters from the sum of the lengths before it on.
        """
        words = [w for w in words if not w.isspace()]
        if "".join(words) != "".join(text.split()) or any(len(w.split()) != 1 for w in words):
            raise ValueError(f"the words do not match the text: {text[:40]!r}")
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        visible = np.flatnonzero(~np.isin(codes, WHITESPACE_CODES))
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        ends_visible = np.cumsum(lengths)
        word_starts = visible[ends_visible - lengths]
        word_ends = visible[ends_visible - 1] + 1
        # Gap i lies before word i (gap n after the last word); a gap after a word loses its
        # first character when that is a space (it belongs to the word).
        gap_starts = np.concatenate(([0], word_ends))
        gap_starts[1:] += codes[np.minimum(word_ends, len(text) - 1)] == SPACE if len(text) else 0
        gap_ends = np.concatenate((word_starts, [len(text)]))
        starts = np.empty(2 * len(words) + 1, dtype=np.int64)
        ends = np.empty_like(starts)
        starts[0::2], ends[0::2] = gap_starts, gap_ends
        starts[1::2], ends[1::2] = word_starts, word_ends
        keep = ends > starts
        keep[1::2] = True
        bounds = cls(None)
        bounds.starts, bounds.ends = starts[keep].tolist(), ends[keep].tolist()
        bounds._start_set, bounds._end_set = set(bounds.starts), set(bounds.ends)
        return bounds

    @classmethod
    def of(cls, doc: Doc | TokenBounds | None) -> TokenBounds:
        """The bounds of `doc`, computed once for all the recognizers that look at it."""
        if isinstance(doc, TokenBounds):
            return doc
        if doc is None:
            return cls(None)
        last = cls._last
        if last is not None and last[0] is doc:
            return last[1]
        bounds = cls(doc)
        cls._last = (doc, bounds)
        return bounds

    def is_start(self, offset: int) -> bool:
        return offset in self._start_set or not self.starts

    def is_end(self, offset: int) -> bool:
        return offset in self._end_set or not self.ends

    def token_at(self, offset: int) -> tuple[int, int] | None:
        """The (start, end) of the token that contains `offset`, if any."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and self.starts[index] <= offset < self.ends[index]:
            return self.starts[index], self.ends[index]
        return None

    def token_before(self, offset: int) -> tuple[int, int] | None:
        """The token that ends exactly at `offset`, if any."""
        index = bisect.bisect_left(self.ends, offset)
        if index < len(self.ends) and self.ends[index] == offset:
            return self.starts[index], self.ends[index]
        return None

    def token_after(self, offset: int) -> tuple[int, int] | None:
        """The token that starts exactly at `offset`, if any."""
        index = bisect.bisect_left(self.starts, offset)
        if index < len(self.starts) and self.starts[index] == offset:
            return self.starts[index], self.ends[index]
        return None


class RuleRecognizer(EntityRecognizer):
    """A recognizer whose behaviour comes entirely from one rule object."""

    def __init__(self, rule: Any) -> None:
        self.rule = rule
        super().__init__(supported_entities=[entity_key(rule)], name=type(self).__name__,
                         supported_language=LANGUAGE)

    def load(self) -> None:
        """Rules are compiled in `__init__` of each subclass; nothing to load lazily."""

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        return [self._result(c) for c in self.candidates(text, TokenBounds.of(doc))]

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        """Every span this rule proposes in `text`."""
        raise NotImplementedError

    def _result(self, candidate: Candidate) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=candidate.score,
            pattern_name=self.rule.id, textual_explanation=candidate.reason)
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            RULE_ID_KEY: self.rule.id,
            LABEL_KEY: self.rule.label,
            FIGURE_CLASS_KEY: candidate.figure_class,
            REPLACEMENT_KEY: candidate.replacement,
            EVIDENCE_KEY: candidate.evidence,
            KEPT_KEY: candidate.kept,
        }
        return RecognizerResult(entity_key(self.rule), candidate.start, candidate.end, candidate.score,
                                analysis_explanation=explanation, recognition_metadata=metadata)


def leftmost_longest(matches: Iterable[tuple[int, int, Any]]) -> Iterator[tuple[int, int, Any]]:
    """Keep non-overlapping matches, preferring the earliest start, then the longest."""
    last_end = -1
    for start, end, value in sorted(matches, key=lambda m: (m[0], -(m[1] - m[0]))):
        if start >= last_end:
            last_end = end
            yield start, end, value
