"""Organisations through the whole pipeline (real segmenter), on made-up sentences in the style
of the corpus: what is masked follows STYLE.md §4, national bodies are recognised and kept, and
generic references are never organisations."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact.documents import Document

pytestmark = pytest.mark.slow


def redact(redactor_factory, text: str):
    return redactor_factory("upper").redact(Document(source=Path("org.txt"), text=text, format="text"))


@pytest.mark.parametrize(("text", "masked"), [
    ("恒达科技公司参加了招商推介会。", "XX科技公司参加了招商推介会。"),
    ("与工行椒江支行开展党建联建。", "与工行XX支行开展党建联建。"),
    ("新昌县政务服务办公室出台实施方案。", "XX县政务服务办公室出台实施方案。"),
    ("温州银行和温州日报社联合举办。", "XX银行和XX日报社联合举办。"),
    ("行业党委下属赛孚公司获评示范点。", "行业党委下属XX公司获评示范点。"),
    # every mention of a confirmed firm, even beside a rare dictionary word (成科)
    ("由科莱集团领衔，成功促成科莱及其上下游企业落地。", "由XX集团领衔，成功促成XX及其上下游企业落地。"),
    ("招引中宇远洋等龙头企业，推动万泓科技实施技改。", "招引XX远洋等龙头企业，推动XX科技实施技改。"),
    ("已与恒达、赛孚等两家基金公司达成合作。", "已与XX、XX等两家基金公司达成合作。"),
    # a trade name the dictionary knows (天顺, 宏达) between a place and the industry words of a firm
    ("参观浙江天顺生物科技有限公司、温州宏达电子科技公司。", "参观浙江XX生物科技有限公司、XX电子科技公司。"),
    ("入选浙江省智慧农业十大模式。", "入选浙江省智慧农业十大模式。"),  # no firm's legal form: 智慧 stays
    # districts named by a frequent word (城区, 郊区) name no body
    ("新建城区学校5所，郊区医院扩建。", "新建城区学校5所，郊区医院扩建。"),
    # national bodies and provinces are kept
    ("根据国务院和外交部的部署，浙江省人民政府印发通知。", "根据国务院和外交部的部署，浙江省人民政府印发通知。"),
    # generic references are no names
    ("该公司、本报、我院、各部门、有关部门、党委书记、公司治理、全局，市农业农村局。",
     "该公司、本报、我院、各部门、有关部门、党委书记、公司治理、全局，市农业农村局。"),
])
def test_masking_follows_style(redactor_factory, text, masked):
    assert redact(redactor_factory, text).masked_text == masked


def test_a_body_named_by_its_place_reads_as_an_organisation(redactor_factory):
    redaction = redact(redactor_factory, "新昌县政务服务办公室出台实施方案。")
    assert [(f.text, f.label) for f in redaction.masked] == [("新昌", "ORG")]


def test_national_bodies_are_recognised_and_kept(redactor_factory):
    redaction = redact(redactor_factory, "根据国务院和外交部的部署，国家统计局和浙江省人民政府印发通知。")
    kept = {(n.finding.text, n.finding.label) for n in redaction.near_misses if n.why.startswith("allow-listed")}
    assert {("国务院", "ORG"), ("外交部", "ORG"), ("国家统计局", "ORG"), ("浙江", "ORG")} <= kept
    assert not redaction.masked


def test_generic_references_are_never_organisations(redactor_factory):
    redaction = redact(redactor_factory, "该公司、本报、我院、各部门、有关部门、各级党委、公司治理、全局。")
    assert [f for f in redaction.candidates if f.label == "ORG"] == []


def test_the_organs_of_the_party_are_recognised_and_kept(redactor_factory):
    redaction = redact(redactor_factory, "镇党委书记和村委会主任到场。")
    kept = {(n.finding.text, n.finding.label) for n in redaction.near_misses if n.kept}
    assert {("镇党委", "ORG"), ("村委会", "ORG")} <= kept
    assert not redaction.masked
