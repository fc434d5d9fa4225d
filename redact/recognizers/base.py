"""Presidio recognizer base: one YAML rule in, `RecognizerResult`s with their explanation out."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

LANGUAGE = "zh"
RULE_ID_KEY = "rule_id"
FIGURE_CLASS_KEY = "figure_class"
REPLACEMENT_KEY = "replacement"
EVIDENCE_KEY = "evidence"
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
        own, one space after a word belongs to it), in linear time and without the Doc."""
        words = list(words)
        if "".join("".join(words).split()) != "".join(text.split()):
            raise ValueError(f"the words do not match the text: {text[:40]!r}")
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for word in words:
            if word.isspace():
                continue
            start = text.find(word, pos)
            if start < 0:
                raise ValueError(f"the word {word!r} is not in the text after offset {pos}")
            if start > pos:
                starts.append(pos)
                ends.append(start)
            starts.append(start)
            ends.append(start + len(word))
            pos = start + len(word)
            if pos < len(text) and text[pos] == " ":
                pos += 1
        if pos < len(text):
            starts.append(pos)
            ends.append(len(text))
        bounds = cls(None)
        bounds.starts, bounds.ends = starts, ends
        bounds._start_set, bounds._end_set = set(starts), set(ends)
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


def is_han(text: str) -> bool:
    """True when every character is a CJK ideograph."""
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


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
