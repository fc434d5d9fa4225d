"""Famous bodies known by their name alone (rules/lexicons/org_famous.txt): found whole and kept
by the org-national rule, not by the allow-list, so that a place spelled the same stays a place."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.documents import Document
from redact.recognizers import build_recognizer
from redact.recognizers.base import TokenBounds
from redact.rules import RuleSet, load_rules

VOCAB = Vocab()


@lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    return load_rules()


@lru_cache(maxsize=None)
def recognizer(rule_id: str):
    return build_recognizer(next(r for r in ruleset().rules if r.id == rule_id))


def national(words: list[str]) -> list[tuple[str, bool]]:
    """(text, kept by the rule) of the org-national candidates."""
    text = "".join(words)
    bounds = TokenBounds(Doc(VOCAB, words=words, spaces=[False] * len(words)))
    return [(text[c.start:c.end], c.kept is not None) for c in recognizer("org-national").candidates(text, bounds)]


@pytest.mark.parametrize(("words", "expected"), [
    (["考上", "北大", "和", "清华"], [("北大", True), ("清华", True)]),
    (["当年", "八路军", "一过"], [("八路军", True)]),
    (["与", "海尔", "集团", "合作"], [("海尔", True)]),
    # a street or a place named the same is no body
    (["北大", "路"], []),
    (["长虹", "村"], []),
    # national bodies stay with the allow-list
    (["据", "新华社", "报道"], [("新华社", False)]),
])
def test_famous_bodies_are_found_whole_and_kept_by_the_rule(words, expected):
    assert national(words) == expected


def test_famous_bodies_are_not_allow_listed():
    allowed = ruleset().allow_terms
    assert "北大" not in allowed and "长虹" not in allowed
    assert "微软" in allowed  # a foreign firm is spelled like no place: org_national.txt


def test_a_famous_firm_suffix_rule_finds_nothing_to_mask():
    assert [c for c in recognizer("org-company").candidates("与海尔集团合作", TokenBounds(
        Doc(VOCAB, words=["与", "海尔", "集团", "合作"], spaces=[False] * 4)))] == []


@pytest.mark.slow
def test_a_famous_body_is_kept_through_the_pipeline(redactor_factory):
    document = Document(source=Path("org.txt"), text="他考上了北大，在海尔集团工作。", format="text")
    redaction = redactor_factory("upper").redact(document)
    kept = {(n.finding.text, n.finding.label) for n in redaction.near_misses if n.kept}
    assert {("北大", "ORG"), ("海尔", "ORG")} <= kept
    assert not [f for f in redaction.masked if f.label == "ORG"]
