"""Recognizers, one class at a time, on hand-segmented text (the pkuseg model is never loaded).

Each case states its token boundaries explicitly: `["目前", "沙溪镇", "农民"]` is the text
`目前沙溪镇农民` segmented into three tokens. Expected values are the masked spans' texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.recognizers import build_recognizer
from redact.recognizers.affix import AffixRecognizer
from redact.recognizers.base import Candidate, TokenBounds
from redact.recognizers.figures import FigureRecognizer
from redact.recognizers.lexicon import GazetteerRecognizer, LexiconRecognizer
from redact.recognizers.patterns import PatternRecognizer, valid_cn_id
from redact.recognizers.person import PersonRecognizer
from redact.recognizers.terms import TermRecognizer
from redact.rules import (AffixRule, FigureRule, GazetteerRule, LexiconRule, PatternRule, PersonRule,
                          TermRule)

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
VOCAB = Vocab()


def bounds(words: list[str]) -> TokenBounds:
    """Token bounds of the text `"".join(words)` segmented exactly as `words`."""
    return TokenBounds(Doc(VOCAB, words=words, spaces=[False] * len(words)))


def run(recognizer, words: list[str] | str) -> list[Candidate]:
    words = [words] if isinstance(words, str) else words
    return list(recognizer.candidates("".join(words), bounds(words)))


def spans(recognizer, words: list[str] | str) -> list[str]:
    text = "".join([words] if isinstance(words, str) else words)
    return [text[c.start:c.end] for c in run(recognizer, words)]


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def shipped_rule(file: str, rule_id: str) -> dict:
    """One rule entry of a shipped YAML file, read directly (no lexicon files needed)."""
    entries = yaml.safe_load((RULES_DIR / file).read_text(encoding="utf-8"))["rules"]
    return next(e for e in entries if e["id"] == rule_id)


# ---------------------------------------------------------------- TokenBounds

def test_token_bounds_offsets():
    b = bounds(["目前", "沙溪镇", "农民"])
    assert b.starts == [0, 2, 5] and b.ends == [2, 5, 7]
    assert b.token_at(3) == (2, 5) and b.token_at(7) is None
    assert b.token_before(5) == (2, 5) and b.token_before(4) is None
    assert b.token_after(5) == (5, 7) and b.token_after(6) is None
    assert b.is_start(2) and not b.is_start(3)
    assert b.is_end(5) and not b.is_end(4)


def test_token_bounds_without_doc_accepts_every_offset():
    b = TokenBounds(None)
    assert b.is_start(3) and b.is_end(3)


# ---------------------------------------------------------------- AffixRecognizer

PLACE_SUFFIXES = ("县", "镇", "乡", "街道", "村", "社区")


def affix(**overrides) -> AffixRecognizer:
    settings = dict(id="admin-suffix", kind="affix", label="PLACE", suffixes=PLACE_SUFFIXES,
                    stop_terms=("全县",), stop_follow=("长", "委", "民"))
    settings.update(overrides)
    return AffixRecognizer(AffixRule(**settings))


@pytest.mark.parametrize(("words", "expected"), [
    # the core is the token before the suffix, not the characters before it (前沙溪)
    (["目前", "沙溪镇", "农民"], ["沙溪"]),
    (["目前", "沙溪", "镇", "农民"], ["沙溪"]),
    (["在", "沙溪", "街道", "召开"], ["沙溪"]),
    (["沙溪", "镇", "、", "儒岙", "镇"], ["沙溪", "儒岙"]),
    # an unknown name split into single characters is joined back …
    (["儒", "岙", "镇"], ["儒岙"]),
    # … but not across a function character
    (["为", "儒", "岙", "镇"], ["儒岙"]),
    # at the very end of the text the suffix closes the text
    (["指导", "沙溪镇"], ["沙溪"]),
    # stop-listed / too short
    (["全县", "共", "办理"], []),
    (["全", "县", "共", "办理"], []),
    (["我", "县"], []),
    # the suffix must close a token: 镇 in 镇长, 村 in 村民 are not suffixes
    (["沙溪", "镇长", "说"], []),
    (["镇长", "说"], []),
    (["沙溪", "村民"], []),
    # stop_follow: a suffix glued to 长/委/民 in a mis-segmented text
    (["沙溪", "镇", "长"], []),
    (["沙溪", "镇", "委"], []),
    # common words before the suffix are rejected through jieba's dictionary
    (["完善", "县", "乡", "村", "三级"], []),
    (["开展", "服务", "镇"], []),
    (["完善", "镇"], []),
    # already masked or not Chinese
    (["XX", "镇"], []),
    (["xx", "县"], []),
    (["ABC", "村"], []),
])
def test_affix(words, expected):
    assert spans(affix(), words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["项目", "中", "京", "电投"], ["中京"]),  # the dictionary knows 中京 as a place name
    (["项目", "中", "岙", "电投"], []),  # 中 is a function character: no name across it
])
def test_affix_core_joins_a_function_character_into_a_dictionary_name(words, expected):
    assert spans(affix(suffixes=("电投",)), words) == expected


def test_affix_longest_suffix_names_a_natural_village():
    assert spans(affix(suffixes=(*PLACE_SUFFIXES, "自然村")), ["鲁村", "蔡塘", "自然村", "，"]) == ["蔡塘"]
    assert spans(affix(), ["鲁村", "蔡塘", "自然村", "，"]) == []  # 自然 alone is a common word


def test_affix_common_words_pass_when_the_dictionary_is_off():
    assert spans(affix(reject_common_words=False), ["开展", "服务", "镇"]) == ["服务"]
    assert spans(affix(), ["开展", "服务", "镇"]) == []


@pytest.mark.parametrize(("stop_lines", "words", "expected"), [
    (["沙溪"], ["目前", "沙溪镇"], []),          # the core is listed
    (["沙溪镇"], ["目前", "沙溪镇"], []),        # core + suffix is listed
    (["# 沙溪", "回山"], ["目前", "沙溪镇"], ["沙溪"]),  # comment lines are ignored
])
def test_affix_stop_file(tmp_path, stop_lines, words, expected):
    recognizer = affix(stop_file=write(tmp_path / "stop.txt", stop_lines))
    assert spans(recognizer, words) == expected


@pytest.mark.parametrize(("overrides", "words", "expected"), [
    ({"stop_prefixes": ("两",), "reject_common_words": False}, ["两岙", "村"], []),
    ({"reject_common_words": False}, ["两岙", "村"], ["两岙"]),
    ({"max_core": 4}, ["梅棠岙坑垟", "村"], []),
    ({"max_core": 5}, ["梅棠岙坑垟", "村"], ["梅棠岙坑垟"]),
    ({"min_core": 3}, ["沙溪", "镇"], []),
    # a slogan: a common word and a verb that builds up the place
    ({"slogan_verbs": ("立", "兴")}, ["生态立", "镇"], []),
    ({}, ["生态立", "镇"], ["生态立"]),
    ({"slogan_verbs": ("立", "兴")}, ["永兴", "镇"], ["永兴"]),  # a two-character name keeps its 兴
    ({"slogan_verbs": ("立", "兴")}, ["梅棠兴", "村"], ["梅棠兴"]),  # no common word before the verb
])
def test_affix_rule_settings(overrides, words, expected):
    assert spans(affix(**overrides), words) == expected


@pytest.mark.parametrize(("suffixes", "words", "expected"), [
    # Real names whose characters are frequent in jieba's dictionary (新, 回, 山, 台, 安, 平, 文 …).
    # A name the segmenter kept as one token must not be rejected character by character.
    (PLACE_SUFFIXES, ["在", "新昌", "街道", "召开"], ["新昌"]),      # 新昌 is even tagged ns
    (PLACE_SUFFIXES, ["指导", "回山", "镇"], ["回山"]),
    (PLACE_SUFFIXES, ["文成", "县"], ["文成"]),
    (("大桥",), ["228", "丹东线", "腾云山", "大桥"], ["腾云山"]),
])
def test_affix_names_made_of_frequent_characters(suffixes, words, expected):
    assert spans(affix(suffixes=suffixes), words) == expected


def test_affix_candidate_score_and_reason():
    [candidate] = run(affix(score=0.75), ["目前", "沙溪镇", "农民"])
    assert (candidate.start, candidate.end, candidate.score) == (2, 4, 0.75)
    assert candidate.reason == "「沙溪」 before the suffix 「镇」"


def test_affix_longest_suffix_wins():
    recognizer = AffixRecognizer(AffixRule(id="bridge", kind="affix", label="PLACE",
                                           suffixes=("桥", "大桥"), reject_common_words=False))
    assert spans(recognizer, ["腾云山", "大桥"]) == ["腾云山"]


@pytest.fixture(scope="module")
def landmarks() -> AffixRecognizer:
    """The shipped landmark-suffix rule (roads, rivers, mountains, temples, squares …)."""
    entry = shipped_rule("places.yaml", "landmark-suffix")
    return AffixRecognizer(AffixRule(**{**entry, "stop_file": str(RULES_DIR / entry["stop_file"])}))


@pytest.mark.parametrize(("words", "expected"), [
    (["构建", "东横", "河", "流域"], ["东横"]),
    (["推进", "海黄", "山", "等", "站点"], ["海黄"]),
    (["翻越", "岙坑", "岭"], ["岙坑"]),
    (["游览", "梅岙", "石窟"], ["梅岙"]),
    (["沿", "溪坑", "街", "走"], ["溪坑"]),
    (["在", "岙里", "体育场", "举行"], ["岙里"]),
    (["打造", "梅岙", "新区"], ["梅岙"]),
    (["推进", "滕家堍", "试点"], ["滕家"]),
    (["建设", "东环", "快速路", "、"], ["东环"]),  # the longest suffix: 快速路, not 路
    (["完成", "下沙", "互通", "改造"], ["下沙"]),
    (["开通", "梅岙", "隧道", "，"], ["梅岙"]),
    (["建设", "城市", "隧道"], []),
    (["游览", "华顶", "国家森林公园", "、"], ["华顶"]),  # the longest suffix, not 公园 after 国家森林
    (["建设", "城市", "森林公园"], []),
    (["建设", "城市", "新区"], []),
    # a rare dictionary word before 新区 is its name; before 公路 it is an ordinary word
    (["继续", "与", "前湾", "新区", "合作"], ["前湾"]),
    (["做好", "管养", "公路", "养护"], []),
    # a common word as a whole, or a core that is a common word, is no name
    (["绿水青山", "就是", "金山银山"], []),
    (["护城河", "两岸"], []),
    (["开展", "文化", "广场", "活动"], []),
    (["山区", "县"], []),
    (["坚持", "港人治港"], []),  # a slogan, not a port
])
def test_landmark_suffixes(landmarks, words, expected):
    assert spans(landmarks, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["打造", "有", "岙坑", "辨识度", "的", "举措"], ["岙坑"]),
    (["具有", "较高", "辨识度"], []),
    (["有", "一定", "的", "辨识度"], []),
    (["提升", "城市", "辨识度"], []),
])
def test_place_derived_phrases(words, expected):
    entry = shipped_rule("places.yaml", "place-derived")
    recognizer = AffixRecognizer(AffixRule(**{**entry, "stop_file": str(RULES_DIR / entry["stop_file"])}))
    assert spans(recognizer, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # a street named by an ordinary word: one token, and a word around it speaks of a street
    (["完成", "宝丰路", "交通", "分流"], ["宝丰"]),
    (["目前", "敦睦路", "（", "东段", "）"], ["敦睦"]),
    (["位于", "敦睦街", "的", "门店"], ["敦睦"]),
    # one token of a name the dictionary does not know, although its first character is an adverb
    (["腾空", "，", "太河路", "滚动", "开发"], ["太河"]),
    # no street context, quotation marks, two tokens, or a stop-listed metaphor: no name
    (["打造", "宝丰路", "品牌"], []),
    (["共建", "“", "敦睦街", "”"], []),
    (["完成", "宝丰", "路", "交通", "分流"], []),
    (["走好", "共富路", "、", "致富路"], []),
    # a stop-listed opening (镇) gives way only to a street context, and only for a name unknown to
    # the dictionary
    (["推进", "镇小路", "等", "积水", "区域"], ["镇小"]),
    (["推进", "镇小路", "建设"], []),
    # a district named after its street makes even a stop-listed word a street's name, when the
    # segmenter glues the suffix to the district word too; not in quotation marks or after a pronoun
    (["在", "和平", "路片区", "改造"], ["和平"]),
    (["在", "和平路", "片区", "改造"], ["和平"]),
    (["在", "胜利", "街", "地块", "改造"], ["胜利"]),
    (["打造", "“", "和平路", "片区", "”"], []),
    (["改造", "这些", "路片区"], []),
    (["在", "和平", "路片", "改造"], []),
    # a very frequent word that jieba tags as a name too (masked again only before 路: resolve.py)
    (["在", "文明", "路片区", "改造"], ["文明"]),
])
def test_streets_named_by_ordinary_words(landmarks, words, expected):
    assert spans(landmarks, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["开设", "“", "天姥", "馨", "大讲堂", "”"], ["天姥"]),  # a bare name inside a brand
    (["游览", "雁荡山", "和", "千岛湖"], ["雁荡", "千岛"]),  # the generic word stays
    (["积极", "开展", "“", "瓯江", "红", "”"], ["瓯"]),
    (["开展", "登山", "活动"], []),
])
def test_famous_landmarks(words, expected):
    entry = shipped_rule("places.yaml", "famous-landmarks")
    recognizer = LexiconRecognizer(LexiconRule(**{**entry, "terms_file": str(RULES_DIR / entry["terms_file"])}))
    assert spans(recognizer, words) == expected


def test_affix_core_never_ends_with_a_particle():
    assert spans(affix(), ["有的", "街道", "过密"]) == []
    assert spans(affix(), ["梅和", "镇"]) == ["梅和"]  # 和 is a conjunction, not a particle


# ---------------------------------------------------------------- GazetteerRecognizer

GAZETTEER = [
    "# name\tshort\tlevel\tparent",
    "浙江省\t浙江\tprovince\t",
    "绍兴市\t绍兴\tprefecture\t浙江省",
    "新昌县\t新昌\tcounty\t浙江省/绍兴市",
    "沙溪镇\t沙溪\ttownship\t浙江省/绍兴市/新昌县",
    "儒岙镇\t儒岙\ttownship\t浙江省/绍兴市/新昌县",
    "城关镇\t城关\ttownship\t浙江省/某市/某县",
    "东乡\t东\ttownship\t浙江省/某市/某县",
    "和沙乡\t和沙\ttownship\t浙江省/某市/某县",
    "主持镇\t主持\ttownship\t浙江省/某市/某县",
    "梅岙路街道\t梅岙路\ttownship\t浙江省/某市/某县",
]


@pytest.fixture
def gazetteer(tmp_path):
    def make(**overrides) -> GazetteerRecognizer:
        settings = dict(id="division-gazetteer", kind="gazetteer", label="PLACE",
                        file=write(tmp_path / "divisions.tsv", GAZETTEER),
                        levels=("prefecture", "county", "township"), score=0.9, short_score=0.7)
        settings.update(overrides)
        return GazetteerRecognizer(GazetteerRule(**settings))
    return make


@pytest.mark.parametrize(("words", "expected"), [
    # full names anywhere, whatever the segmentation; the suffix stays outside
    (["新昌县", "政务"], ["新昌"]),
    (["到", "新", "昌县城"], ["新昌"]),
    (["目前", "沙溪镇", "农民"], ["沙溪"]),
    (["绍兴市", "新昌县"], ["绍兴", "新昌"]),
    # short forms only on token boundaries
    (["在", "沙溪", "召开"], ["沙溪"]),
    (["回山", "、", "儒岙", "等"], ["儒岙"]),
    (["新", "昌", "是"], ["新昌"]),
    (["重新", "昌盛"], []),
    (["重新昌盛"], []),
    (["沙溪口", "村"], []),
    (["在", "沙溪"], ["沙溪"]),
    # a short form cutting a word (和沙 in 和|沙溪) hides nothing behind it
    (["东", "和", "沙溪", "召开"], ["沙溪"]),
    # a level the rule does not ask for
    (["浙江省"], []),
    (["浙江", "的"], []),
    # one-character short forms are never used
    (["东", "方"], []),
])
def test_gazetteer(gazetteer, words, expected):
    assert spans(gazetteer(), words) == expected


def test_gazetteer_full_name_whose_suffix_starts_a_word_stands_for_its_short_form(gazetteer):
    recognizer = gazetteer(keep_suffixes=("县", "乡", "镇"))
    assert spans(recognizer, ["新昌县", "长", "说"]) == ["新昌"]  # 新昌|县长
    assert spans(recognizer, ["东乡", "村"]) == []  # 东|乡村: the short form 东 is no entry


def test_gazetteer_name_inside_a_longer_stop_listed_phrase_is_none(gazetteer, tmp_path):
    recognizer = gazetteer(stop_file=write(tmp_path / "stop.txt", ["沙溪银山"]))
    assert spans(recognizer, ["就是", "沙溪", "银山", "理念"]) == []
    assert spans(recognizer, ["就是", "沙溪", "理念"]) == ["沙溪"]


def test_gazetteer_short_form_with_an_attached_word(gazetteer):
    recognizer = gazetteer(attached_words=("人", "籍"))
    assert spans(recognizer, ["沙溪人", "说"]) == ["沙溪"]
    assert spans(recognizer, ["新昌籍", "干部"]) == ["新昌"]
    assert spans(recognizer, ["主持人", "说"]) == []  # 主持人 is a word of its own
    assert spans(gazetteer(), ["沙溪人", "说"]) == []


def test_gazetteer_keeps_the_street_word_of_a_township_named_after_a_street(gazetteer):
    recognizer = gazetteer(street_suffixes=("路", "街"))
    assert spans(recognizer, ["在", "梅岙路", "开展"]) == ["梅岙"]
    assert spans(recognizer, ["梅岙路街道", "开展"]) == ["梅岙"]
    assert spans(gazetteer(), ["在", "梅岙路", "开展"]) == ["梅岙路"]


def test_gazetteer_scores_full_name_above_short_form(gazetteer):
    full, short = run(gazetteer(), ["沙溪镇", "和", "沙溪"])
    assert (full.score, short.score) == (0.9, 0.7)
    assert "浙江省/绍兴市/新昌县/沙溪镇" in full.reason and "township" in full.reason
    assert short.reason.startswith("short form of") and "浙江省/绍兴市/新昌县/沙溪镇" in short.reason


def test_gazetteer_stop_file_drops_short_form_only(gazetteer, tmp_path):
    recognizer = gazetteer(stop_file=write(tmp_path / "stop.txt", ["城关"]))
    assert spans(recognizer, ["城关镇"]) == ["城关"]
    assert spans(recognizer, ["在", "城关", "召开"]) == []


def test_gazetteer_without_short_forms(gazetteer):
    assert spans(gazetteer(short_forms=False), ["在", "沙溪", "召开"]) == []
    assert spans(gazetteer(short_forms=False), ["沙溪镇"]) == ["沙溪"]


# ---------------------------------------------------------------- LexiconRecognizer

@pytest.mark.parametrize(("terms", "keep_suffixes", "words", "expected"), [
    (("腾云山大桥",), ("大桥",), ["228", "丹东线", "腾云山大桥"], ["腾云山"]),
    (("恒达科技公司",), ("公司", "科技公司"), ["与", "恒达科技公司", "合作"], ["恒达"]),
    (("恒达科技公司",), (), ["恒达科技公司"], ["恒达科技公司"]),
    # matched on the raw string: no token boundary needed
    (("天姥",), (), ["开设", "天姥馨", "大讲堂"], ["天姥"]),
    # longest term first at one start
    (("天姥", "天姥馨大讲堂"), ("大讲堂",), ["天姥馨大讲堂"], ["天姥馨"]),
    # a term equal to a kept suffix is masked whole
    (("大桥",), ("大桥",), ["大桥"], ["大桥"]),
    (("双梅", "梅棠雅集"), (), ["双梅", "、", "梅棠雅集"], ["双梅", "梅棠雅集"]),
    (("天姥",), (), ["没有", "名字"], []),
])
def test_lexicon(terms, keep_suffixes, words, expected):
    rule = LexiconRule(id="landmarks", kind="lexicon", label="PLACE", terms=terms, keep_suffixes=keep_suffixes)
    assert spans(LexiconRecognizer(rule), words) == expected


def test_lexicon_terms_file(tmp_path):
    rule = LexiconRule(id="landmarks", kind="lexicon", label="PLACE", terms=("天姥",),
                       terms_file=write(tmp_path / "terms.txt", ["# landmarks", "下岩贝", "金山上"]))
    assert spans(LexiconRecognizer(rule), ["助力", "下岩贝", "·", "金山上", "天姥"]) == ["下岩贝", "金山上", "天姥"]


@pytest.mark.parametrize(("words", "expected"), [
    (["美国人", "来", "访"], ["美国"]),
    (["英国籍", "学者"], ["英国"]),
    (["他", "也门口", "站"], []),
    (["也门", "政府"], ["也门"]),
    (["澳大利亚队"], ["澳大利亚"]),  # three characters or more: only the start is checked
])
def test_lexicon_attached_words(words, expected):
    rule = LexiconRule(id="world", kind="lexicon", label="PLACE", terms=("美国", "英国", "也门", "澳大利亚"),
                       attached_words=("人", "籍"))
    assert spans(LexiconRecognizer(rule), words) == expected


def test_lexicon_empty_matches_nothing():
    rule = LexiconRule(id="empty", kind="lexicon", label="PLACE")
    assert spans(LexiconRecognizer(rule), ["沙溪镇"]) == []


# ---------------------------------------------------------------- PersonRecognizer

SURNAMES = ["温", "王", "贾", "郑", "廖", "刘", "向", "任", "欧阳"]
TITLES = ["书记", "市委书记", "县长", "副县长", "局长", "副局长", "组长", "副组长", "同志"]


@pytest.fixture
def person(tmp_path):
    def make(stop: list[str] | None = None) -> PersonRecognizer:
        rule = PersonRule(id="person-title", kind="person", label="PERSON",
                          surnames_file=write(tmp_path / "surnames.txt", SURNAMES),
                          titles_file=write(tmp_path / "titles.txt", TITLES),
                          stop_file=write(tmp_path / "stop.txt", stop) if stop is not None else None)
        return PersonRecognizer(rule)
    return make


@pytest.mark.parametrize(("words", "expected"), [
    # surname + title
    (["获", "市委", "温", "书记", "批示", "肯定"], ["温"]),
    (["获", "王", "县长", "批示", "肯定"], ["王"]),
    (["获", "王", "副县长", "批示"], ["王"]),
    (["欧阳", "书记"], ["欧阳"]),
    # title + full name, closed by 任 / punctuation / the end
    (["局", "党组", "书记", "、", "局长", "贾志春", "任", "组长"], ["贾志春"]),
    # 任 is a surname too, but here it is the verb after the name: not a person before 组长
    (["副局长", "郑志高", "任", "副组长"], ["郑志高"]),
    (["组长", "贾志春", "，"], ["贾志春"]),
    (["局长", "贾志春"], ["贾志春"]),
    # full name + 同志 (同志 listed with the titles)
    (["按照", "廖俊波", "同志", "的"], ["廖俊波"]),
    # negatives
    (["市委书记"], []),
    (["市委", "书记"], []),
    (["向", "县长", "汇报"], []),
    (["李", "书记"], []),                      # not a listed surname
    (["局长", "贾志春", "批示"], []),          # no closing word after the name
    (["局长", "贾", "。"], []),                # a surname alone after a title
])
def test_person(person, words, expected):
    assert spans(person(stop=["向"]), words) == expected


def test_person_stop_file_is_what_rejects_xiang(person):
    assert spans(person(stop=None), ["向", "县长", "汇报"]) == ["向"]
    assert spans(person(stop=["向"]), ["向", "县长", "汇报"]) == []


def test_person_scores(person):
    surname, = run(person(), ["温", "书记"])
    full, = run(person(), ["局长", "贾志春", "任"])
    assert surname.score == 0.85
    assert full.score == pytest.approx(0.85 * 0.9)


def test_person_place_before_title(person):
    # A place name that starts with a surname character is not a person.
    # 温州 (温 is a surname) before 市委书记: only the stop file prevents the false positive.
    assert spans(person(stop=["温州"]), ["温州", "市委书记", "刘小涛"]) == ["刘小涛"]


@pytest.fixture(scope="module")
def shipped_person() -> PersonRecognizer:
    """The shipped person rule with the shipped lexicons (rules/lexicons/*.txt)."""
    entry = dict(shipped_rule("people.yaml", "person-title"))
    for field in [key for key in entry if key.endswith("_file")]:
        entry[field] = str(RULES_DIR / entry[field])
    return PersonRecognizer(PersonRule.model_validate(entry))


@pytest.mark.parametrize(("words", "expected"), [
    (["获", "市委", "温", "书记", "批示", "肯定"], ["温"]),
    (["获", "王", "县长", "批示", "肯定"], ["王"]),
    (["局长", "贾志春", "任", "组长"], ["贾志春"]),
    (["按照", "廖俊波", "同志", "的"], ["廖俊波"]),
    (["市委书记"], []),
    # a place name that starts with a surname character, before a title
    (["温州", "市委书记", "刘小涛", "，"], ["刘小涛"]),
])
def test_shipped_person_rule(shipped_person, words, expected):
    assert spans(shipped_person, words) == expected


@pytest.mark.parametrize("words", [["向", "县长", "汇报"], ["要", "向", "县委书记", "汇报"]])
def test_function_word_before_title_is_only_a_near_miss(shipped_person, words):
    """向 is a surname, but before a title it is nearly always the preposition: score below threshold."""
    candidates = list(run(shipped_person, words))
    assert [c.score < 0.5 for c in candidates] == [True]


# ---------------------------------------------------------------- FigureRecognizer

FIGURE_CLASSES = {
    "money": ("万美元", "亿美元", "万元", "亿元", "千元", "元", "万亿"),
    "magnitude": ("万", "亿"),
    "measure": ("平方公里", "平方米", "公顷", "公里", "公斤", "吨公里", "亩", "吨", "米", "载重吨"),
    "count": ("项", "家", "个", "人", "次", "件", "名", "宗", "条", "起", "户", "位", "年度"),
}


@pytest.fixture(scope="module")
def figures() -> FigureRecognizer:
    return FigureRecognizer(FigureRule(id="figure-units", kind="figure", label="FIGURE", score=0.9,
                                       classes=FIGURE_CLASSES))


def classified(recognizer, text: str) -> list[tuple[str, str]]:
    return [(text[c.start:c.end], c.figure_class) for c in run(recognizer, text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("全县共办理政务服务事项162.7万件", [("162.7", "magnitude")]),
    ("成交额62.54亿元", [("62.54", "money")]),
    ("各村增收35万元", [("35", "money")]),
    ("累计实际使用外资3000万美元", [("3000", "money")]),
    ("人均可支配收入45000元、增速8.0%", [("45000", "money"), ("8.0", "percent")]),
    # 万 is read before 亩: a number of 万亩 is a magnitude (masked in upper like a measure)
    ("利用本乡17.4万亩的山场优势", [("17.4", "magnitude")]),
    ("早稻亩产450公斤", [("450", "measure")]),
    ("共计18万载重吨", [("18", "magnitude")]),
    ("招引船舶运力共计18载重吨", [("18", "measure")]),
    ("“一网通办”率94.51%", [("94.51", "percent")]),
    ("处置率100％", [("100", "percent")]),
    ("交易493项（宗）", [("493", "count")]),
    ("累计走访企业618家", [("618", "count")]),
    ("6月21日召开", [("6", "date"), ("21", "date")]),
    ("2023年12月11日", [("2023", "year"), ("12", "date"), ("11", "date")]),
    ("2023年", [("2023", "year")]),
    ("2023-2025年", [("2023", "year"), ("2025", "year")]),
    ("举办于2023", [("2023", "year")]),
    ("排全市第3", [("3", "ordinal")]),
    ("排全市第3，", [("3", "ordinal")]),
    ("排全市第3位", [("3", "ordinal")]),
    ("县委“14361”战略", [("14361", "quoted_code")]),
    ("市“11558”工作体系", [("11558", "quoted_code")]),
    ("B2C消费", [("2", "code")]),
    ("台州市域铁路S2线", [("2", "code")]),
    ("5A级景区", [("5", "code")]),
    ("入围全市top50企业", [("50", "code")]),
    ("其中2.0办理72.61万件", [("2.0", "version"), ("72.61", "magnitude")]),
    ("“1+N”", [("1", "number")]),
    ("35", [("35", "number")]),
    ("数字35", [("35", "number")]),
    # full-width digits
    ("增收３５万元", [("３５", "money")]),
    ("增收１７．４万元", [("１７．４", "money")]),
    # no digits, Chinese numerals
    ("全市出口总额排名第四", []),
    ("“十四五”规划", []),
])
def test_figure_classes(figures, text, expected):
    assert classified(figures, text) == expected


def test_figure_candidates_carry_the_rule_score(figures):
    [candidate] = run(figures, "62.54亿元")
    assert candidate.score == 0.9
    assert candidate.reason == "「62.54」 followed by 「亿元」"


# ---------------------------------------------------------------- PatternRecognizer (shipped regexes)

def pattern(rule_id: str) -> PatternRecognizer:
    return PatternRecognizer(PatternRule.model_validate(shipped_rule("contacts.yaml", rule_id)))


VALID_ID = "11010519491231002X"
INVALID_ID = "110105194912310021"


@pytest.mark.parametrize(("rule_id", "text", "expected"), [
    ("mobile-phone", "联系电话13812345678。", ["13812345678"]),
    ("mobile-phone", "电话：19912345678，", ["19912345678"]),
    ("mobile-phone", "编号213812345678901", []),
    ("mobile-phone", "电话12812345678", []),
    ("landline-phone", "电话0571-87654321", ["0571-87654321"]),
    ("landline-phone", "电话010 12345678。", ["010 12345678"]),
    ("landline-phone", "电话057187654321", ["057187654321"]),
    ("email", "邮箱zhang.san@example.com。", ["zhang.san@example.com"]),
    ("email", "邮箱：office_2023@gov.cn，", ["office_2023@gov.cn"]),
    ("email", "没有邮箱@", []),
    ("web-address", "网址：http://www.xianju.gov.cn，", ["http://www.xianju.gov.cn"]),
    ("web-address", "登录www.zjzwfw.gov.cn/art/2023/1.html办理", ["www.zjzwfw.gov.cn/art/2023/1.html"]),
    ("web-address", "邮箱：xjzwgk@163.com", []),  # the e-mail rule's
    ("web-address", "增长12.5%，xx.x万元，B2C", []),
    ("resident-id", f"身份证号{VALID_ID}，", [VALID_ID]),
    ("resident-id", f"身份证号{INVALID_ID}", [INVALID_ID]),
    ("resident-id", "编号1101051949123100211", []),
    ("wechat-qq-id", "微信：abc_12345", ["abc_12345"]),
    ("wechat-qq-id", "微信号: wx-2023abc，", ["wx-2023abc"]),
    ("wechat-qq-id", "QQ：12345678", ["12345678"]),
    ("wechat-qq-id", "微信：ab", []),
    ("password", "本文档编辑密码：wsx2023", ["wsx2023"]),
    ("password", "密码: abc123，请保管", ["abc123"]),
    ("password", "Password：Secret9。", ["Secret9"]),
    ("password", "密码管理制度", []),
])
def test_patterns(rule_id, text, expected):
    assert spans(pattern(rule_id), text) == expected


def test_resident_id_checksum_decides_the_score():
    [valid] = run(pattern("resident-id"), VALID_ID)
    [invalid] = run(pattern("resident-id"), INVALID_ID)
    assert valid.score == 0.95
    assert invalid.score == 0.1
    assert invalid.reason == f"「{INVALID_ID}」 fails the cn-id-checksum check"


@pytest.mark.parametrize(("number", "valid"), [
    (VALID_ID, True),
    (VALID_ID.lower(), True),
    (INVALID_ID, False),
    ("11010519491231002", False),
    ("1101051949123100XX", False),
])
def test_valid_cn_id(number, valid):
    assert valid_cn_id(number) is valid


def test_pattern_group_selects_the_masked_part():
    rule = PatternRule(id="t", kind="pattern", label="SECRET", regex=r"口令[:：](\w+)", group=1)
    [candidate] = run(PatternRecognizer(rule), "口令：abc")
    assert (candidate.start, candidate.end) == (3, 6)


# ---------------------------------------------------------------- TermRecognizer (shipped layers)

def term(rule_id: str) -> TermRecognizer:
    return TermRecognizer(TermRule.model_validate(shipped_rule("terms.yaml", rule_id)))


@pytest.mark.parametrize(("rule_id", "text", "expected"), [
    ("leader-a", "以学习贯彻习近平新时代中国特色社会主义思想", [("习近平", "A")]),
    ("leader-a", "习近平总书记考察浙江", [("习近平", "A")]),
    ("leader-a", "全面贯彻党的二十大精神", []),
    ("leader-party-d", "深入贯彻习近平总书记重要讲话", [("习近平总书记", "")]),
    ("leader-party-d", "习近平法治思想", [("习近平", "")]),
    ("leader-party-d", "全面从严治党，党建引领", [("党", "D"), ("党", "D")]),
    ("leader-party-d", "AAA工作群、微信公众号", [("微信", "AAA")]),
    ("leader-party-d", "QFP试点", []),
])
def test_terms(rule_id, text, expected):
    found = [(text[c.start:c.end], c.replacement) for c in run(term(rule_id), text)]
    assert found == expected


def test_term_candidates_have_rule_score():
    [candidate] = run(term("leader-a"), "习近平")
    assert candidate.score == 1.0
    assert candidate.reason == "sensitive term of layer a"


# ---------------------------------------------------------------- build_recognizer

def test_build_recognizer_maps_kinds():
    rule = TermRule(id="t", kind="term", label="TERM", layer="a", replacements={"习近平": "A"})
    assert isinstance(build_recognizer(rule), TermRecognizer)
    figure = FigureRule(id="f", kind="figure", label="FIGURE", classes={"money": ("元",)})
    assert isinstance(build_recognizer(figure), FigureRecognizer)
