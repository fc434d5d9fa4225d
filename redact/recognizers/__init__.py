"""Recognizers, one module per technique; `build_recognizer` maps a rule's kind to its class."""

from __future__ import annotations

from redact.recognizers.affix import AffixRecognizer
from redact.recognizers.base import RuleRecognizer
from redact.recognizers.figures import FigureRecognizer
from redact.recognizers.lexicon import GazetteerRecognizer, LexiconRecognizer
from redact.recognizers.organisation import OrganisationRecognizer
from redact.recognizers.patterns import PatternRecognizer
from redact.recognizers.person import PersonRecognizer
from redact.recognizers.terms import TermRecognizer
from redact.rules import Rule

RECOGNIZER_FOR_KIND: dict[str, type[RuleRecognizer]] = {
    "lexicon": LexiconRecognizer,
    "gazetteer": GazetteerRecognizer,
    "affix": AffixRecognizer,
    "person": PersonRecognizer,
    "figure": FigureRecognizer,
    "pattern": PatternRecognizer,
    "term": TermRecognizer,
    "organisation": OrganisationRecognizer,
}


def build_recognizer(rule: Rule) -> RuleRecognizer:
    """The recognizer for one rule."""
    return RECOGNIZER_FOR_KIND[rule.kind](rule)
