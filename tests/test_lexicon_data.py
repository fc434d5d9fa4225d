"""Sanity checks for the hand-written word lists under rules/lexicons/."""

from __future__ import annotations

from pathlib import Path

import pytest

LEXICONS = Path(__file__).parents[1] / "rules" / "lexicons"
FILES = ["surnames.txt", "titles.txt", "person_stopwords.txt", "place_stopwords.txt", "org_stopwords.txt",
         "world_places.txt", "world_places_shared.txt"]


def read_entries(name: str) -> list[str]:
    """Entries of a lexicon file, one per line, skipping `#` comment lines and blank lines."""
    lines = (LEXICONS / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


@pytest.mark.parametrize("name", FILES)
def test_file_parses(name: str) -> None:
    text = (LEXICONS / name).read_text(encoding="utf-8")
    assert text.startswith("#"), "file should open with a header comment"
    assert not text.startswith("\ufeff"), "no byte-order mark"
    entries = read_entries(name)
    assert entries, "no entries"
    for entry in entries:
        assert entry == entry.strip(), f"surrounding whitespace in {entry!r}"
        assert not any(ch.isspace() for ch in entry), f"whitespace inside {entry!r}"
        assert is_han(entry), f"non-Chinese entry {entry!r}"
    duplicates = sorted({e for e in entries if entries.count(e) > 1})
    assert not duplicates, f"duplicates: {duplicates}"


def test_surnames() -> None:
    surnames = read_entries("surnames.txt")
    compounds = [s for s in surnames if len(s) == 2]
    assert len(surnames) >= 500
    assert len(compounds) >= 40
    assert all(len(s) in (1, 2) for s in surnames)
    assert surnames[:5] == ["王", "李", "张", "刘", "陈"]
    for name in ["欧阳", "司马", "诸葛", "上官", "司徒", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
                 "长孙", "宇文", "夏侯", "端木", "轩辕"]:
        assert name in compounds
    # Compound surnames come after every single-character one.
    first_compound = surnames.index(compounds[0])
    assert all(len(s) == 2 for s in surnames[first_compound:])


def test_titles() -> None:
    titles = read_entries("titles.txt")
    assert 120 <= len(titles) <= 300
    for title in ["书记", "县长", "局长", "同志", "村支书", "副县长", "党委书记", "驻村第一书记", "常务副县长",
                  "人大主任", "政协主席", "镇人大主席"]:
        assert title in titles
    lengths = [len(t) for t in titles]
    assert lengths == sorted(lengths, reverse=True), "titles must be sorted longest first"


def test_no_title_is_a_person_stopword() -> None:
    titles = set(read_entries("titles.txt"))
    stop_words = set(read_entries("person_stopwords.txt"))
    assert not titles & stop_words, sorted(titles & stop_words)


def test_person_stopwords() -> None:
    stop_words = set(read_entries("person_stopwords.txt"))
    assert len(stop_words) >= 300
    for word in ["全县", "全市", "党委", "单位", "安全", "文明", "高质量", "金融", "程序", "关于", "余名", "时任"]:
        assert word in stop_words
    # A stop word rejects every candidate it prefixes: common surnames must never be listed alone.
    common = read_entries("surnames.txt")[:150]
    assert not stop_words & set(common), sorted(stop_words & set(common))
    compounds = {s for s in read_entries("surnames.txt") if len(s) == 2}
    assert not stop_words & compounds, sorted(stop_words & compounds)


def test_place_stopwords() -> None:
    stop_words = set(read_entries("place_stopwords.txt"))
    assert len(stop_words) >= 300
    for word in ["全县", "本乡", "山村", "乡村振兴", "城市", "社区治理", "开发区", "思路", "阶段", "广场"]:
        assert word in stop_words


def test_org_stopwords() -> None:
    stop_words = set(read_entries("org_stopwords.txt"))
    assert len(stop_words) >= 150
    for word in ["公司", "子公司", "龙头企业", "银行", "乡镇卫生院", "合作社", "政务服务中心", "领导小组"]:
        assert word in stop_words


def test_world_places() -> None:
    names = set(read_entries("world_places.txt"))
    assert len(names) >= 1000
    for name in ["美国", "日本", "德国", "俄罗斯", "东南亚", "太平洋", "纽约", "巴黎", "加利福尼亚州", "中国", "长江",
                 "地球", "人民大会堂", "两岸", "贝加尔湖", "休斯顿", "兵库县", "阿拉伯", "多米尼加"]:
        assert name in names
    # ordinary words and local references spelled like foreign places are left out
    for word in ["海防", "本州", "海法", "加来"]:
        assert word not in names
    # The list is allow-listed: a Chinese division's name or short form must stay maskable.
    divisions = set()
    for line in (LEXICONS / "admin_divisions.tsv").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            divisions.update(column for column in line.split("\t")[:2] if column)
    assert not names & divisions, sorted(names & divisions)[:20]


def test_world_places_shared_with_villages() -> None:
    """World cities that Chinese villages are named after too: out of the allow-listed list, and
    never the name of a county or a larger division."""
    shared = set(read_entries("world_places_shared.txt"))
    assert {"华沙", "马赛", "温哥华", "釜山"} <= shared
    assert not shared & set(read_entries("world_places.txt"))
    counties_and_up = set()
    for line in (LEXICONS / "admin_divisions.tsv").read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        if not line.startswith("#") and len(columns) > 2 and columns[2] not in ("township", "village"):
            counties_and_up.update(column for column in columns[:2] if column)
    assert not shared & counties_and_up, sorted(shared & counties_and_up)


def test_place_abbreviations() -> None:
    rows = [line.split("\t") for line in read_entries("place_abbreviations.tsv")]
    assert all(len(row) == 4 for row in rows)
    assert all(len(abbreviation) == 1 and is_han(name) for abbreviation, name, _, _ in rows)
    assert {level for _, _, level, _ in rows} == {"country", "region", "province", "prefecture"}
    contexts = {c for *_, where in rows for c in where.split(",")}
    assert contexts <= {"list", "before", "after", "direction", "alone", "-"}
    # every province is there, under its usual abbreviation
    provinces = {(a, n) for a, n, level, _ in rows if level == "province"}
    assert {("京", "北京"), ("沪", "上海"), ("浙", "浙江"), ("粤", "广东"), ("港", "香港"), ("台", "台湾")} <= provinces
    assert len({n for _, n in provinces}) == 34


def test_province_abbreviations_before_words_of_origin() -> None:
    """湘籍, 皖商, 川军: a province's abbreviation before a word of origin names it, except the characters
    that first name something else or are words of their own (蒙 = 蒙古, 桂花, 藏 = to hide)."""
    rows = [line.split("\t") for line in read_entries("place_abbreviations.tsv")]
    after = {a for a, _, level, where in rows if level == "province" and "after" in where.split(",")}
    assert set("冀晋辽苏浙皖闽赣豫鄂湘粤琼川黔滇陕陇") <= after
    assert not set("蒙桂藏") & after
