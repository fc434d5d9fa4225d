"""More evidence for untitled names (redact/recognizers/person_names.py, person.py): names written
together, a surname before a title that is also a common word, honorifics, lists of things, glued
cue modifiers, dotted foreign names and dictionary names. Shipped rules, hand-made tokens."""

from __future__ import annotations

import pytest

# Confirmed with a title or a cue: makes a text name-rich (five people and more).
STAFF = ["记者", "王建华", "报道", "：", "村民", "李志强", "说", "，", "工人", "赵海燕", "说", "，", "学生", "陈丽华",
         "说", "，", "农民", "刘卫东", "说", "。"]


@pytest.mark.parametrize(("words", "expected"), [
    # a list of names without separators, cut across the names by the segmenter
    (["委员", "：", "王建华", "李志强", "张", "伟明", "陈", "国庆", "刘敏", "等", "出席", "。"],
     ["王建华", "李志强", "张伟明", "陈国庆", "刘敏"]),
    (["委员", "：", "王建华", "陈", "国庆", "刘", "敏", "等", "出席", "。"], ["王建华"]),  # one confirmed
    (["记者", "王建华", "报道", "李志强", "高效", "方案", "张贴", "公告", "。"], ["王建华", "李志强"]),  # prose
])
def test_names_written_together(person_names, words: list[str], expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["拜访", "白", "女士", "，"], ["白"]),          # 白 is also an adjective
    (["请", "张", "主任", "讲话", "。"], ["张"]),    # 张 is also a classifier
    (["三", "位", "主任", "参加", "。"], []),         # a classifier after a numeral
    (["向", "县长", "汇报", "。"], []),              # a preposition
    (["会上", "有", "局长", "发言", "。"], []),      # a rare surname, above all a frequent verb
])
def test_a_surname_that_is_also_a_word_before_a_title(person_names, words: list[str],
                                                       expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["据悉", "，", "钱老", "身体", "健康", "。"], ["钱"]),
    (["后来", "，", "王氏", "迁居", "南方", "。"], ["王"]),
    (["这", "是", "古老", "的", "村落", "。"], []),   # a dictionary word
])
def test_a_surname_called_with_an_honorific(person_names, words: list[str], expected: list[str]) -> None:
    assert person_names(words) == expected


def test_a_frequent_surname_and_a_name_character_rise_in_a_name_rich_text(person_names) -> None:
    words = [*STAFF, "沈婷", "的", "书", "。"]
    assert "沈婷" in person_names(words)
    assert "沈婷" not in person_names(["沈婷", "的", "书", "。"])   # no name-rich text: no name


def test_a_list_of_things_is_no_list_of_names(person_names) -> None:
    things = [*STAFF, "金宝", "、", "沈婷", "等", "项目", "落地", "。"]
    people = [*STAFF, "金宝", "、", "沈婷", "等", "人", "出席", "。"]
    assert not {"金宝", "沈婷"} & set(person_names(things))
    assert {"金宝", "沈婷"} <= set(person_names(people))


@pytest.mark.parametrize(("words", "expected"), [
    (["女歌手", "苏明", "报告", "。"], ["苏明"]),            # a cue with a modifier glued to it
    (["同意", "苏明", "报告", "。"], []),                    # no cue
    (["外长", "萨达姆·侯赛因", "表示", "欢迎", "。"], ["萨达姆·侯赛因"]),  # dotted, mostly usual characters
    (["他", "在", "萨达姆·侯赛因", "住", "过", "。"], []),      # … needs a cue
    (["科学家", "爱因斯坦", "认为", "。"], ["爱因斯坦"]),    # a name of the dictionary (nrt)
    (["默克尔", "说", "。"], ["默克尔"]),                   # a rare transliterated name of the dictionary
])
def test_more_cues_and_foreign_names(person_names, words: list[str], expected: list[str]) -> None:
    assert person_names(words) == expected


def test_a_prefecture_jieba_tags_as_a_name_is_no_person(person_names) -> None:
    # 石家庄 is tagged nr in jieba's dictionary; in a name-rich text its shape alone would pass.
    assert person_names([*STAFF, "工人", "张卫国", "说", "，", "石家庄", "多云", "转", "晴"]) == [
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
def test_short_mentions_of_a_person_named_in_full(person_names, words: list[str],
                                                  expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # the surname alone after a preposition that introduces a person, or before 的
    (["村民", "陈建国", "说", "，", "他", "跟", "陈", "交流", "。"], ["陈建国", "陈"]),
    (["村民", "陈建国", "说", "，", "在", "陈", "的", "办公室", "。"], ["陈建国", "陈"]),
    # … not a surname that is above all a word (高, high), nor one after a numeral (一周, a week)
    (["记者", "高建国", "报道", "，", "对", "高", "学历", "人员", "。"], ["高建国"]),
    (["记者", "周建国", "报道", "，", "前", "一", "周", "的", "价格", "。"], ["周建国"]),
])
def test_a_surname_alone_where_it_stands_for_the_person(person_names, words: list[str],
                                                        expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # a stop word and a given-name character the segmenter kept together: a name
    (["王国栋", "教授", "指出", "。"], ["王国栋"]),
    (["党建华", "书记", "主持", "会议", "。"], ["党建华"]),
    (["实行", "代办制", "服务", "。"], []),
    # a surname-like word and a verb of saying after a title are no name
    (["王建华", "先生", "曾", "说", "："], ["王建华"]),
    # a place word of the dictionary between a title and a cue after it
    (["局长", "常山", "表示", "。"], ["常山"]),
    (["局长", "常山", "调研", "。"], []),
])
def test_names_next_to_titles(person_names, words: list[str], expected: list[str]) -> None:
    assert person_names(words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # a foreign name the segmenter cut at its dot
    (["总统", "约翰", "·史密斯", "表示", "。"], ["约翰·史密斯"]),
    (["约翰·", "史密斯", "说", "。"], ["约翰·史密斯"]),
    # parts joined by · in other characters: a name after a title, else a slogan
    (["主任", "买买提·吐尔逊", "说", "。"], ["买买提·吐尔逊"]),
    (["开展", "美丽乡村·幸福家园", "活动", "。"], []),
    # mostly transliteration characters, with a cue
    (["国王", "普密蓬阿杜德", "表示", "。"], ["普密蓬阿杜德"]),
    (["他", "在", "普密蓬阿杜德", "住", "过", "。"], []),
    # a cup named after a foreign person; not a Chinese-looking one
    (["夺得", "斯坦利杯", "。"], ["斯坦利"]),
    (["举办", "金秋杯", "比赛", "。"], []),
])
def test_more_foreign_names(person_names, words: list[str], expected: list[str]) -> None:
    assert person_names(words) == expected


def test_a_name_listed_between_two_confirmed_names_gains_a_cue_from_each(person_names) -> None:
    between = ["出席", "的", "有", "局长", "王建华", "、", "邬明", "、", "李志强", "说", "。"]
    after_one = ["出席", "的", "有", "局长", "王建华", "、", "邬明", "等", "。"]
    assert person_names(between) == ["王建华", "邬明", "李志强"]
    assert person_names(after_one) == ["王建华"]


@pytest.mark.parametrize(("words", "expected"), [
    (["老王", "说", "。"], ["王"]),
    (["实现", "全面", "小康", "。"], []),  # 小康 (735 uses) and 老虎 are words, whatever jieba's tag
    (["全面", "建成", "小康", "社会", "。"], []),
    (["打", "老虎", "。"], []),
])
def test_a_surname_called_with_lao_or_xiao_unless_a_frequent_word(person_names, words: list[str],
                                                                  expected: list[str]) -> None:
    assert person_names(words) == expected
