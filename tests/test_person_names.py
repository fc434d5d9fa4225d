"""Person names the segmenter splits (贾 | 志春) and three-character names without a title."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.recognizers.base import TokenBounds
from redact.recognizers.person import PersonRecognizer


def found(recognizer: PersonRecognizer, words: list[str]) -> list[tuple[str, bool]]:
    text = "".join(words)
    bounds = TokenBounds(Doc(Vocab(), words=words, spaces=[False] * len(words)))
    return [(text[c.start:c.end], c.score >= 0.5) for c in recognizer.candidates(text, bounds)]


@pytest.mark.parametrize(("words", "expected"), [
    (["局长", "贾", "志春", "任", "组长"], [("贾志春", True)]),
    (["记者", "王", "强说", "，"], [("王强", True)]),  # 说 glued to a one-character given name
    (["副总理", "王益说", "，"], [("王益", True)]),
    (["副", "局长", "郑", "志高", "任", "副", "组长"], [("郑志高", True)]),
    (["按照", "廖", "俊波", "同志", "的"], [("廖俊波", True)]),
    (["温州", "市委书记", "刘小涛", "批示"], [("刘小涛", True)]),
    (["获", "刘小涛", "批示", "肯定"], [("刘小涛", True)]),          # no title: a bare name
    (["提升", "王", "绿化", "同志"], []),                            # the given name is a word
    (["推进", "双随机", "监管"], []),                               # not a frequent surname
    (["建设", "陈列馆", "工作"], []),                               # dictionary word
    (["马屿镇", "人民", "政府"], []),                               # ends like a place
])
def test_split_and_bare_names(person: PersonRecognizer, words: list[str], expected: list) -> None:
    assert found(person, words) == expected


def test_the_given_name_table_from_the_dictionary(person: PersonRecognizer) -> None:
    odds = person.names.lex.given_odds
    assert odds["伟"] > 0.3 and odds["俊"] > 0.3     # name characters
    assert odds["务"] < 0.03 and odds["市"] < 0.03   # characters of government prose
