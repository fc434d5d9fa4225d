"""Places outside China's divisions (countries, regions, world cities) and one-character
abbreviations (美 = 美国, 京 = 北京, 杭甬 = 杭州 + 宁波), on hand-segmented text.

The shipped `world-places` rule is used as it is; the allow-list keeps what it finds, except runs
naming prefectures and parts of provinces, which STYLE.md §2 masks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.findings import Finding
from redact.recognizers.base import Candidate, TokenBounds
from redact.recognizers.lexicon import LexiconRecognizer, lexicon_words, read_abbreviations
from redact.resolve import ResolveSettings, resolve
from redact.rules import LexiconRule, Profile

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
VOCAB = Vocab()


def shipped_world_rule(**overrides) -> LexiconRule:
    entries = yaml.safe_load((RULES_DIR / "places.yaml").read_text(encoding="utf-8"))["rules"]
    entry = next(e for e in entries if e["id"] == "world-places")
    entry = {**entry, **{field: str(RULES_DIR / entry[field])
                         for field in ("terms_file", "kept_terms_file", "abbreviations_file", "transliteration_file")},
             **overrides}
    return LexiconRule.model_validate(entry)


@pytest.fixture(scope="module")
def world() -> LexiconRecognizer:
    return LexiconRecognizer(shipped_world_rule())


def run(recognizer: LexiconRecognizer, words: list[str]) -> list[Candidate]:
    doc = Doc(VOCAB, words=words, spaces=[False] * len(words))
    return list(recognizer.candidates("".join(words), TokenBounds(doc)))


def spans(recognizer: LexiconRecognizer, words: list[str]) -> list[str]:
    text = "".join(words)
    return sorted(text[c.start:c.end] for c in run(recognizer, words))


@pytest.mark.parametrize(("words", "expected"), [
    # names of the list, whole tokens or with a word pkuseg glues to them
    (["美国", "和", "日本", "的", "合作"], ["日本", "美国"]),
    (["美国人", "在", "东南亚", "投资"], ["东南亚", "美国"]),
    (["赴", "纽约", "考察"], ["纽约"]),
    # a two-character name inside another word is no name (也门|口, 加|纳入)
    (["他", "也门口", "站", "着"], []),
    (["加", "纳入", "规划"], []),
    # 中国队 is a team, not the country
    (["中国队", "获胜"], []),
    # bodies of the solar system, national landmarks and the two sides of the Taiwan Strait
    (["人类", "登上", "月球"], ["月球"]),
    (["在", "人民大会堂", "会见"], ["人民大会堂"]),
    (["发展", "两岸", "关系"], ["两岸"]),
    (["前往", "斯德哥尔摩", "和", "哥德堡"], ["哥德堡", "斯德哥尔摩"]),
])
def test_world_names(world, words, expected):
    assert spans(world, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # a run of abbreviations that pkuseg keeps whole, or followed by a link word
    (["欧美", "国家"], ["欧美"]),
    (["中", "美", "两", "国", "关系"], ["中美"]),
    (["京沪", "高速", "铁路"], ["京沪"]),
    (["中", "美", "作为", "大国"], ["中美"]),  # each its own token
    (["中保", "双边", "关系"], ["中保"]),  # 保 = 保加利亚: a country that joins runs only
    (["巴", "以", "和谈", "陷入", "僵局"], ["巴以"]),
    # a list of single characters
    (["中", "、", "美", "、", "日", "、", "英", "等", "国"], ["中", "日", "美", "英"]),
    # before or after a word that takes a place
    (["访华", "期间"], ["华"]),
    (["抵", "京", "访问"], ["京"]),
    (["日本", "侵华", "战争"], ["华", "日本"]),
    (["美方", "表示"], ["美"]),
    (["日军", "侵略"], ["日"]),
    (["接待", "中外", "游客"], ["中"]),
    # ordinary words made of the same characters
    (["非法", "占用"], []),
    (["美德"], []),
    (["西方", "国家"], []),
    (["土方", "工程"], []),
    (["港外", "锚地"], []),
    (["法人", "代表"], []),
    (["新", "、", "老", "干部"], []),
    (["在", "新", "的", "起点"], []),
    (["加", "方便"], []),
    (["越来越", "多"], []),
])
def test_kept_abbreviations(world, words, expected):
    assert spans(world, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # an abbreviation standing alone near its full name
    (["俄罗斯", "央行", "表示", "，", "俄", "金融", "市场", "动荡"], ["俄", "俄罗斯"]),
    (["墨", "与", "欧盟", "谈判", "，", "墨西哥", "代表"], ["墨", "墨西哥"]),
    (["葡萄牙", "央行", "表示", "，", "葡", "金融", "市场", "动荡"], ["葡", "葡萄牙"]),
    # not without the full name, not far from it, not inside an ordinary word (以|德|治国: 德治)
    (["葡", "金融", "市场", "动荡"], []),
    (["葡萄牙", "，", *["。"] * 1001, "葡", "市场"], ["葡萄牙"]),
    (["德国", "经验", "，", "以", "德", "治国"], ["德国"]),
    # a character tagged as an ordinary word counts before a word of the state (加|政府), only then
    (["加拿大", "总理", "表示", "，", "加", "政府", "将"], ["加", "加拿大"]),
    (["加拿大", "，", "再", "加", "一", "倍"], ["加拿大"]),
    # characters that stand alone as ordinary words (日 m, 台 q) never count
    (["日本", "代表", "三", "日", "抵达"], ["日本"]),
])
def test_abbreviations_named_nearby(world, words, expected):
    assert spans(world, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # characters that, a token of their own, name nothing but their country: anywhere
    (["本月", "，", "俄", "金融", "市场", "动荡"], ["俄"]),
    (["预计", "澳", "明年", "实现", "盈余"], ["澳"]),
    (["菲", "政府", "宣布"], ["菲"]),
    # not inside an ordinary word with a neighbour (笔墨), not inside a name of the list (俄|罗斯)
    (["笔", "墨", "纸砚"], []),
    (["俄", "罗斯", "代表"], ["俄罗斯"]),
    # characters that stand alone as ordinary words never count alone (加, 拉, 塞)
    (["再", "加", "一", "把", "劲"], []),
    (["塞", "进", "箱子"], []),
])
def test_abbreviations_standing_alone(world, words, expected):
    assert spans(world, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # a list of continents, and 对 before an abbreviation that ends its token
    (["来自", "亚", "、", "非", "、", "拉", "各国"], ["亚", "拉", "非"]),
    (["调整", "对", "华", "政策"], ["华"]),
    (["扩大", "对", "日", "出口"], ["日"]),
    (["对", "日常", "工作"], []),
    # a two-character world name with 市, 郡, 岛 or 城 glued to it
    (["罗马市", "政府"], ["罗马"]),
    (["前往", "济州岛"], ["济州岛"]),
])
def test_more_abbreviation_and_name_contexts(world, words, expected):
    assert spans(world, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    # an unknown transliterated name after a word that introduces a place, or in a dateline
    (["该国", "首都", "萨莫里斯", "举行"], ["萨莫里斯"]),
    (["边境", "城市", "卡里诺夫", "附近"], ["卡里诺夫"]),
    (["本报", "莫里纳", "5月", "3日", "电"], ["莫里纳"]),
    # not an ordinary word, a known name, a single character or a name with other characters
    (["城市", "丰富", "多彩"], []),
    (["城市", "克拉玛依"], []),
    (["城市", "里"], []),
    (["城市", "建设", "加快"], []),
])
def test_transliterated_places_after_place_words(world, words, expected):
    candidates = run(world, words)
    assert spans(world, words) == expected
    assert all(c.kept == "a transliterated place name abroad" for c in candidates if c.reason.endswith("」"))


@pytest.mark.parametrize(("words", "expected"), [
    # runs naming prefectures and parts of provinces are masked (no evidence the allow-list keeps)
    (["杭甬", "复线", "三期"], ["杭甬"]),
    (["建设", "浙南", "最大", "的"], ["浙南"]),
    (["打造", "滇西", "最美"], ["滇西"]),
])
def test_local_abbreviations(world, words, expected):
    candidates = run(world, words)
    assert spans(world, words) == expected
    assert all(c.score == 0.75 and not c.evidence for c in candidates)


@pytest.mark.parametrize("words", [
    ["温泉", "度假"],  # 温 + 泉 (温州, 泉州) without a link word
    ["老汉", "说"],
    ["陕西", "省"],  # the province itself, not a part of one
])
def test_no_local_run_without_context(world, words):
    assert spans(world, words) == []


def test_evidence_is_the_names_an_abbreviation_stands_for(world):
    [candidate] = run(world, ["美方", "表示"])
    assert candidate.evidence == ("美国",) and "美方" in candidate.reason
    [run_candidate] = run(world, ["京沪", "高速"])
    assert run_candidate.evidence == ("北京", "上海")
    [name] = run(world, ["日本", "的"])
    assert name.evidence == ("日本",)


def test_world_names_of_chinese_villages_are_kept_by_the_rule(world):
    [name] = run(world, ["访问", "马赛"])
    assert name.kept and name.evidence == ("马赛",)
    [paris] = run(world, ["巴黎"])
    assert paris.kept is None  # the allow-list keeps it
    assert "马赛" not in lexicon_words([shipped_world_rule()])


def test_a_village_of_a_kept_world_name_is_still_masked():
    settings = ResolveSettings(profile=Profile(id="upper"), allow_terms={"巴黎": "world"})
    world_name = Finding(0, 2, "马赛", "PLACE", "world-places", "LexiconRecognizer", 0.9, "r",
                         evidence=("马赛",), kept="a place outside China")
    village = Finding(0, 2, "马赛", "PLACE", "division-gazetteer-locality", "GazetteerRecognizer", 0.85, "r")
    resolution = resolve([world_name, village], "马赛村", settings)
    assert [f.rule_id for f in resolution.masked] == ["division-gazetteer-locality"]
    assert [n.kept for n in resolution.near_misses] == [True]


def test_the_allow_list_keeps_an_abbreviation_of_kept_names_only():
    profile = Profile(id="upper")
    settings = ResolveSettings(profile=profile, allow_terms={"美国": "world", "北京": "provinces"})
    kept = Finding(0, 1, "美", "PLACE", "world-places", "LexiconRecognizer", 0.9, "r", evidence=("美国",))
    mixed = Finding(2, 4, "京杭", "PLACE", "world-places", "LexiconRecognizer", 0.9, "r", evidence=("北京", "杭州"))
    surname = Finding(5, 6, "美", "PERSON", "person-title", "PersonRecognizer", 0.9, "r")
    resolution = resolve([kept, mixed, surname], "美、京杭 美书记", settings)
    assert [f.text for f in resolution.masked] == ["京杭", "美"]
    assert [f.label for f in resolution.masked] == ["PLACE", "PERSON"]
    assert [n.why for n in resolution.near_misses] == ["allow-listed by world"]


def test_short_terms_are_not_forced_into_pkuseg_words():
    words = lexicon_words([shipped_world_rule()])
    assert "东南亚" in words and "澳大利亚" in words
    assert "中国" not in words and "美国" not in words  # 发展|中国|家 would follow


def test_abbreviation_table_is_well_formed():
    table = read_abbreviations(RULES_DIR / "lexicons" / "place_abbreviations.tsv")
    assert {a.name for a in table["美"]} == {"美国"}
    assert {(a.name, a.kept) for a in table["台"]} == {("台湾", True), ("台州", False)}
    assert all(len(c) == 1 for c in table)


def test_bad_abbreviation_line_is_an_error(tmp_path):
    path = tmp_path / "abbreviations.tsv"
    path.write_text("美国\t美国\tcountry\tlist\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad abbreviation line"):
        read_abbreviations(path)
