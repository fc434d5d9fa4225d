"""Names the scorer finds beyond the Chinese shapes the dictionary leaves alone
(redact/recognizers/person_names.py): rare dictionary entries under another tag, Japanese names,
a person inside a doctrine named after them, and a title with 副 after a name.

Unit tests use a stub dictionary as tests/test_person_scoring.py does; the end-to-end tests run
the shipped rules on made-up sentences.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.common_words import CommonWords
from redact.documents import Document
from redact.recognizers.base import TokenBounds
from redact.recognizers.person_names import NameLexicons, NameScorer

SURNAMES = ["王", "李", "张", "刘", "陈", "欧阳"]  # ordered by frequency
DICTIONARY = CommonWords({
    "王立群": (25, "m"), "李文华": (600, "n"), "工作": (50000, "vn"), "社区": (5000, "n"),
    "张志平理论": (800, "nr"), "张志平": (500, "nr"), "李强主义": (40, "n"),
})
LEXICONS = NameLexicons(
    surnames=frozenset(SURNAMES), frequent_surnames=frozenset(SURNAMES[:5]),
    very_frequent_surnames=frozenset(SURNAMES[:3]), stop_words=frozenset(),
    cues_before=frozenset({"记者"}), cues_after=frozenset({"说", "报道"}),
    transliteration=frozenset(), japanese_surnames=frozenset({"田中", "中村", "佐佐木"}))


@pytest.fixture(scope="module")
def scorer() -> NameScorer:
    return NameScorer(LEXICONS, DICTIONARY, prior=0.6, cue=0.3)


def names(scorer: NameScorer, words: list[str], titles: tuple[str, ...] = ()) -> list[str]:
    """The candidates that reach the threshold; `titles` name title tokens by their text."""
    text = "".join(words)
    bounds = TokenBounds(Doc(Vocab(), words=words, spaces=[False] * len(words)))
    title_spans = [(s, e) for s, e in zip(bounds.starts, bounds.ends) if text[s:e] in titles]
    return [text[c.start:c.end] for c in scorer.candidates(text, bounds, title_spans, []) if c.score >= 0.5]


@pytest.mark.parametrize(("words", "expected"), [
    # a rare entry under another tag, shaped like a name: a name with a cue, not without
    (["记者", "王立群", "报道"], ["王立群"]),
    (["记者", "王立群", "工作"], ["王立群"]),
    (["推进", "王立群", "工作"], []),
    (["记者", "李文华", "报道"], []),               # a frequent entry: a word
    # Japanese names: a frequent surname and a two-character given name, with a cue
    (["田中", "角荣", "说"], []),                   # two tokens: no Japanese shape
    (["田中角荣", "说"], ["田中角荣"]),
    (["佐佐木健一", "说"], ["佐佐木健一"]),
    (["推进", "田中角荣", "工作"], []),
    (["中村社区", "说"], []),                       # a generic noun after the surname
    # a doctrine the dictionary lists as a personal name: the person in it
    (["学习", "张志平理论"], ["张志平"]),
    (["学习", "李强主义"], []),                     # listed as a common noun: left alone
])
def test_shapes_and_cues(scorer: NameScorer, words: list[str], expected: list[str]) -> None:
    assert names(scorer, words) == expected


def test_a_deputy_title_after_a_name_is_a_cue(scorer: NameScorer) -> None:
    assert names(scorer, ["推进", "欧阳明华", "工作"], titles=("外长",)) == []
    assert names(scorer, ["欧阳明华", "副", "外长"], titles=("外长",)) == ["欧阳明华"]


# ---------------------------------------------------------------- shipped rules, end to end

def persons(redactor_factory, text: str) -> list[str]:
    redaction = redactor_factory("upper").redact(Document(source=Path("<test>"), text=text, format="text"))
    return sorted({f.text for f in redaction.masked if f.label == "PERSON"})


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("深入学习邓小平理论。", []),  # recognised, and kept: a national figure (rules/allow.yaml)
    ("坚持马克思主义立场。", []),
    ("收费的陈小姐说明了情况。", ["陈"]),
    ("日本外相田中角荣表示欢迎。", ["田中角荣"]),
    ("国王阿卜杜拉表示欢迎。", ["阿卜杜拉"]),
])
def test_names_in_sentences(redactor_factory, text: str, expected: list[str]) -> None:
    assert persons(redactor_factory, text) == expected
