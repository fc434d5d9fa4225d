"""Untitled names scored by evidence (redact/recognizers/person_names.py).

Unit tests run the scorer on hand-made tokens with small word lists and a stub dictionary, so every
shape and cue is under control; the end-to-end tests run the shipped rules on made-up sentences in
the style of our documents.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.common_words import CommonWords
from redact.documents import Document
from redact.recognizers.base import Candidate, TokenBounds
from redact.recognizers.person_names import NameLexicons, NameScorer, given_name_odds

SURNAMES = ["王", "李", "张", "刘", "陈", "安", "金", "宣", "欧阳"]  # ordered by frequency
DICTIONARY = CommonWords({
    "建国": (3083, "ns"), "工作": (50000, "vn"), "推进": (9000, "v"), "王牌": (194, "n"),
    "王卫东": (20, "nr"), "王峰": (300, "nr"), "宇航员": (200, "n"), "国家": (90000, "n"),
    "罗斯": (150, "nr"),
})
LEXICONS = NameLexicons(
    surnames=frozenset(SURNAMES), frequent_surnames=frozenset(SURNAMES[:7]),
    very_frequent_surnames=frozenset(SURNAMES[:5]), stop_words=frozenset({"全县"}),
    cues_before=frozenset({"村民", "记者"}), cues_after=frozenset({"说", "报道", "告诉记者"}),
    transliteration=frozenset("克林顿约翰史密斯库罗斯"), places=frozenset({"克罗斯"}))


@pytest.fixture(scope="module")
def scorer() -> NameScorer:
    return NameScorer(LEXICONS, DICTIONARY, prior=0.6, cue=0.3)


def scored(scorer: NameScorer, words: list[str], titles: tuple[str, ...] = (),
           anchored: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    """(name, score) of every candidate; `titles` and `anchored` name tokens by their text."""
    text = "".join(words)
    bounds = TokenBounds(Doc(Vocab(), words=words, spaces=[False] * len(words)))
    spans = list(zip(bounds.starts, bounds.ends))
    title_spans = [(s, e) for s, e in spans if text[s:e] in titles]
    anchors = [Candidate(s, e, 0.85, "title") for s, e in spans if text[s:e] in anchored]
    return [(text[c.start:c.end], c.score) for c in scorer.candidates(text, bounds, title_spans, anchors)]


def names(scorer: NameScorer, words: list[str], **kwargs) -> list[str]:
    """The candidates that reach the threshold."""
    return [name for name, score in scored(scorer, words, **kwargs) if score >= 0.5]


@pytest.mark.parametrize(("words", "expected"), [
    # a frequent surname and a two-character given name the dictionary does not know: alone
    (["推进", "王小明", "工作"], ["王小明"]),
    (["推进", "王卫东", "工作"], ["王卫东"]),                  # listed as a name, rare
    # weaker shapes need a cue
    (["推进", "王强", "工作"], []),
    (["村民", "王强", "说"], ["王强"]),
    (["推进", "张建国", "工作"], []),                          # 建国 is a frequent word
    (["记者", "张建国", "报道"], ["张建国"]),
    (["推进", "宣小明", "工作"], []),                          # less frequent surname
    (["村民", "宣小明", "说"], ["宣小明"]),
    (["推进", "王青山", "工作"], []),                          # ends like a mountain
    (["村民", "王青山", "说"], ["王青山"]),
    (["宇航员", "王强", "工作"], ["王强"]),                    # a role noun by its ending
    (["国家", "王强", "工作"], []),                            # 国家 ends in 家 but is no role
    # the surname token and the given-name token apart
    (["村民", "李", "德胜", "告诉记者"], ["李德胜"]),
    (["记者", "刘", "洋等"], ["刘洋"]),                        # 等 closes a list
    # a surname called with 老 / 小, or left unnamed with 某
    (["老王", "说"], ["王"]),
    (["张某", "说"], ["张"]),
    # transliterated foreign names
    (["推进", "克林顿", "工作"], []),
    (["村民", "克林顿", "说"], ["克林顿"]),
    (["约翰·史密斯", "工作"], ["约翰·史密斯"]),
    (["记者", "库克", "说"], ["库克"]),
    (["国家", "罗斯", "说"], ["罗斯"]),                        # two characters standing alone: a cue after
    (["克", "罗斯", "说"], []),                                # the tail of a listed place (克罗斯)
    (["库", "罗斯", "说"], []),                                # after a lone transliteration character
    (["村民", "克罗斯", "说"], []),                            # a listed place
    # never names
    (["王家村", "说"], []),                                    # ends like a place
    (["王小明", "路"], []),                                    # a street follows
    (["村民", "王牌", "说"], []),                              # a dictionary word
    (["村民", "王峰", "说"], ["王峰"]),                        # a frequent two-character nr entry, with a cue
    (["全县", "说"], []),                                      # stop-listed
])
def test_shapes_and_cues(scorer: NameScorer, words: list[str], expected: list[str]) -> None:
    assert names(scorer, words) == expected


def test_titles_are_cues_on_both_sides(scorer: NameScorer) -> None:
    assert names(scorer, ["局长", "王强", "工作"], titles=("局长",)) == ["王强"]
    assert names(scorer, ["推进", "王强", "局长"], titles=("局长",)) == ["王强"]


def test_enumeration_carries_a_confirmed_name_along_the_list(scorer: NameScorer) -> None:
    words = ["推进", "王强", "、", "张伟", "和", "刘洋", "、", "陈明", "说"]
    assert names(scorer, words) == ["王强", "张伟", "刘洋", "陈明"]  # 陈明 说 confirms the rest
    assert names(scorer, ["推进", "王强", "、", "张伟", "工作"]) == []


def test_enumeration_starts_from_a_title_anchored_name(scorer: NameScorer) -> None:
    assert names(scorer, ["王小红", "、", "张伟", "工作"], anchored=("王小红",)) == ["张伟"]


def test_anchored_names_are_left_to_the_title_rule(scorer: NameScorer) -> None:
    assert names(scorer, ["村民", "王小明", "说"], anchored=("王小明",)) == []


def test_near_misses_need_a_cue(scorer: NameScorer) -> None:
    assert scored(scorer, ["村民", "宣强", "工作"]) == [("宣强", 0.4)]  # reported, not masked
    assert scored(scorer, ["推进", "王强", "工作"]) == []                # a bare shape is not reported


def name_rich(words: list[str]) -> list[str]:
    """`words` after five people named with a cue: a text that names many people."""
    people = [w for name in ("王小明", "李小红", "张大伟", "刘小军", "陈小华") for w in ("村民", name, "说", "。")]
    return people + words


def test_a_text_naming_many_people_raises_bare_shapes(scorer: NameScorer) -> None:
    assert "王强" in names(scorer, name_rich(["推进", "王强", "工作"]))
    assert "宣小明" in names(scorer, name_rich(["推进", "宣小明", "工作"]))


@pytest.mark.parametrize("word", ["安强", "张建国", "王青山", "王峰"])
def test_a_text_naming_many_people_leaves_doubtful_shapes(scorer: NameScorer, word: str) -> None:
    """A less frequent surname with one character (安评-like abbreviations), a common word inside,
    a place-like ending, a two-character dictionary entry: still need a cue."""
    assert word not in names(scorer, name_rich(["推进", word, "工作"]))


def test_few_names_in_a_long_text_are_not_name_rich(scorer: NameScorer) -> None:
    filler = ["推进", "工作", "。"] * 2000
    assert "王强" not in names(scorer, name_rich(filler + ["推进", "王强", "工作"]))


# ---------------------------------------------------------------- shipped rules, end to end

GOVERNMENT_TEXT = ("全县坚持高质量发展，全面推进乡村振兴，包括社区治理和城市更新，常态化开展安评、文旅融合和包联工作，"
                   "打造王牌产品，本乡强村公路建设实现全覆盖，金宝、凌霄等项目落地。\n")
NOTICE = ("关于张建国等同志职务任免的通知\n任命张建国同志为县农业农村局局长；任命李晓红同志为县文旅局副局长；"
          "任命王志强同志为县交通运输局副局长；任命陈丽华同志为县应急管理局副局长；免去刘卫东同志的县农业农村局局长职务；"
          "免去赵海燕同志的县文旅局副局长职务。\n")


def persons(redactor_factory, text: str) -> list[str]:
    redaction = redactor_factory("upper").redact(Document(source=Path("<test>"), text=text, format="text"))
    return sorted({f.text for f in redaction.masked if f.label == "PERSON"})


@pytest.mark.slow
def test_government_words_are_never_names(redactor_factory) -> None:
    assert persons(redactor_factory, GOVERNMENT_TEXT) == []


@pytest.mark.slow
def test_government_words_are_never_names_in_a_text_naming_many_people(redactor_factory) -> None:
    assert persons(redactor_factory, NOTICE + GOVERNMENT_TEXT) == ["刘卫东", "张建国", "李晓红", "王志强",
                                                                   "赵海燕", "陈丽华"]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), [
    ("工作获王县长批示肯定。", ["王"]),
    ("局长贾志春任组长。", ["贾志春"]),
    ("村民李德胜告诉记者，今年收入过万。", ["李德胜"]),
    ("记者王强报道：全县粮食生产喜获丰收。", ["王强"]),
    ("老人刘桂兰说，村里的路修好了。", ["刘桂兰"]),
    # lists: items led by a frequent surname are names when most items are confirmed names, or
    # every item is shaped like one (梁|建军, 郑|和平: given names as much as words)
    ("成员：马骏、何志强、郭晓东、梁建军、宋佳、郑和平、谢文", ["何志强", "宋佳", "梁建军", "谢文", "郑和平",
                                                  "郭晓东", "马骏"]),
    ("表彰张伟、王芳、刘洋、陈静、杨帆等先进个人。", ["刘洋", "张伟", "杨帆", "王芳", "陈静"]),
    ("参加会议的有马骏、何志强、郭晓东等同志。", ["何志强", "郭晓东", "马骏"]),  # 有 is the verb, not a surname
    # a given name the dictionary tags as a name although it is a frequent word (杨|光荣), with a cue
    ("副市长杨光荣率队调研。杨光荣指出，要光荣退休。", ["杨光荣"]),
    ("王小姐说，这里很好。", ["王"]),  # 小姐 is a title, not a given name
    ("推进城市、乡村、社区、学校、医院建设。", []),
    ("走访石门、叶村、高桥等地。", []),
    # a famous landmark spelled like a name is no person (钱 + 塘江)
    ("推进瓯江、飞云江流域综合治理，钱塘江，曹娥江", []),
    # a one-character given-name token the segmenter glued to 同志 (周立|新|同志), not 等
    ("局党委书记、局长周立新同志讲授专题党课。", ["周立新"]),
    ("局长王强等同志参加。", ["王强"]),
    ("（本报记者温宪摄）", ["温宪"]),  # 摄 follows names itself
    # a form label, its colon, the name (李明 and 陈刚 alone are no dictionary names)
    ("联系人：李明，联系电话：0576-88123456。", ["李明"]),
    ("填报人：陈刚  审核人:孙志强", ["孙志强", "陈刚"]),
    ("组长：由县委副书记担任。负责人：各乡镇主要领导。", []),
])
def test_untitled_names_in_sentences(redactor_factory, text: str, expected: list[str]) -> None:
    assert persons(redactor_factory, text) == expected


# ------------------------------------------------------------------ given-name characters

ODDS_LINES = ["王俊伟 5 nr", "李俊 3 nr", "张伟 4 nr", "刘涛 2 nr", "俊伟 1 nr",
              "事务 900 n", "务工 80 v", "服务 900 vn", "公务 40 n", "政务 60 n", "任务 300 n"]


def test_given_name_odds_count_given_name_positions_against_all_entries() -> None:
    odds = given_name_odds(ODDS_LINES, frozenset(SURNAMES))
    assert odds["俊"] == round(2 / (3 + 5), 4)   # 王俊伟, 李俊 of 3 entries; 俊伟 has no surname
    assert odds["务"] == 0.0                     # only in ordinary words
    assert "王" in odds and odds["王"] == 0.0    # a surname is never counted as a given name


@pytest.mark.parametrize(("words", "expected"), [
    (["推进", "陈俊伟", "工作"], ["陈俊伟"]),     # name characters: alone
    (["推进", "宣俊伟", "工作"], ["宣俊伟"]),     # they lift a less frequent surname too
    (["推进", "宣俊平", "工作"], []),             # without them, it still needs a cue
    (["推进", "王务平", "工作"], []),             # a character names rarely use
    (["推进", "张伟", "工作"], []),               # one character: no bonus (as often a word or a brand)
])
def test_given_name_characters_move_the_prior(words: list[str], expected: list[str]) -> None:
    odds = {"俊": 0.7, "伟": 0.7, "务": 0.005, "平": 0.02}
    scorer = NameScorer(replace(LEXICONS, given_odds=odds), DICTIONARY, prior=0.6, cue=0.3)
    assert names(scorer, words) == expected


def test_given_name_characters_in_the_score_explanation() -> None:
    scorer = NameScorer(replace(LEXICONS, given_odds={"俊": 0.7, "伟": 0.7}), DICTIONARY, prior=0.6, cue=0.3)
    text = "推进陈俊伟工作"
    bounds = TokenBounds(Doc(Vocab(), words=["推进", "陈俊伟", "工作"], spaces=[False] * 3))
    [candidate] = scorer.candidates(text, bounds, [], [])
    assert "given-name characters" in candidate.reason and candidate.score == pytest.approx(0.8)
