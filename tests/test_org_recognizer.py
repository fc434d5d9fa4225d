"""The organisation recognizer (redact/recognizers/organisation.py) with the shipped rules of
rules/organisations.yaml, on hand-segmented, made-up sentences (the pkuseg model is never loaded).

`["杭州市", "淳安县", "民政局"]` is the text 杭州市淳安县民政局 segmented into three tokens; the expected
values are the texts of the findings.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from redact.recognizers import build_recognizer
from redact.common_words import is_han
from redact.recognizers.base import TokenBounds
from redact.recognizers.organisation import OrganisationRecognizer
from redact.errors import RuleErrors
from redact.rules import OrganisationRule, RuleSet, load_rules, read_list

VOCAB = Vocab()
RULES = Path(__file__).resolve().parent.parent / "rules"


@lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    return load_rules()


@lru_cache(maxsize=None)
def recognizer(rule_id: str) -> OrganisationRecognizer:
    rule = next(r for r in ruleset().rules if r.id == rule_id)
    assert isinstance(rule, OrganisationRule)
    return build_recognizer(rule)


def candidates(rule_id: str, words: list[str]) -> list[tuple[str, bool]]:
    """(text, whether it is a body named by its function alone) of every candidate."""
    text = "".join(words)
    bounds = TokenBounds(Doc(VOCAB, words=words, spaces=[False] * len(words)))
    return [(text[c.start:c.end], c.kept is not None) for c in recognizer(rule_id).candidates(text, bounds)]


def found(rule_id: str, words: list[str]) -> list[str]:
    """The proper parts found (what gets masked or kept as a place or national body)."""
    return [text for text, generic in candidates(rule_id, words) if not generic]


def generic(rule_id: str, words: list[str]) -> list[str]:
    """The bodies named by their function alone (recognised, kept by org-generic-kept)."""
    return [text for text, is_generic in candidates(rule_id, words) if is_generic]


@pytest.mark.parametrize(("rule_id", "words", "expected"), [
    # place + function: the body's own place is the finding, its admin suffix and function stay
    ("org-government", ["新昌县", "政务", "服务", "办公室"], ["新昌"]),
    ("org-government", ["杭州市", "淳安县", "民政局"], ["淳安"]),
    ("org-government", ["台州市", "椒江区", "交通", "运输局"], ["椒江"]),
    ("org-government", ["绍兴市", "中级", "人民法院", "判决"], ["绍兴"]),
    ("org-government", ["获", "温州市", "委", "书记", "批示"], ["温州"]),
    ("org-government", ["中共", "新昌县", "委"], ["新昌"]),
    # an unknown place with its admin suffix is a place all the same
    ("org-government", ["双溪", "镇", "人民政府"], ["双溪"]),
    # a province or a national qualifier is the proper part: found, and kept by the allow-list
    ("org-government", ["浙江省", "人民政府", "办公厅"], ["浙江"]),
    ("org-government", ["国家", "档案局", "发布"], ["国家"]),
    ("org-government", ["江西省", "教委"], ["江西"]),
    # a title may follow the suffix
    ("org-government", ["淳安县", "民政局", "长"], ["淳安"]),
    # no proper part: nothing (STYLE.md keeps 县政务服务办公室, 市农业农村局)
    ("org-government", ["县", "政务", "服务", "办公室"], []),
    ("org-government", ["市", "农业", "农村局"], []),
    ("org-government", ["各", "部门"], []),
    ("org-government", ["有关", "部门"], []),
    ("org-government", ["党委", "书记"], []),
    ("org-government", ["县委", "书记"], []),
    ("org-government", ["把握", "全局"], []),
    ("org-government", ["为", "老干部", "服务"], []),
    ("org-government", ["在", "我", "局"], []),
    # a government or centre after a bare place is the place itself or a venue
    ("org-government", ["日本", "政府", "表示"], []),
    ("org-government", ["温州", "会展", "中心"], []),
    ("org-government", ["温州市", "政府"], ["温州"]),
    # a qualifier right before a generic word describes, it does not name
    ("org-government", ["中央", "政府"], []),
    # an ordinary word ending in the suffix is a body only after a place
    ("org-government", ["二十大", "精神", "开局"], []),
    ("org-government", ["气象", "科普", "展厅"], []),
])
def test_government_bodies(rule_id, words, expected):
    assert found(rule_id, words) == expected


@pytest.mark.parametrize(("rule_id", "words", "expected"), [
    # companies: the name, not the industry words or the place kept before it
    ("org-company", ["恒达", "科技", "公司"], ["恒达"]),
    ("org-company", ["温州", "恒达", "科技", "公司"], ["温州恒达"]),
    ("org-company", ["浙江省", "恒达", "服饰", "有限", "公司"], ["恒达"]),
    ("org-company", ["推动", "恒吉", "集团", "实业", "有限公司"], ["恒吉"]),
    ("org-company", ["行业", "党委", "下属", "赛孚", "公司", "获评"], ["赛孚"]),
    ("org-company", ["依托", "赛孚", "公司"], ["赛孚"]),
    ("org-company", ["纺织", "二", "厂"], []),
    ("org-company", ["ABC", "公司"], ["ABC"]),
    ("org-company", ["XX", "科技", "公司"], []),
    ("org-company", ["xx", "新材", "科技", "有限公司"], []),
    ("org-company", ["该", "公司"], []),
    ("org-company", ["公司", "治理"], []),
    ("org-company", ["在", "宁波", "成立", "公司"], []),
    # banks and their branches; the national bank is kept by its own rule
    ("org-finance", ["工行", "椒江", "支行"], ["椒江"]),
    ("org-finance", ["中国", "工商", "银行", "温州", "分行"], ["温州"]),
    ("org-finance", ["农商", "银行", "、", "温州", "银行"], ["温州"]),
    ("org-finance", ["向", "农商", "银行", "延伸"], []),
    # schools, hospitals; a place opens a name
    ("org-education-health", ["与", "宁波", "大学", "科学技术", "学院", "合作"], ["宁波"]),
    ("org-education-health", ["获聘", "宁波", "大学"], ["宁波"]),
    ("org-education-health", ["北仑", "中医院"], ["北仑"]),
    ("org-education-health", ["我", "院"], []),
    # media
    ("org-media", ["温州", "日报"], ["温州"]),
    # 报 ending an ordinary word is no newspaper (a money unit before it is no name either)
    ("org-media", ["投资", "2.13亿", "元", "申报", "工作"], []),
    ("org-media", ["向", "县委", "汇报", "工作"], []),
    ("org-media", ["《", "江南", "农事", "》", "杂志"], ["江南农事"]),
    ("org-media", ["本报", "讯"], []),
    ("org-media", ["政", "银企社", "联动"], []),
    # associations and teams
    # a place opens a name: the places before it are the place rules' (杭州)
    ("org-association", ["杭州", "平阳", "商会"], ["平阳"]),
    ("org-association", ["中国", "药学会"], ["中国"]),
    ("org-association", ["力争", "创成", "温州级", "示范性", "合作社"], []),
    ("org-association", ["县", "慈善", "总会"], []),
    ("org-association", ["建成", "恒瑞", "农联"], ["恒瑞"]),
    ("org-association", ["乡镇", "农合联"], []),
    # parties: a party after a country; the Party's own words are no party names
    ("org-party", ["瑞典", "海盗", "党", "执政"], ["瑞典"]),
    ("org-party", ["全面", "从严", "治党"], []),
    ("org-party", ["入党", "积极分子"], []),
    ("org-party", ["深入", "学习", "党史"], []),
    # welfare institutes and prisons after a place
    ("org-education-health", ["双溪", "乡", "敬老院"], ["双溪"]),
    ("org-government", ["温州", "监狱"], ["温州"]),
    ("org-team", ["邀请", "温州", "代表队"], ["温州"]),
    ("org-team", ["日本", "队"], ["日本"]),
    ("org-team", ["积极", "开展", "少先队", "工作"], []),
    # the unknown names listed before a count of firms, after the place that opens them
    ("org-company", ["依托", "恒达", "、", "深圳", "赛孚", "等", "3", "家", "基金", "公司"], ["恒达", "赛孚"]),
    ("org-company", ["已", "与", "恒达", "、", "汇竑", "等", "两", "家", "企业"], ["恒达", "汇竑"]),
    # the ordinary words closing a listed name stay visible, as a suffix does: 恒达|科技 → 恒达
    ("org-company", ["推动", "恒达", "科技", "、", "赛孚", "电子", "等", "2", "家", "企业"], ["恒达", "赛孚"]),
    ("org-company", ["组织", "农业", "、", "服务业", "等", "3", "家", "企业"], []),
    ("org-company", ["与", "杭州", "、", "宁波", "等", "两", "家", "公司"], []),
    ("org-company", ["恒达", "、", "赛孚", "等", "企业"], []),
    ("org-company", ["恒达", "、", "赛孚", "等", "部门"], []),
    # the other items of a list that holds a masked firm, when the dictionary does not know them
    ("org-company", ["收集", "XX", "集团", "、", "XX", "科技", "商贸", "、", "微品", "致远", "等", "信息"], ["微品"]),
    ("org-company", ["依托", "安通", "、", "自立", "、", "XX", "等", "本地", "重点", "企业"], ["安通", "自立"]),
    ("org-company", ["引导", "xx", "村农", "、", "民生", "科技", "、", "xx", "电子", "注册"], ["民生"]),
    ("org-company", ["由", "XX", "集团", "领衔", "、", "组团", "在外"], []),  # 集团领衔 is no firm's ending
    ("org-company", ["依托", "安通", "、", "XX", "等", "重点", "项目"], []),  # a list of projects
    ("org-company", ["对接", "市", "交通局", "、", "市", "XX", "集团"], []),  # a body, not a firm
    ("org-company", ["推动", "国有", "、", "民营", "、", "XX", "等", "企业"], []),
    # a lone name unknown to the dictionary before 等…企业; not a dictionary word, nor before 等部门
    ("org-company", ["联合", "佩蒂", "等", "知名", "企业"], ["佩蒂"]),
    ("org-company", ["联合", "民营", "等", "知名", "企业"], []),
    ("org-company", ["联合", "佩蒂", "等", "部门"], []),
    # firms named by industry words; a name the segmenter split off a frequent character is whole
    ("org-industry", ["招引", "中宇", "远洋", "等", "企业"], ["中宇"]),
    ("org-industry", ["推动", "万", "泓", "科技", "等", "企业"], ["万泓"]),
    ("org-industry", ["的", "玛氏", "集团", "、", "百", "配", "科技", "商贸"], ["百配"]),
    ("org-company", ["依托", "万", "泓", "公司"], ["万泓"]),
    ("org-industry", ["温州", "科技", "创新"], []),
    ("org-industry", ["浙江", "科技", "有限", "责任"], []),
    ("org-industry", ["发展", "数字", "科技", "和", "现代", "农业"], []),
    ("org-industry", ["恒达", "科技", "企业"], []),
    ("org-industry", ["XX", "新材", "科技"], []),
    ("org-industry", ["三", "家", "科技", "企业"], []),
    ("org-industry", ["是", "泓", "科技"], []),
    ("org-company", ["和", "泓", "公司"], []),
    # ordinary words that the dictionary tags as names, and directions, are no names
    ("org-team", ["摩托车", "队"], []),
    # a rare noun holding the suffix names a body after a place or country (中国|女队), but an
    # ordinary word listed as naming no one ends the name (败局, 本队)
    ("org-team", ["中国", "女队", "与", "丹麦", "女队", "对阵"], ["中国", "丹麦"]),
    ("org-team", ["温州", "女队"], ["温州"]),
    ("org-government", ["泰国", "政局", "动荡"], []),
    ("org-team", ["迎战", "客队"], []),
    # a quoted name right before a firm's or a team's suffix is its name; not a campaign's office
    ("org-company", ["给", "“", "红双喜", "”", "公司", "带来"], ["红双喜"]),
    ("org-team", ["喜欢", "『", "花儿", "』", "队", "的"], ["花儿"]),
    ("org-company", ["“", "好", "”", "公司"], []),
    ("org-government", ["“", "五水共治", "”", "办公室"], []),
    ("org-government", ["促进", "中西部", "发展"], []),
])
def test_other_bodies(rule_id, words, expected):
    assert found(rule_id, words) == expected


@pytest.mark.parametrize(("words", "expected"), [
    (["国务院", "办公厅", "印发"], ["国务院办公厅"]),
    (["国家", "统计局", "发布"], ["国家统计局"]),
    (["外交部", "长", "表示"], ["外交部"]),
    (["据", "新华社", "报道"], ["新华社"]),
    (["与", "工行", "椒江", "支行"], ["工行"]),
    (["全面", "贯彻", "党", "的", "二十大", "精神"], ["二十大"]),
    (["中共", "十四大", "以来"], ["中共", "十四大"]),
    (["德国", "绿党", "执政"], ["绿党"]),
    (["与", "微软", "公司", "合作"], ["微软"]),
    # a national name must be whole tokens: 民进 is no party in 居民|进行, nor 商务部 in 商务|部门
    (["居民", "进行", "登记"], []),
    (["省市", "商务", "部门"], []),
])
def test_national_bodies(words, expected):
    assert found("org-national", words) == expected


def test_a_national_name_is_never_split_by_the_suffix_rules():
    assert found("org-media", ["据", "新华社", "报道"]) == []
    assert found("org-government", ["外交部", "发言人"]) == []


def test_coarse_and_national_findings_are_kept_by_the_allow_list():
    allowed = ruleset().allow_terms
    for term in ("国务院", "新华社", "工行", "联合国", "国家", "中央"):
        assert term in allowed, term
    for term in ("恒达", "温州", "新昌"):
        assert term not in allowed, term


def test_places_win_the_span_for_the_body():
    """A body's place is found above the place rules' scores, so the span reads as ORG."""
    government = next(r for r in ruleset().rules if r.id == "org-government")
    places = next(r for r in ruleset().rules if r.id == "division-gazetteer")
    assert government.place_score > max(places.score, places.locality.home_score)


def test_every_organisation_rule_is_described():
    rules = [r for r in ruleset().rules if isinstance(r, OrganisationRule)]
    assert len(rules) >= 7
    assert all(r.description for r in rules)
    assert all(r.label == "ORG" for r in rules)


@pytest.mark.parametrize(("extra", "reasons"), [
    ("    colour: red\n", ["colour: unknown key"]),  # reported before its files are looked for
    ("", ["national_file: file not found: none.txt"]),
])
def test_an_organisation_rule_is_validated(tmp_path, extra, reasons):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "org.yaml").write_text(
        "rules:\n  - id: org-x\n    kind: organisation\n    label: ORG\n    suffixes: [局]\n"
        "    national_file: none.txt\n" + extra, encoding="utf-8")
    with pytest.raises(RuleErrors) as caught:
        load_rules(tmp_path)
    assert sorted(e.reason for e in caught.value.errors) == reasons


@pytest.mark.parametrize("name", ["org_national.txt", "org_famous.txt", "org_coarse.txt"])
def test_org_lexicons_are_clean(name):
    path = RULES / "lexicons" / name
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#"), "a header comment explains the list"
    entries = read_list(path)
    assert entries and all(is_han(entry) for entry in entries)
    assert len(entries) == len(set(entries)), "no duplicates"


@pytest.mark.parametrize(("rule_id", "words", "expected"), [
    # a level and its organ, a function and its suffix: the whole body, kept
    ("org-government", ["县委", "书记"], ["县委"]),
    ("org-government", ["市", "农业", "农村局"], ["市农业农村局"]),
    ("org-government", ["在", "省", "公安厅", "指导", "下"], ["省公安厅"]),
    ("org-government", ["他", "调到", "人事部", "工作"], ["人事部"]),
    ("org-government", ["县政府", "和", "市政府"], ["县政府", "市政府"]),
    ("org-government", ["市委", "宣传部"], ["市委"]),
    ("org-government", ["国会", "通过"], ["国会"]),
    ("org-association", ["中国", "足协"], []),  # a proper part (the country): no generic body
    # ordinary words ending in a suffix, numbers, posts, regions, venues and generic references
    ("org-government", ["老", "干部", "政策"], []),
    ("org-government", ["打开", "新", "格局"], []),
    ("org-government", ["收缴", "3382", "部"], []),
    ("org-government", ["政治局", "常委"], []),
    ("org-government", ["促进", "中西部", "发展"], []),
    ("org-government", ["在", "市中心", "开设"], []),
    ("org-government", ["各级", "党委"], []),
    ("org-association", ["本", "工会"], []),
    ("org-team", ["在", "本队", "败局", "已定"], []),
    ("org-government", ["双方", "战成", "平局"], []),
    ("org-government", ["好中选优", "、", "劣者", "出局"], []),
    # the organs of the Party and of self-government are bodies by themselves
    ("org-government", ["聚在", "村委会"], ["村委会"]),
    ("org-government", ["镇", "党委", "书记"], ["镇党委"]),
    ("org-government", ["成立", "了", "党总支"], ["党总支"]),
    ("org-association", ["市", "妇联", "主席"], ["市妇联"]),
    ("org-government", ["日本", "内阁", "会议"], []),  # a proper part: the country, found as such
    ("org-government", ["代表", "政府", "管理"], []),
])
def test_bodies_named_by_function_alone(rule_id, words, expected):
    assert generic(rule_id, words) == expected


def test_bodies_named_by_function_alone_are_kept_by_their_rule():
    words = ["推动", "人事部", "改革"]
    (body,) = recognizer("org-government").candidates("".join(words), TokenBounds(
        Doc(VOCAB, words=words, spaces=[False] * len(words))))
    assert (body.start, body.end, body.score) == (2, 5, 0.9) and "names no one" in body.kept
