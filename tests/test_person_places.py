"""Name-shaped words that are places, and more mentions of people (redact/recognizers/person_names.py):
a word the text uses as a place is no person anywhere in it, unless a cue elsewhere says it is
one; villages, temples and peoples end in characters that end no given name; a lone surname
stands for a person named in full; a doctrine names its author. Shipped rules, hand-made tokens
(萨利巴, 卡巴罗: made-up foreign names)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("words", "expected"), [
    # a foreign name with a cue is a person …
    (["总统", "萨利巴", "签署", "法令", "。"], ["萨利巴"]),
    (["萨利巴", "表示", "，", "冲突", "已", "结束", "。"], ["萨利巴"]),
    # … but not after a noun for a settlement or a verb of going or lying somewhere
    (["边陲", "城市", "萨利巴", "表示", "欢迎", "。"], []),
    (["总统", "前往", "萨利巴", "签署", "协议", "。"], []),
    # nor before a word of position, the date of a dateline, or in a list closed by 等地
    (["记者", "萨利巴", "附近", "发生", "冲突", "。"], []),
    (["记者", "萨利巴", "5月", "26日", "电", "。"], []),
    (["记者", "萨利巴", "、", "卡巴罗", "等地", "降雨", "。"], []),
    # a cue where the word reads as no place makes it a person everywhere; so does a home (家)
    (["代表团", "抵达", "萨利巴", "。", "萨利巴", "表示", "欢迎", "。"], ["萨利巴"]),  # the second
    (["干部", "前往", "李建华", "家中", "。", "李建华", "说", "。"], ["李建华", "李建华"]),
    # between 在 and a verb of an event held somewhere, unless the clause is a frame of time
    (["双方", "代表", "在", "萨利巴", "签署", "停火", "协议", "。"], []),
    (["在", "萨利巴", "签署", "法令", "后", "，", "局势", "缓和", "。"], ["萨利巴"]),
])
def test_a_word_the_text_uses_as_a_place_is_no_person(person_names, words: list[str],
                                                      expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # 家 and a village ending, or a village, temple or people ending: no given name
    (["村民", "陈家宝", "说", "。"], ["陈家宝"]),
    (["村民", "陈家湾", "说", "。"], []),
    (["他", "来到", "乔家庄", "，", "看望", "乡亲", "。"], []),
    (["村民", "王庄", "说", "。"], []),
    (["参观", "云居寺", "说", "。"], []),
    # a given name the text uses as a place is no short mention of the full name
    (["记者", "陈巴罗", "报道", "。", "巴罗", "说", "。"], ["陈巴罗", "巴罗"]),
    (["记者", "陈巴罗", "报道", "。", "巴罗", "地区", "局势", "。"], ["陈巴罗"]),
])
def test_places_shaped_like_names(person_names, words: list[str], expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # a surname that is above all a word (黄, yellow) stands for the person named in full between a
    # preposition and a verb or 的
    (["记者", "黄晓明", "报道", "，", "他", "给", "黄", "送去", "礼品", "，", "被", "黄", "退回", "。"],
     ["黄晓明", "黄", "黄"]),
    (["记者", "黄晓明", "报道", "，", "他", "在", "黄", "的", "办公室", "。"], ["黄晓明", "黄"]),
    (["记者", "黄晓明", "报道", "，", "树叶", "变", "黄", "的", "时候", "。"], ["黄晓明"]),
    (["记者", "黄晓明", "报道", "，", "向", "黄", "色", "预警", "。"], ["黄晓明"]),
])
def test_a_lone_surname_of_a_person_named_in_full(person_names, words: list[str],
                                                  expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["坚持", "马克思主义", "立场", "。"], ["马克思"]),   # recognised; the allow-list keeps it
    (["反对", "修正主义", "。"], []),
    # a cue after a name: a party led by a person, kin of a person
    (["萨利巴", "一行", "抵京", "。"], ["萨利巴"]),
    (["萨利巴", "的父亲", "说", "。"], ["萨利巴"]),
])
def test_more_mentions_of_people(person_names, words: list[str], expected: list[str]) -> None:
    assert person_names(words) == expected
