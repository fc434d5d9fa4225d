"""Run Presidio's `AnalyzerEngine` with the Chinese pipeline and our rule-driven recognizers."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.language import Language

from redact.findings import Finding
from redact.recognizers import build_recognizer
from redact.recognizers.base import (EVIDENCE_KEY, FIGURE_CLASS_KEY, KEPT_KEY, LABEL_KEY, LANGUAGE, REPLACEMENT_KEY,
                                     RULE_ID_KEY, TokenBounds)
from redact.rules import RuleSet


class PreloadedSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine around a pipeline we built ourselves (pkuseg loaded by path)."""

    def __init__(self, nlp: Language) -> None:
        super().__init__(models=[{"lang_code": LANGUAGE, "model_name": "zh_pkuseg_blank"}])
        self._pipeline = nlp

    def load(self) -> None:
        self.nlp = {LANGUAGE: self._pipeline}

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """The token boundaries of the pipeline's segmentation, as `tokens`.

        Our recognizers read token boundaries only, so the pkuseg words are aligned to the text
        exactly as the pipeline's tokenizer would align them into a Doc, without building the
        Doc (its alignment is quadratic in the text length) or Presidio's lemma, keyword and
        stop-word lists (empty or meaningless for Chinese in a blank pipeline): together these
        cost about as much as the segmentation itself.
        """
        words = self.nlp[language].tokenizer.pkuseg_seg.cut(text)
        return NlpArtifacts(entities=[], tokens=TokenBounds.from_words(words, text),  # type: ignore[arg-type]
                            tokens_indices=[], lemmas=[], nlp_engine=None, language=language)


class NoContextEnhancer(ContextAwareEnhancer):
    """Our recognizers have no context words, so Presidio's lemma enhancer would change nothing
    (it only deep-copies every result); this one returns the results as they are."""

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0.0, min_score_with_context_similarity=0.0,
                         context_prefix_count=0, context_suffix_count=0)

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult], nlp_artifacts: NlpArtifacts,
                              recognizers: list, context: list[str] | None = None) -> list[RecognizerResult]:
        return raw_results


class Analyzer:
    """Every recognizer of a rule set, run over a text in one Presidio pass."""

    def __init__(self, ruleset: RuleSet, nlp: Language) -> None:
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for rule in ruleset.rules:
            registry.add_recognizer(build_recognizer(rule))
        self.engine = AnalyzerEngine(registry=registry, nlp_engine=PreloadedSpacyEngine(nlp),
                                     supported_languages=[LANGUAGE], context_aware_enhancer=NoContextEnhancer())

    def new_document(self, text: str | None = None) -> None:
        """Tell the segmenter a new document begins (`text`: its text), so that its memos serve
        the repeated analysis of that document's masked text (redact/fastseg.py)."""
        segmenter = self.engine.nlp_engine.nlp[LANGUAGE].tokenizer.pkuseg_seg
        begin = getattr(segmenter, "begin_document", None)
        if begin is not None:
            begin(text)

    def analyze(self, text: str) -> tuple[list[Finding], TokenBounds]:
        """All candidates (also low-scoring ones, for the near-miss report) in text order,
        and the token boundaries they were checked against."""
        if not text.strip():
            return [], TokenBounds(None)
        artifacts = self.engine.nlp_engine.process_text(text, LANGUAGE)
        results = self.engine.analyze(text, language=LANGUAGE, score_threshold=0.0,
                                      return_decision_process=True, nlp_artifacts=artifacts)
        findings = sorted((to_finding(r, text) for r in results), key=lambda f: (f.start, f.end, f.label, f.rule_id))
        return findings, TokenBounds.of(artifacts.tokens)


def to_finding(result: RecognizerResult, text: str) -> Finding:
    """Our frozen `Finding` from a Presidio result and its explanation."""
    metadata = result.recognition_metadata
    explanation = result.analysis_explanation
    return Finding(
        start=result.start, end=result.end, text=text[result.start:result.end],
        label=metadata[LABEL_KEY], rule_id=metadata[RULE_ID_KEY],
        recognizer=metadata[RecognizerResult.RECOGNIZER_NAME_KEY], score=round(result.score, 4),
        reason=explanation.textual_explanation if explanation else "",
        figure_class=metadata.get(FIGURE_CLASS_KEY), replacement=metadata.get(REPLACEMENT_KEY),
        evidence=tuple(metadata.get(EVIDENCE_KEY) or ()), kept=metadata.get(KEPT_KEY))
