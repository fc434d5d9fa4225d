"""Other written forms of Chinese divisions, on hand-segmented text (the pkuseg model is never loaded):
names with a suffix their level bore over the years (澄海市 for 澄海区), counties named by one
character (歙县), short forms glued to a word (台儿庄战役, 常熟人), and parts of provinces named by
a compound direction (浙西南).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.recognizers.base import Candidate, TokenBounds
from redact.recognizers.lexicon import GazetteerRecognizer, LexiconRecognizer, gazetteer_entries, lexicon_words
from redact.rules import GazetteerRule, LexiconRule, RenamedSuffixes

from tests.test_place_world import shipped_world_rule

VOCAB = Vocab()
DIVISIONS = [
    "# name\tshort\tlevel\tparent",
    "广东省\t广东\tprovince\t",
    "汕头市\t汕头\tprefecture\t广东省",
    "澄海区\t澄海\tcounty\t广东省/汕头市",
    "浙江省\t浙江\tprovince\t",
    "杭州市\t杭州\tprefecture\t浙江省",
    "萧山区\t萧山\tcounty\t浙江省/杭州市",
    "余杭区\t余杭\tcounty\t浙江省/杭州市",
    "丽水市\t丽水\tprefecture\t浙江省",
    "云和县\t云和\tcounty\t浙江省/丽水市",
    "雾溪畲族乡\t雾溪\ttownship\t浙江省/丽水市/云和县",
    "辽宁省\t辽宁\tprovince\t",
    "朝阳市\t朝阳\tprefecture\t辽宁省",
    "北京市\t北京\tprovince\t",
    "朝阳区\t\tcounty\t北京市",
    "安徽省\t安徽\tprovince\t",
    "黄山市\t黄山\tprefecture\t安徽省",
    "歙县\t\tcounty\t安徽省/黄山市",
    "马鞍山市\t马鞍山\tprefecture\t安徽省",
    "和县\t\tcounty\t安徽省/马鞍山市",
    "四川省\t四川\tprovince\t",
    "攀枝花市\t攀枝花\tprefecture\t四川省",
    "东区\t\tcounty\t四川省/攀枝花市",
    "山东省\t山东\tprovince\t",
    "枣庄市\t枣庄\tprefecture\t山东省",
    "台儿庄区\t台儿庄\tcounty\t山东省/枣庄市",
    "江苏省\t江苏\tprovince\t",
    "苏州市\t苏州\tprefecture\t江苏省",
    "常熟市\t常熟\tcounty\t江苏省/苏州市",
    "山西省\t山西\tprovince\t",
    "大同市\t大同\tprefecture\t山西省",
    "建城镇\t建城\ttownship\t广东省/汕头市/澄海区",
    "淡竹乡\t淡竹\ttownship\t浙江省/丽水市/云和县",
    "城区街道\t城区\ttownship\t浙江省/丽水市/云和县",
]
RENAMED = (RenamedSuffixes(level="county", suffixes=("县", "市", "区")),
           RenamedSuffixes(level="township", suffixes=("乡", "镇")))


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def run(recognizer: GazetteerRecognizer | LexiconRecognizer, words: list[str]) -> list[Candidate]:
    doc = Doc(VOCAB, words=words, spaces=[False] * len(words))
    return list(recognizer.candidates("".join(words), TokenBounds(doc)))


def spans(recognizer: GazetteerRecognizer | LexiconRecognizer, words: list[str]) -> list[str]:
    text = "".join(words)
    return [text[c.start:c.end] for c in run(recognizer, words)]


@pytest.fixture
def rule(tmp_path):
    def make(**overrides) -> GazetteerRule:
        settings = dict(id="division-gazetteer", kind="gazetteer", label="PLACE",
                        file=write(tmp_path / "divisions.tsv", DIVISIONS),
                        levels=("prefecture", "county", "township"), score=0.9, short_score=0.7,
                        keep_suffixes=("市", "县", "区", "镇", "乡", "街道"), attached_words=("人", "籍"),
                        renamed_suffixes=RENAMED, one_character_suffixes=("县", "市"))
        settings.update(overrides)
        return GazetteerRule(**settings)
    return make


@pytest.fixture
def gazetteer(rule):
    return lambda **overrides: GazetteerRecognizer(rule(**overrides))


# ---------------------------------------------------------------- suffixes of other years

@pytest.mark.parametrize(("words", "expected"), [
    # a county-level city, district or county of today, with the suffix it bore before
    (["广东省", "澄海市", "莲华镇"], ["澄海"]),
    (["撤销", "澄海县", "，", "设立"], ["澄海"]),
    (["萧山市", "和", "余杭县"], ["萧山", "余杭"]),
    # an ethnic township written with its plain suffix, or upgraded to a town
    (["贫困乡", "雾溪乡", "。"], ["雾溪"]),
    (["撤乡建", "雾溪镇"], ["雾溪"]),
])
def test_a_division_with_a_suffix_its_level_bore(gazetteer, words, expected):
    assert spans(gazetteer(short_forms=False), words) == expected


def test_a_renamed_form_is_a_full_name_of_the_same_division(rule):
    entry = gazetteer_entries(rule())["澄海市"]
    assert (entry.core_length, entry.score, entry.evidence) == (2, 0.9, ("广东省/汕头市/澄海区",))
    assert entry.needs_boundaries
    assert "named with another suffix of its level" in entry.reason


def test_a_name_some_division_bears_stays_that_division(rule):
    assert gazetteer_entries(rule())["朝阳市"].evidence == ("辽宁省/朝阳市",)
    assert "朝阳县" not in gazetteer_entries(rule())  # 朝阳区 has no short form


def test_a_renamed_form_must_end_its_token(gazetteer):
    assert spans(gazetteer(short_forms=False), ["澄海", "市场"]) == []
    assert spans(gazetteer(short_forms=False), ["澄海市", "场"]) == []  # 市场 starts a word


def test_without_renamed_suffixes_only_todays_names(gazetteer):
    recognizer = gazetteer(short_forms=False, renamed_suffixes=())
    assert spans(recognizer, ["广东省", "澄海市", "莲华镇"]) == []
    assert spans(recognizer, ["广东省", "澄海区", "莲华镇"]) == ["澄海"]


# ---------------------------------------------------------------- one-character counties

@pytest.mark.parametrize(("words", "expected"), [
    (["在", "歙县", "召开"], ["歙"]),
    (["黄山市", "歙县", "、", "黟县"], ["黄山", "歙"]),
    # 和 is a conjunction of its own: 省、市和县
    (["省", "、", "市", "和", "县"], []),
    (["和县", "召开"], []),
    # only with the suffixes of the rule: 东区 is a district of 攀枝花 and a part of any town
    (["东区", "居民"], []),
    # the name must end a token, and its suffix start no word (歙县长)
    (["歙县", "长", "说"], []),
    (["歙", "县城"], []),
])
def test_one_character_counties(gazetteer, words, expected):
    assert spans(gazetteer(), words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["新", "建城镇", "污水", "管网"], []),  # 新建 + 城镇 is the reading
    (["赴", "建城镇", "调研"], ["建城"]),
])
def test_a_full_name_read_as_two_common_words_is_none(gazetteer, words, expected):
    assert spans(gazetteer(), words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["淡竹", "乡下", "叶村", "、"], ["淡竹"]),  # a village follows: 乡 ends the township, not 乡下
    (["淡竹", "乡下", "务农"], []),  # "countryside": 淡竹 alone is a common word
])
def test_a_township_suffix_glued_to_the_village_after_it(gazetteer, words, expected):
    assert spans(gazetteer(), words) == expected


def test_a_township_named_by_a_frequent_word_scores_as_a_short_form(gazetteer):
    found = run(gazetteer(), ["三", "个", "城区", "街道", "完成"])
    assert [(c.start, c.end, c.score) for c in found] == [(2, 4, 0.7)]  # left to the locality (城区街道)
    assert run(gazetteer(), ["在", "淡竹乡", "召开"])[0].score == 0.9


def test_one_character_counties_need_the_setting(gazetteer):
    assert spans(gazetteer(one_character_suffixes=()), ["在", "歙县", "召开"]) == []


# ---------------------------------------------------------------- short forms glued to a word

@pytest.mark.parametrize(("words", "expected"), [
    # a rare dictionary word for the people of a place (常熟人), but not a frequent word (主持人)
    (["他", "是", "常熟人"], ["常熟"]),
    # an ordinary word glued to the name by the segmenter
    (["在", "台儿庄战役", "中"], ["台儿庄"]),
    # not when the whole is an ordinary word, nor a one-character rest
    (["两者", "大同小异"], []),
    (["大同", "小异"], ["大同"]),
    (["常熟市", "场"], ["常熟"]),
])
def test_short_forms_glued_to_a_word(gazetteer, words, expected):
    assert spans(gazetteer(), words) == expected


# ---------------------------------------------------------------- parts of provinces, province words

@pytest.fixture(scope="module")
def world() -> LexiconRecognizer:
    return LexiconRecognizer(shipped_world_rule())


@pytest.mark.parametrize(("words", "region"), [
    (["浙", "西南", "山区"], "浙西南"),
    (["川", "西北", "高原"], "川西北"),
    (["浙南", "山区"], "浙南"),
])
def test_parts_of_provinces_with_compound_directions(world, words, region):
    text = "".join(words)
    found = {text[c.start:c.end]: c for c in run(world, words)}
    assert found[region].reason.startswith("part of the province")
    assert found[region].kept is None


def test_compound_directions_need_the_setting():
    rule = shipped_world_rule()
    contexts = rule.abbreviations.model_copy(update={"directions": ("东", "南", "西", "北", "中")})
    recognizer = LexiconRecognizer(LexiconRule.model_validate({**rule.model_dump(), "abbreviations": contexts}))
    assert "浙西南" not in spans(recognizer, ["浙", "西南", "山区"])


@pytest.mark.parametrize(("words", "abbreviation"), [
    (["一批", "皖商", "回乡", "投资"], "皖"),
    (["湘籍", "干部"], "湘"),
    (["滇", "籍", "学生"], "滇"),
])
def test_province_abbreviations_before_words_of_origin(world, words, abbreviation):
    assert abbreviation in spans(world, words)


# ---------------------------------------------------------------- names written under their parents

@pytest.mark.parametrize(("words", "short", "parent"), [
    (["汕头市", "澄海", "莲华镇"], "澄海", "汕头市"),
    (["汕头", "澄海", "的", "农民"], "澄海", "汕头"),
    (["云和县", "雾溪", "的", "乡亲"], "雾溪", "云和县"),
])
def test_a_short_form_right_after_its_parent_is_as_sure_as_a_full_name(gazetteer, words, short, parent):
    text = "".join(words)
    found = {text[c.start:c.end]: c for c in run(gazetteer(), words)}
    assert found[short].score == 0.9
    assert found[short].reason.endswith(f"right after 「{parent}」")


@pytest.mark.parametrize("words", [
    ["汕头市", "的", "澄海"],  # not right after it
    ["杭州", "澄海"],  # not its parent
])
def test_other_short_forms_keep_their_score(gazetteer, words):
    assert run(gazetteer(), words)[-1].score == 0.7


def test_a_prefecture_right_after_its_province_is_left_to_the_locality(gazetteer):
    """A far prefecture may be named for comparison (see redact/locality.py)."""
    province, prefecture = run(gazetteer(levels=("province", "prefecture", "county")), ["浙江", "杭州"])
    assert (province.score, prefecture.score) == (0.7, 0.7)


# ---------------------------------------------------------------- the segmenter's user words

def test_a_district_ending_in_a_word_for_an_area_is_no_user_word(tmp_path):
    rule = GazetteerRule(id="division-gazetteer", kind="gazetteer", label="PLACE", levels=("county",),
                         file=write(tmp_path / "divisions.tsv", ["南山区\t南山\tcounty\t广东省/深圳市",
                                                                "余杭区\t余杭\tcounty\t浙江省/杭州市"]),
                         keep_suffixes=("区",))
    words = lexicon_words([rule])
    assert "余杭区" in words
    assert "南山区" not in words  # or pkuseg would read 浙南山区 as 浙|南山区
    recognizer = GazetteerRecognizer(rule)
    assert spans(recognizer, ["浙南", "山区"]) == []
    assert spans(recognizer, ["深圳市", "南山区", "政府"]) == ["南山"]


# ---------------------------------------------------------------- the shipped gazetteer

@pytest.fixture(scope="module")
def shipped_entries():
    from redact.rules import load_rules

    rule = next(r for r in load_rules().rules if isinstance(r, GazetteerRule))
    return gazetteer_entries(rule)


@pytest.mark.parametrize(("name", "division"), [
    ("萧山市", "浙江省/杭州市/萧山区"),
    ("余杭县", "浙江省/杭州市/余杭区"),
    ("澄海市", "广东省/汕头市/澄海区"),
    ("雾溪乡", "浙江省/丽水市/云和县/雾溪畲族乡"),
    ("歙县", "安徽省/黄山市/歙县"),
])
def test_shipped_gazetteer_knows_other_forms(shipped_entries, name, division):
    assert division in shipped_entries[name].evidence


@pytest.mark.parametrize(("word", "county"), [
    ("和县", "安徽省/马鞍山市/和县"),
    ("新县", "河南省/信阳市/新县"),  # still the short form of two towns named 新县镇
    ("东区", "四川省/攀枝花市/东区"),
])
def test_shipped_gazetteer_leaves_out_counties_that_read_as_words(shipped_entries, word, county):
    entry = shipped_entries.get(word)
    assert entry is None or county not in entry.evidence


def test_renamed_suffixes_name_a_level_that_was_renamed():
    with pytest.raises(ValueError, match="renamed_suffixes.0.level"):
        GazetteerRule(id="division-gazetteer", kind="gazetteer", label="PLACE", file="divisions.tsv",
                      levels=("county",), renamed_suffixes=({"level": "village", "suffixes": ["村"]},))
