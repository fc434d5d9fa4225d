"""Locality inference and rescoring (redact/locality.py) on a small made-up gazetteer.

A local document (most of its places are home places) treats far short forms as comparisons;
a newspaper-like text keeps distinctive far short forms (prefectures, counties that are no
ordinary word), and trusts neither the township short forms nor the villages of its chance
"locality".
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.findings import Finding
from redact.locality import Locality, LocalityModel, chained_places, infer_locality, listed_siblings
from redact.recognizers.base import TokenBounds
from redact.rules import GazetteerRule, LocalitySettings

VOCAB = Vocab()
TAIZHOU = "浙江省/台州市"
JIAOJIANG = f"{TAIZHOU}/椒江区"
DIVISIONS = [
    "浙江省\t浙江\tprovince\t",
    "台州市\t台州\tprefecture\t浙江省",
    f"椒江区\t椒江\tcounty\t{TAIZHOU}",
    f"路桥区\t路桥\tcounty\t{TAIZHOU}",
    f"下陈街道\t下陈\ttownship\t{JIAOJIANG}",
    f"海门街道\t海门\ttownship\t{JIAOJIANG}",
]
VILLAGES = [f"凤洋村\t凤洋\tvillage\t{JIAOJIANG}/下陈街道", f"富民村\t富民\tvillage\t{JIAOJIANG}/下陈街道"]
FAR = {  # far short forms: text → (evidence path)
    "南通": "江苏省/南通市",
    "敦煌": "甘肃省/酒泉市/敦煌市",
    "丰满": "吉林省/吉林市/丰满区",
    "塔上": "河北省/石家庄市/平山县/塔上镇",
}


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> LocalityModel:
    root = tmp_path_factory.mktemp("gazetteer")
    (root / "divisions.tsv").write_text("\n".join(DIVISIONS) + "\n", encoding="utf-8")
    (root / "villages.tsv").write_text("\n".join(VILLAGES) + "\n", encoding="utf-8")
    (root / "abbreviations.tsv").write_text("台\t台州\tprefecture\t-\n台\t台湾\tprovince\tlist\n", encoding="utf-8")
    settings = LocalitySettings(villages_file=str(root / "villages.tsv"), remote_short_score=0.4,
                                generic_after=("路", "街", "大道", "社"))
    rule = GazetteerRule(id="division-gazetteer", kind="gazetteer", label="PLACE", file=str(root / "divisions.tsv"),
                         levels=("prefecture", "county", "township"), score=0.9, short_score=0.7,
                         keep_suffixes=("市", "区", "街道"), locality=settings,
                         abbreviations_file=str(root / "abbreviations.tsv"))
    return LocalityModel(rule)


@pytest.fixture(scope="module")
def sluice_model(tmp_path_factory) -> LocalityModel:
    """A home county with a township named by a character the dictionary barely knows (碶)."""
    root = tmp_path_factory.mktemp("sluices")
    rows = [*DIVISIONS, f"新碶街道\t新碶\ttownship\t{JIAOJIANG}"]
    (root / "divisions.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rule = GazetteerRule(id="division-gazetteer", kind="gazetteer", label="PLACE", file=str(root / "divisions.tsv"),
                         levels=("prefecture", "county", "township"), score=0.9, short_score=0.7,
                         keep_suffixes=("市", "区", "街道", "村"), locality=LocalitySettings(generic_after=("路",)))
    return LocalityModel(rule)


def bounds(words: list[str]) -> TokenBounds:
    return TokenBounds(Doc(VOCAB, words=words, spaces=[False] * len(words)))


def short_form(text: str, word: str, path: str, occurrence: int = 0) -> Finding:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return Finding(start, start + len(word), word, "PLACE", "division-gazetteer", "GazetteerRecognizer", 0.7,
                   f"short form of {path}", evidence=(path,))


def found_beside_home(model: LocalityModel, words: list[str]) -> list[str]:
    """The places found in a text opening with the home county 椒江 and its township 下陈, besides those two."""
    text = "".join(words)
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道")]
    _, adjusted = model.apply(findings, text, bounds(words))
    return [f.text for f in adjusted if f.text not in ("椒江", "下陈")]


def scores(findings: list[Finding]) -> dict[str, float]:
    """The best score of each text (a home name may be found twice: gazetteer and locality)."""
    best: dict[str, float] = {}
    for f in findings:
        best[f.text] = max(best.get(f.text, 0.0), f.score)
    return best


def test_a_local_document_holds_most_of_its_places_at_home():
    text = "椒江下陈和南通"
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道"),
                short_form(text, "南通", FAR["南通"])]
    locality = infer_locality(findings)
    assert locality is not None and locality.path == JIAOJIANG
    assert locality.share == round(2 / 3, 2) and locality.is_dominant


def test_a_name_spelled_like_a_very_frequent_word_does_not_vote():
    text = "站高望远，整治胜利街"  # 胜利 names streets everywhere; 望远 alone decides nothing
    yinchuan = "宁夏回族自治区/银川市"
    findings = [short_form(text, "望远", f"{yinchuan}/永宁县/望远镇"),
                short_form(text, "胜利", f"{yinchuan}/兴庆区/胜利街街道")]
    assert infer_locality(findings) is None
    assert infer_locality([*findings, short_form(text, "高望", f"{yinchuan}/兴庆区/高望镇")]) is not None


def test_names_without_a_division_path_do_not_vote():
    text = "椒江下陈美国"
    kept = Finding(4, 6, "美国", "PLACE", "world-places", "LexiconRecognizer", 0.9, "r", evidence=("美国",))
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道"), kept]
    assert infer_locality(findings).share == 1.0


def test_in_a_local_document_far_short_forms_are_comparisons(model):
    words = ["椒江", "下陈", "赴", "南通", "、", "敦煌", "学习"]
    text = "".join(words)
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道"),
                short_form(text, "南通", FAR["南通"]), short_form(text, "敦煌", FAR["敦煌"])]
    _, adjusted = model.apply(findings, text, bounds(words))
    got = scores(adjusted)
    assert got["椒江"] == got["下陈"] == 0.95  # home places
    assert got["南通"] == got["敦煌"] == 0.4


def test_in_a_local_document_a_far_prefecture_is_recognised_and_kept(model):
    words = ["椒江", "下陈", "赴", "广州", "、", "天津", "滨海", "学习"]
    text = "".join(words)
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道"),
                short_form(text, "广州", "广东省/广州市"), short_form(text, "滨海", "天津市/滨海新区")]
    _, adjusted = model.apply(findings, text, bounds(words))
    far = {f.text: f for f in adjusted if f.text in ("广州", "滨海")}
    assert far["广州"].score == 0.7 and "named for comparison" in far["广州"].kept
    # a district of a province-level city is a county: demoted like any far county
    assert far["滨海"].score == 0.4 and far["滨海"].kept is None


def newspaper() -> tuple[list[str], list[Finding]]:
    """A text naming places all over the country; its inferred locality is chance."""
    words = ["椒江", "下陈", "凤洋", "社", "，", "南通", "、", "敦煌", "、", "丰满", "、", "塔上"]
    others = [f"外地{n}" for n in range(8)]
    words += others
    text = "".join(words)
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道")]
    findings += [short_form(text, word, path) for word, path in FAR.items()]
    findings += [short_form(text, word, f"某省/某市{n}/某县") for n, word in enumerate(others)]
    return words, findings


def test_in_a_newspaper_text_distinctive_far_short_forms_pass(model):
    words, findings = newspaper()
    text = "".join(words)
    locality, adjusted = model.apply(findings, text, bounds(words))
    assert locality is not None and not locality.is_dominant
    got = scores(adjusted)
    assert got["南通"] == 0.7  # a prefecture
    assert got["敦煌"] == 0.7  # a county that is no ordinary word
    assert got["丰满"] == 0.4  # an ordinary word (plump)
    assert got["塔上"] == 0.4  # a township short form
    assert got["下陈"] == 0.4  # the chance locality's townships are not trusted …
    assert "凤洋" not in got  # … nor are its villages looked for


def test_without_a_locality_only_distinctive_short_forms_pass(model):
    words = ["赴", "敦煌", "、", "丰满", "、", "塔上"]
    text = "".join(words)
    findings = [short_form(text, word, FAR[word]) for word in ("敦煌", "丰满", "塔上")]
    locality, adjusted = model.apply(findings, text, bounds(words))
    assert locality is None
    assert scores(adjusted) == {"敦煌": 0.7, "丰满": 0.4, "塔上": 0.4}


@pytest.mark.parametrize(("words", "expected"), [
    (["来自", "丰满", "的", "客人"], 0.7),  # a verb of coming from a place before it
    (["丰满", "一带", "降雪"], 0.7),  # a place noun after it
    (["到", "丰满", "调研"], 0.7),  # 到 before it and a visit after it
    (["到", "丰满", "为止"], 0.4),
    (["身材", "丰满", "的", "人"], 0.4),
    (["赴", "塔上", "调研"], 0.4),  # a township short form still needs a locality
])
def test_the_context_makes_an_ordinary_word_county_short_form_a_place(model, words, expected):
    text = "".join(words)
    word = next(w for w in words if w in FAR)
    _, adjusted = model.apply([short_form(text, word, FAR[word])], text, bounds(words))
    assert scores(adjusted) == {word: expected}


def test_home_villages_are_found_in_a_local_document(model):
    words = ["椒江", "下陈", "凤洋", "社", "征迁"]
    text = "".join(words)
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道")]
    _, adjusted = model.apply(findings, text, bounds(words))
    assert "凤洋" in scores(adjusted)  # 社 is a generic word after a home name


@pytest.mark.parametrize(("words", "found"), [
    (["椒江", "下陈", "某", "镇凤", "洋村", "征迁"], ["凤洋"]),  # a village right after a township's suffix
    (["椒江", "下陈", "某", "地凤", "洋村", "征迁"], []),  # inside another word: no name
    (["椒江", "下陈", "打好", "强村", "富民", "组合拳"], []),  # 富民, a plain noun of 122 uses: the word
    (["椒江", "下陈", "推进", "富民村", "改造"], ["富民"]),  # with its suffix, the village
    (["椒江", "下陈", "海门", "召开"], ["海门"]),  # 海门, a rare plain noun (51 uses): the township
])
def test_home_short_forms_spelled_like_plain_nouns(model, words, found):
    assert found_beside_home(model, words) == found


@pytest.mark.parametrize(("words", "expected"), [
    (["椒江", "下陈", "落实", "椒路", "联合", "协议"], True),  # 椒江 + 路桥, the home county and its neighbour
    (["椒江", "下陈", "落实", "路椒", "协议"], True),
    (["椒江", "下陈", "椒", "路", "协议"], False),  # a whole token only
])
def test_abbreviation_of_two_counties_of_the_home_prefecture(model, words, expected):
    assert bool({"椒路", "路椒"} & set(found_beside_home(model, words))) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["椒江", "下陈", "打造", "“", "台韵", "红领", "”"], ["台韵"]),  # 台 = 台州, the home prefecture
    (["椒江", "下陈", "防御", "“", "台风", "”"], []),  # a dictionary word
    (["椒江", "下陈", "打造", "台韵", "红领"], []),  # no quotation
    (["椒江", "下陈", "打响", "“", "台", "满意", "·", "融", "服务", "”"], ["台"]),  # a pun on the abbreviation
    (["椒江", "下陈", "推动", "“", "台", "满意", "台", "放心", "”"], []),  # the character again: a 越…越… slogan
    (["椒江", "下陈", "推动", "“", "台", "好", "”"], []),  # no word after it
])
def test_a_quoted_brand_opening_with_the_home_prefecture_abbreviation(model, words, expected):
    assert found_beside_home(model, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["椒江", "下陈", "建成", "艺碶", "文化", "空间"], ["艺碶"]),  # 碶 of the home township 新碶
    (["椒江", "下陈", "建成", "艺术", "空间"], []),
    (["椒江", "下陈", "推进", "贝碶村", "改造"], []),  # a place with its suffix: the place rules'
])
def test_a_local_coinage_with_a_rare_character_of_a_home_township(sluice_model, words, expected):
    assert found_beside_home(sluice_model, words) == expected


def test_other_rules_findings_are_not_rescored(model):
    words = ["椒江", "下陈", "美方"]
    text = "".join(words)
    kept = Finding(4, 5, "美", "PLACE", "world-places", "LexiconRecognizer", 0.9, "r", evidence=("美国",))
    findings = [short_form(text, "椒江", JIAOJIANG), short_form(text, "下陈", f"{JIAOJIANG}/下陈街道"), kept]
    _, adjusted = model.apply(findings, text, bounds(words))
    assert kept in adjusted


def sibling_texts(words: list[str], findings: list[Finding] = (), stop_words: frozenset[str] = frozenset()
                  ) -> list[str]:
    text = "".join(words)
    found = listed_siblings(list(findings), text, bounds(words), 0.7, ("路", "街", "大道", "公园", "小区"), stop_words)
    return sorted(f.text for f in found)


@pytest.mark.parametrize(("words", "expected"), [
    # a list of roads after a masked one: the names, even common words, without their suffix
    (["汇总", "XX大道", "、", "北大路", "、", "解放", "街", "、", "胜利街", "等"], ["北大", "胜利", "解放"]),
    # a street the dictionary knows by name (解放路, nz) is a name, however frequent
    (["推进", "XX大道", "、", "解放路", "等"], ["解放"]),
    # a word right after a place's suffix is part of that place (裕禄大道|西延), no name of its own
    (["推进", "裕禄", "大道", "西延", "、", "XX路", "改造"], []),
    # a "suffix" that belongs to another word ends nothing
    (["推进", "XX路", "、", "城市", "道路", "建设"], []),
    # a placeholder before a unit stands for a figure, not a place
    (["分到", "XX亩", "田", "、", "XX亩", "地"], []),
    # a common word with its suffix even when it opens with a preposition (同心|公园), not 和城市|道路
    (["XX公园", "、", "同心", "公园", "等"], ["同心"]),
    (["XX路", "、", "和", "城市", "道路"], []),
    # a name and its suffix before the anchor, unless the name is a common word (城市|大道)
    (["以及", "新邺", "大道", "、", "XX大道", "改造"], ["新邺"]),
    (["推进", "城市", "大道", "、", "XX大道", "改造"], []),
    # a character the segmenter split off the item's name belongs to it (、里|仁花园|小区)
    (["推进", "XX弄", "、", "里", "仁花园", "小区", "、", "XX路", "等"], ["里仁花园"]),
    # without a suffix on the anchor, items must be unknown words
    (["XX", "、", "梅棠雅集", "等"], ["梅棠雅集"]),
    (["XX", "、", "建设", "等"], []),
    # or rare proper nouns (永丰), not frequent ones (城市)
    (["沿海", "永丰", "、", "XX片区", "拆除"], ["永丰"]),
    (["XX", "、", "城市", "等"], []),
    # an item's own suffix stays outside the finding, whatever the anchor's (XX、梅棠|小区)
    (["XX", "、", "梅棠", "小区", "等"], ["梅棠"]),
    (["XX", "、", "城市", "公园", "等"], []),  # a common name needs a suffixed anchor
    # a conjunction joins two suffixed places: the token after it, with its own suffix
    (["XX路", "和", "檀和路", "作为", "示范"], ["檀和"]),
    (["XX路", "和", "檀和", "作为", "示范"], []),
    (["XX", "和", "檀和路", "作为", "示范"], []),
])
def test_listed_siblings(words, expected):
    assert sibling_texts(words, stop_words=frozenset({"解放"})) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["XX大道", "、", "延伸段", "等"], []),  # a common word before 段
    (["XX大道", "、", "梅棠段", "等"], ["梅棠"]),  # an unknown one
    (["XX大道", "、", "核心", "片区", "建设"], []),
    (["XX大道", "、", "解放", "街", "等"], ["解放"]),  # 街 is no plain generic word
])
def test_plain_generic_words_make_no_common_word_a_name(words, expected):
    text = "".join(words)
    found = listed_siblings([], text, bounds(words), 0.7, ("大道", "街", "段", "片区"), plain_suffixes=("段", "片区"))
    assert sorted(f.text for f in found) == expected


def test_an_item_holding_a_confident_name_is_no_sibling():
    words = ["生态", "白沙", "、", "幸福白沙", "目标"]  # the slogan's 白沙 is masked by propagation
    home = Finding(2, 4, "白沙", "PLACE", "division-gazetteer", "GazetteerRecognizer", 0.9, "r", evidence=(JIAOJIANG,))
    assert sibling_texts(words, [home]) == []
    assert sibling_texts(["生态", "白沙", "、", "梅棠雅集", "等"], [home]) == ["梅棠雅集"]
    start = Finding(0, 2, "白沙", "PLACE", "division-gazetteer", "GazetteerRecognizer", 0.9, "r", evidence=(JIAOJIANG,))
    assert sibling_texts(["白沙", "、", "金白沙上", "等"], [start]) == ["金白沙上"]  # no common word and the name


def test_a_placeholder_that_masks_no_place_anchors_no_siblings():
    words = ["会后", "XX", "、", "梅棠雅集", "等"]
    text = "".join(words)
    assert [f.text for f in listed_siblings([], text, bounds(words), 0.7, inert=frozenset({2}))] == []
    assert [f.text for f in listed_siblings([], text, bounds(words), 0.7, inert=frozenset({0}))] == ["梅棠雅集"]


def test_countries_and_provinces_anchor_no_siblings():
    words = ["美国", "、", "欧盟", "等"]
    kept = Finding(0, 2, "美国", "PLACE", "world-places", "LexiconRecognizer", 0.9, "r", evidence=("美国",))
    assert sibling_texts(words, [kept]) == []
    local = Finding(0, 2, "椒江", "PLACE", "division-gazetteer", "GazetteerRecognizer", 0.9, "r",
                    evidence=(JIAOJIANG,))
    assert sibling_texts(["椒江", "、", "梅棠雅集", "等"], [local]) == ["梅棠雅集"]


CHAIN = LocalitySettings(generic_after=("公园", "路", "社", "村", "乡"), chain_links=("社", "村", "乡", "镇"),
                         chain_plots=("区块", "地块", "传统村落", "村落"), chain_finals="洋塘", sibling_score=0.7)


def chained_texts(words: list[str], findings: list[Finding] = ()) -> list[str]:
    text = "".join(words)
    return sorted(f.text for f in chained_places(list(findings), text, bounds(words), CHAIN))


@pytest.mark.parametrize(("words", "expected"), [
    # an unknown name after a place and its admin word, before a word for a plot or a village
    (["部分", "XX社", "漕头", "李", "区块", "征迁"], ["漕头李"]),
    (["xx乡", "金宝", "银宝", "传统", "村落"], ["金宝银宝"]),
    (["启动", "XX", "徐", "姓屋", "等", "地块", "改造"], ["徐姓屋"]),
    # ordinary words, a verb of two verbs, or a grammatical word there are no name
    (["XX村", "老城", "区块"], []),
    (["XX村", "土地", "整治", "地块"], []),
    (["XX村", "征迁", "地块"], []),
    (["XX村", "棚改", "地块"], []),  # two characters: a clipped phrase (棚户区改造)
    (["XX镇", "提质", "改造", "片区"], []),
    (["XX镇", "的", "漕头", "区块"], []),
    (["XX社", "漕头", "李", "的", "工作"], []),
    # the place holding another one, right before it: one unknown token ending like a village name
    (["建设", "渡头洋", "XX", "公园", "樱花园"], ["渡头洋"]),
    (["建设", "渡头洋", "XX", "樱花园"], []),
    (["血洒", "XX", "路"], []),
    (["改造", "池塘", "XX", "公园"], []),
])
def test_chained_places(words, expected):
    assert chained_texts(words) == expected


def test_a_chain_hangs_on_a_confident_local_place():
    words = ["有序", "启动", "星阳", "徐", "姓屋", "等", "地块"]
    home = Finding(4, 6, "星阳", "PLACE", "division-gazetteer-locality", "LocalityInference", 0.85, "r",
                   evidence=(f"{JIAOJIANG}/下陈街道/星阳村",))
    assert chained_texts(words, [home]) == ["徐姓屋"]
    assert chained_texts(words, [Finding(4, 6, "星阳", "PLACE", "division-gazetteer", "G", 0.4, "r")]) == []


def test_locality_share_defaults_to_a_local_document():
    assert Locality("浙江省/台州市", 2.0, ("台州",)).is_dominant
