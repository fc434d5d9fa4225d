"""More evidence for untitled names (redact/recognizers/person_names.py, person.py): names written
together, a surname before a title that is also a common word, honorifics, lists of things, glued
cue modifiers, dotted foreign names and dictionary names. Shipped rules, hand-made tokens."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.recognizers.base import TokenBounds
from redact.recognizers.person import PersonRecognizer

# Confirmed with a title or a cue: makes a text name-rich (five people and more).
STAFF = ["记者", "王建华", "报道", "：", "村民", "李志强", "说", "，", "工人", "赵海燕", "说", "，", "学生", "陈丽华",
         "说", "，", "农民", "刘卫东", "说", "。"]


def masked(recognizer: PersonRecognizer, words: list[str]) -> list[str]:
    """The names of `words` (the tokens) that reach the threshold, in order."""
    text = "".join(words)
    bounds = TokenBounds(Doc(Vocab(), words=words, spaces=[False] * len(words)))
    return sorted((text[c.start:c.end] for c in recognizer.candidates(text, bounds) if c.score >= 0.5),
                  key=text.index)


@pytest.mark.parametrize(("words", "expected"), [
    # a list of names without separators, cut across the names by the segmenter
    (["委员", "：", "王建华", "李志强", "张", "伟明", "陈", "国庆", "刘敏", "等", "出席", "。"],
     ["王建华", "李志强", "张伟明", "陈国庆", "刘敏"]),
    (["委员", "：", "王建华", "陈", "国庆", "刘", "敏", "等", "出席", "。"], ["王建华"]),  # one confirmed
    (["记者", "王建华", "报道", "李志强", "高效", "方案", "张贴", "公告", "。"], ["王建华", "李志强"]),  # prose
])
def test_names_written_together(person: PersonRecognizer, words: list[str], expected: list[str]) -> None:
    assert masked(person, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["拜访", "白", "女士", "，"], ["白"]),          # 白 is also an adjective
    (["请", "张", "主任", "讲话", "。"], ["张"]),    # 张 is also a classifier
    (["三", "位", "主任", "参加", "。"], []),         # a classifier after a numeral
    (["向", "县长", "汇报", "。"], []),              # a preposition
])
def test_a_surname_that_is_also_a_word_before_a_title(person: PersonRecognizer, words: list[str],
                                                       expected: list[str]) -> None:
    assert masked(person, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["据悉", "，", "钱老", "身体", "健康", "。"], ["钱"]),
    (["后来", "，", "王氏", "迁居", "南方", "。"], ["王"]),
    (["这", "是", "古老", "的", "村落", "。"], []),   # a dictionary word
])
def test_a_surname_called_with_an_honorific(person: PersonRecognizer, words: list[str], expected: list[str]) -> None:
    assert masked(person, words) == expected


def test_a_frequent_surname_and_a_name_character_rise_in_a_name_rich_text(person: PersonRecognizer) -> None:
    words = [*STAFF, "沈婷", "的", "书", "。"]
    assert "沈婷" in masked(person, words)
    assert "沈婷" not in masked(person, ["沈婷", "的", "书", "。"])   # no name-rich text: no name


def test_a_list_of_things_is_no_list_of_names(person: PersonRecognizer) -> None:
    things = [*STAFF, "金宝", "、", "沈婷", "等", "项目", "落地", "。"]
    people = [*STAFF, "金宝", "、", "沈婷", "等", "人", "出席", "。"]
    assert not {"金宝", "沈婷"} & set(masked(person, things))
    assert {"金宝", "沈婷"} <= set(masked(person, people))


@pytest.mark.parametrize(("words", "expected"), [
    (["女歌手", "苏明", "报告", "。"], ["苏明"]),            # a cue with a modifier glued to it
    (["同意", "苏明", "报告", "。"], []),                    # no cue
    (["外长", "萨达姆·侯赛因", "表示", "欢迎", "。"], ["萨达姆·侯赛因"]),  # dotted, mostly usual characters
    (["他", "在", "萨达姆·侯赛因", "住", "过", "。"], []),      # … needs a cue
    (["科学家", "爱因斯坦", "认为", "。"], ["爱因斯坦"]),    # a name of the dictionary (nrt)
    (["默克尔", "说", "。"], ["默克尔"]),                   # a rare transliterated name of the dictionary
])
def test_more_cues_and_foreign_names(person: PersonRecognizer, words: list[str], expected: list[str]) -> None:
    assert masked(person, words) == expected


def test_a_prefecture_jieba_tags_as_a_name_is_no_person(person: PersonRecognizer) -> None:
    # 石家庄 is tagged nr in jieba's dictionary; in a name-rich text its shape alone would pass.
    assert masked(person, [*STAFF, "工人", "张卫国", "说", "，", "石家庄", "多云", "转", "晴"]) == [
        "王建华", "李志强", "赵海燕", "陈丽华", "刘卫东", "张卫国"]


@pytest.mark.parametrize(("words", "expected"), [
    # the given name of a person named in full, as a token of its own
    (["副总理", "温家宝", "考察", "灾区", "。", "家宝", "同志", "指出"], ["温家宝", "家宝"]),
    # the surname alone before a cue after a name
    (["记者", "黄晓明", "报道", "。", "黄", "说", "，", "群众", "稳定"], ["黄晓明", "黄"]),
    # not an ordinary word that is a given name too, not a surname before another word
    (["局长", "王建设", "说", "，", "加快", "建设", "步伐"], ["王建设"]),
    (["记者", "黄晓明", "报道", "。", "黄", "说明", "情况"], ["黄晓明"]),
])
def test_short_mentions_of_a_person_named_in_full(person: PersonRecognizer, words: list[str],
                                                  expected: list[str]) -> None:
    assert masked(person, words) == expected
