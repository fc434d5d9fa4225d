#!/usr/bin/env python3
"""Build the Chinese administrative-division gazetteer from jionlp's data.

The data comes from the ``china_location`` dictionary shipped inside the
Apache-2.0 ``jionlp`` wheel (five levels: province, prefecture, county,
township, village/community).  The wheel is only opened as a zip archive;
jionlp is never imported or installed.

Outputs (all sorted, byte-for-byte reproducible for a given wheel):

* ``admin_divisions.tsv``   province .. township rows
* ``admin_villages.tsv``    village / community rows
* ``short_form_stoplist.txt`` the stop list used to suppress unsafe short forms
* ``NOTICE``                attribution and rebuild instructions

Each TSV row is ``name<TAB>short<TAB>level<TAB>parent_path``.

Usage::

    python tools/build_gazetteer.py                      # download pinned wheel
    python tools/build_gazetteer.py --wheel path/to/jionlp-*.whl
"""

from __future__ import annotations

import argparse
import gzip
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

JIONLP_VERSION = "1.5.31"
LOCATION_MEMBER = "jionlp/dictionary/china_location.zip"
IDF_MEMBER = "jionlp/dictionary/idf.zip"
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT_DIR = REPO_ROOT / "rules" / "lexicons"

LEVELS = ("province", "prefecture", "county", "township", "village")
LOW_LEVELS = frozenset({"township", "village"})
# Placeholder nodes in the source ("省直辖行政区划", "市直辖行政区划", ...):
# not real divisions; their children are attached to the node above.
PLACEHOLDER_SUFFIX = "直辖行政区划"

# Generic suffixes per level, longest first.  Only one is stripped.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "prefecture": ("特别行政区", "自治州", "地区", "盟", "市"),
    "county": ("自治县", "自治旗", "新区", "特区", "区", "县", "市", "旗"),
    "township": ("街道办事处", "民族苏木", "民族乡", "民族镇", "街道", "苏木", "新区", "镇", "乡"),
    "village": (
        "社区居民委员会", "社区居委会", "村民委员会", "居民委员会", "嘎查村委会",
        "嘎查委会", "村委会", "居委会", "嘎查村", "嘎查", "社区", "村",
    ),
}
# The 56 recognised ethnic groups (without 族); used to drop ethnic parts
# from autonomous-area names (彝族自治县, 蒙古族藏族自治州, 回族乡 ...).
ETHNIC_GROUPS = tuple(sorted(
    """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎
    傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉
    毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京
    塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺""".split(),
    key=len, reverse=True,
))
ETHNIC_TOKENS = ("民族", "各族") + tuple(g + "族" for g in ETHNIC_GROUPS) + tuple(
    g for g in ETHNIC_GROUPS if len(g) >= 2
)
# Township/village shorts made only of these characters are generic
# (第一, 东南, 上下, 新一 ...).
GENERIC_CHARS = frozenset("〇零一二三四五六七八九十百千两第东南西北中上下前后左右内外新老大小")
# Township/village shorts "direction + landform/settlement" (东山, 西沟, 南庄,
# 前营 ...) occur by the thousand and double as plain descriptions.
DIRECTION_CHARS = frozenset("东南西北中上下前后里外内")
LANDFORM_CHARS = frozenset(
    "山河湖江海港村庄营岗坡岭沟湾头塘桥园苑门关街城寨屯堡洼坪田坑溪洋滩岸坝场店铺楼庙集口"
)
# 小/老/阿 + common surname reads as a nickname (小王, 老李, 阿陈).
NICKNAME_PREFIXES = frozenset("小老阿")
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
NUMERAL_CHARS = frozenset("〇零一二三四五六七八九十百千两")
# Source rows that are bookkeeping units rather than places (虚拟社区).
NO_SHORT_MARKERS = ("虚拟",)
DEFAULT_IDF_THRESHOLD = 9.0

# Short forms that are (or read as) common words in government prose.
# Applied at every level; a division whose short is listed keeps its full
# name only.  Plain toponyms (东山, 西湖, 长春 ...) are deliberately absent.
# Tune via --stoplist.
_STOPLIST_TEXT = """
    # generic area / urban words
    城关 城区 城中 城东 城西 城南 城北 城郊 城厢 城镇 城乡 城内 城外 郊区 市区 市中
    市郊 市场 新区 老区 园区 镇区 街区 小区 片区 辖区 管区 矿区 林区 牧区 垦区 港区
    库区 山区 景区 厂区 校区 社区 街道 新村 新镇 新城 老城 古城 东城 西城 南城 北城
    中城 大街 老街 新街 正街 横街 前街 后街 乡镇 农村 村镇 集镇 集市 中心 开发
    # development zones (source aliases like 经开区 are shared by dozens of zones)
    开发区 高新 高新区 经济 经开 经开区 保税 保税区 综保区 自贸区 示范区 管理区 度假区
    工业 工业区 工业园 产业 产业园 物流 物流区 商贸 临港 临港区 航空港 新城区 文旅区
    火炬开发区 新站区 试验区 实验区 科技园 科学城
    # institutions and sites
    农场 林场 牧场 渔场 茶场 园艺 果园 菜园 花园 公园 广场 车站 码头 机场 港口 医院
    学校 中学 小学 大学 学院 书院 政府 机关 单位 部门 监狱 团委 妇联 工会 党委 支部
    党支部 委员 委员会 办事处 管委会 居委会 村委会 工作站 银行 邮政 粮站 供销 电厂
    水厂 电站 水库 油田 煤矿 企业 公司 集团 总部 基地 枢纽 口岸 会展 会议 大会 论坛
    # people
    人民 群众 居民 村民 农民 工人 干部 青年 少年 儿童 妇女 老年 老人 同志 朋友 家庭
    家人 人家 大家 自家 农家 国家
    # slogans, virtues and political words common as place names
    前进 胜利 红旗 光明 和平 新华 解放 建设 发展 团结 友谊 长安 永安 太平 中山 东风
    先锋 幸福 民主 文化 振兴 红星 红光 红卫 红心 红色 红日 东方 东红 东升 向阳 朝阳
    曙光 黎明 新生 新建 新兴 新风 新农 新光 新星 新合 新开 新立 新春 新世纪 新时代
    新农村 联合 合作 互助 共和 共同 共建 共富 共荣 繁荣 富强 富民 富裕 致富 小康 兴旺
    兴隆 兴盛 兴业 昌盛 复兴 振华 中华 中国 全国 爱国 爱民 拥军 国防 八一 五一 七一
    十月 三八 五四 六一 二七 国庆 红军 工农 农建 农垦 革命 进步 先进 光荣 永久 永远
    长征 太阳 卫星 火箭 火炬 星火 丰收 丰产 增产 高产 跃进 希望 未来 和谐 文明 安全
    安定 稳定 平安 吉祥 如意 吉利 顺利 成功 凯旋 奋斗 奋进 前锋 模范 示范 标准 实验
    试验 科技 创新 创业 创造 生产 劳动 工作 服务 管理 治理 安居 乐业 康乐 健康 快乐
    欢乐 美好 美丽 和美 温馨 阳光 春天 春风 明星 星光 光华 光辉 辉煌 灿烂 同心 齐心
    连心 一心 安宁 祥和 和睦 团圆 统一 一致 公平 正义 自由 平等 民生 民族 平和 长寿
    长青 常青 三星 五星 三合 四合 三元 华侨 侨乡 港澳 海外 国际 开放 改革 现代 当代
    时代
    # position and generic description
    中央 中间 中部 东部 西部 南部 北部 西方 南方 北方 上游 下游 中游 前面 后面 里面
    外面 上面 下面 对面 两岸 沿江 沿河 沿海 沿山 沿湖 沿线 周边 附近 一带 地方 天下
    天地 世界 山水 青山 绿水 白云 蓝天 大地 土地 田园 家园 故乡 老家 家乡 桥头 路口
    门口 渡口 村口 街口 路边 河边 江边 海边 山上 山下 山脚 山顶 山头 山坡 山沟 河口
    中西 东西 南北 左右 上下 前后 内外 高低 大小 多少 长短 今天 明天
    # sectors
    工程 项目 规划 计划 安置 保障 协作 联盟 联谊 联营 民政 公安 财政 交通 水利 电力
    林业 农业 牧业 渔业 商业 工商 税务 教育 卫生 环保 城建 城管 公路 铁路 邮电 石油
    钢铁 化工 信用 金融 财富 资源 能源 环境 生态 绿色 低碳 智慧 数字 网络 信息 数据
    平台 窗口 体育 艺术 音乐 图书
    # nature and common nouns
    高山 平原 高原 草原 森林 田野 农田 良田 湖泊 湿地 海岛 半岛 岛屿 沙漠 山林 树林
    竹林 花果 花卉 苗圃 茶园 药材 蔬菜 水果 粮食 棉花 黄金 钻石 宝石 珍珠 水晶 明珠
    龙头 大河 大江 大海 海洋 长江 黄河 银河
    # odd source aliases that collide with ordinary text (和布克赛尔 -> 和布)
    和布
"""


def stoplist_sections(text: str = _STOPLIST_TEXT) -> list[tuple[str, list[str]]]:
    """Split the stop-list text into ``(heading, words)``; each word kept once."""
    sections: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            sections.append((line.lstrip("# "), []))
        elif line:
            new = [w for w in line.split() if w not in seen]
            seen.update(new)
            sections[-1][1].extend(new)
    return sections


SHORT_FORM_STOPLIST: tuple[str, ...] = tuple(
    sorted(w for _, words in stoplist_sections() for w in words)
)


@dataclass(frozen=True)
class RawDivision:
    """One division as read from the source, before short-form derivation."""

    name: str
    level: str
    parents: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One output row."""

    name: str
    short: str
    level: str
    parent_path: str


# --------------------------------------------------------------------------- io


def download_wheel(dest: Path, version: str) -> Path:
    """Fetch the pinned jionlp wheel with pip (no dependencies) into *dest*."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           f"jionlp=={version}", "-d", str(dest)]
    subprocess.run(cmd, check=True)
    wheels = sorted(dest.glob(f"jionlp-{version}-*.whl"))
    if not wheels:
        raise SystemExit(f"pip did not produce a jionlp {version} wheel in {dest}")
    return wheels[0]


def read_nested_text(wheel: zipfile.ZipFile, member: str) -> str:
    """Return the single text file inside the zip *member* of *wheel*."""
    with zipfile.ZipFile(io.BytesIO(wheel.read(member))) as inner:
        (name,) = [n for n in inner.namelist() if n.endswith(".txt")]
        return inner.read(name).decode("utf-8")


def wheel_version(wheel: zipfile.ZipFile) -> str:
    """Read ``Version:`` from the wheel's METADATA."""
    (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    match = re.search(r"^Version: *(\S+)", wheel.read(meta).decode("utf-8"), re.M)
    if not match:
        raise SystemExit("wheel METADATA has no Version field")
    return match.group(1)


def parse_idf(text: str) -> dict[str, float]:
    """Parse jionlp's ``word<TAB>idf`` table."""
    idf: dict[str, float] = {}
    for line in text.splitlines():
        word, _, value = line.partition("\t")
        if value:
            idf[word] = float(value)
    return idf


def read_stoplist(path: Path) -> tuple[str, ...]:
    """Read a one-word-per-line stop list (``#`` starts a comment)."""
    words = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return tuple(sorted({w for w in words if w}))


# ---------------------------------------------------------------------- parsing


def parse_locations(text: str) -> Iterator[RawDivision]:
    """Yield divisions from the tab-indented ``china_location.txt``.

    Depth (leading tabs) gives the level; levels 0-2 carry ``name code alias``
    (alias may be ``a/b``), levels 3-4 only a name.  Placeholder nodes and a
    municipality's duplicate prefecture node (same code as the province) are
    skipped; their children attach to the node above.
    """
    stack: list[tuple[str, str] | None] = [None] * len(LEVELS)  # (name, code)
    for line in text.splitlines():
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t")
        name, code = fields[0], (fields[1] if len(fields) > 1 else "")
        stack[depth:] = [None] * (len(LEVELS) - depth)
        if name.endswith(PLACEHOLDER_SUFFIX) or _duplicates_parent(stack, depth, code):
            continue
        stack[depth] = (name, code)
        parents = tuple(node[0] for node in stack[:depth] if node)
        aliases = tuple(fields[2].split("/")) if len(fields) > 2 else ()
        yield RawDivision(name, LEVELS[depth], parents, aliases)


def _duplicates_parent(stack: Sequence[tuple[str, str] | None], depth: int, code: str) -> bool:
    """True for a node repeating its parent's admin code (上海市/上海市, 香港)."""
    parent = stack[depth - 1] if depth else None
    return bool(code) and parent is not None and parent[1] == code


# ------------------------------------------------------------------ short forms


def strip_suffix(name: str, level: str) -> str | None:
    """Strip one generic suffix (plus ethnic parts of autonomous names); None if none matches."""
    for suffix in SUFFIXES[level]:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治") or stem.endswith("族"):
                stem = strip_ethnic(stem)
            return stem
    return None


def strip_ethnic(stem: str) -> str:
    """Drop trailing ethnic-group parts (``双江拉祜族佤族布朗族傣族`` -> ``双江``)."""
    changed = True
    while changed:
        changed = False
        for token in ETHNIC_TOKENS:
            if stem.endswith(token) and len(stem) - len(token) >= 2:
                stem, changed = stem[: -len(token)], True
                break
    return stem


def candidate_short(div: RawDivision) -> str | None:
    """Pick the short form: the source alias if any, else suffix stripping.

    The source's curated aliases (levels province..county) win; an alias equal
    to the full name means the source deliberately gives no short form.
    """
    if any(marker in div.name for marker in NO_SHORT_MARKERS):
        return None
    stripped = strip_suffix(div.name, div.level)
    aliases = [a for a in div.aliases if a]
    if not aliases:
        return stripped
    if stripped in aliases:
        return stripped
    return aliases[0] if aliases[0] != div.name else None


def unsafe_reason(short: str, level: str, stoplist: frozenset[str],
                  idf: dict[str, float], idf_threshold: float) -> str | None:
    """Return why *short* is unsafe as a standalone match, or None if safe.

    Every level: single characters and stop-listed words.  Township/village
    only: generic-character shorts, "direction + landform" pairs, numbered
    units (西红门六), ``X家``, nicknames (小王) and words more frequent than
    *idf_threshold* in jionlp's idf table.
    """
    if len(short) < 2:
        return "single-char"
    if short in stoplist:
        return "stoplist"
    if level not in LOW_LEVELS:
        return None
    if set(short) <= GENERIC_CHARS:
        return "generic-chars"
    if len(short) == 2 and short[0] in DIRECTION_CHARS and short[1] in LANDFORM_CHARS:
        return "direction-landform"
    if short[-1] in NUMERAL_CHARS:
        return "numbered"
    if len(short) == 2 and short.endswith("家"):
        return "x-jia"
    if len(short) == 2 and short[0] in NICKNAME_PREFIXES and short[1] in COMMON_SURNAMES:
        return "nickname"
    if idf.get(short, float("inf")) < idf_threshold:
        return "common-word-idf"
    return None


def build_rows(divisions: Iterable[RawDivision], stoplist: frozenset[str],
               idf: dict[str, float], idf_threshold: float) -> tuple[list[Row], Counter[str]]:
    """Derive shorts, deduplicate and sort; also count suppression reasons."""
    rows: dict[tuple[str, str, str], Row] = {}
    reasons: Counter[str] = Counter()
    for div in divisions:
        parent_path = "/".join(div.parents)
        key = (div.level, parent_path, div.name)
        if key in rows:
            continue
        short = candidate_short(div)
        if short is None:
            reasons[f"{div.level}:no-short"] += 1
            short = ""
        elif reason := unsafe_reason(short, div.level, stoplist, idf, idf_threshold):
            reasons[f"{div.level}:{reason}"] += 1
            short = ""
        rows[key] = Row(div.name, short, div.level, parent_path)
    return sorted(rows.values(), key=_sort_key), reasons


def _sort_key(row: Row) -> tuple[tuple[str, ...], str]:
    """Tree order: by the full path of the division."""
    path = tuple(row.parent_path.split("/")) if row.parent_path else ()
    return path + (row.name,), row.level


# ---------------------------------------------------------------------- writing


def header(version: str, what: str) -> str:
    """Comment header shared by the TSV files."""
    return (
        f"# {what}; source: jionlp {version} (wheel on PyPI), "
        "jionlp/dictionary/china_location.zip; licence: Apache-2.0; "
        "derived data, rebuild with: python tools/build_gazetteer.py\n"
        "# columns: name\tshort\tlevel\tparent_path\n"
    )


def write_tsv(path: Path, rows: Iterable[Row], head: str) -> None:
    """Write rows as UTF-8 TSV with LF line endings (gzipped, reproducibly, for a `.gz` path)."""
    if path.suffix == ".gz":
        handle = gzip.GzipFile(path, "wb", compresslevel=9, mtime=0)
        out_context = io.TextIOWrapper(handle, encoding="utf-8", newline="\n")
    else:
        out_context = path.open("w", encoding="utf-8", newline="\n")
    with out_context as out:
        out.write(head)
        for r in rows:
            out.write(f"{r.name}\t{r.short}\t{r.level}\t{r.parent_path}\n")


def write_stoplist(path: Path) -> None:
    """Write the built-in stop list, one word per line, grouped by heading."""
    lines = [
        "# Short forms never emitted in the 'short' column of admin_*.tsv.",
        "# One word per line; '#' starts a comment.  Edit, then rebuild with",
        "#   python tools/build_gazetteer.py --stoplist rules/lexicons/short_form_stoplist.txt",
    ]
    for heading, words in stoplist_sections():
        lines += ["", f"# {heading}", *sorted(words)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_notice(path: Path, version: str, idf_threshold: float) -> None:
    """Write the attribution / provenance NOTICE."""
    path.write_text(NOTICE_TEMPLATE.format(version=version, threshold=idf_threshold),
                    encoding="utf-8")


NOTICE_TEMPLATE = """\
Administrative-division lexicons (admin_divisions.tsv, admin_villages.tsv,
short_form_stoplist.txt)
========================================================================

Source
------
The division names and hierarchy are derived from the "china_location"
dictionary (jionlp/dictionary/china_location.zip) shipped in the jionlp
{version} wheel published on PyPI (project: https://github.com/dongrixinyu/JioNLP).

    JioNLP, by dongrixinyu (author named in the wheel metadata).
    The wheel carries the unmodified Apache License 2.0 text
    (jionlp-{version}.dist-info/licenses/LICENSE).
    Licensed under the Apache License, Version 2.0 (the "License");
    you may not use this data except in compliance with the License.
    You may obtain a copy of the License at
        http://www.apache.org/licenses/LICENSE-2.0
    Unless required by applicable law or agreed to in writing, the data is
    distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY
    KIND, either express or implied.

The word-frequency table jionlp/dictionary/idf.zip from the same wheel (same
licence) is used at build time only, to suppress township/village short forms
that are very common words (idf < {threshold}); none of it is redistributed.

Modifications
-------------
These files are derived, not copied: placeholder nodes (省直辖行政区划,
市直辖行政区划, ...) and a municipality's duplicate prefecture node are
dropped, each division is written with its level and parent path, and a
"short" column is computed (source alias for province..county, generic
suffix and ethnic-name parts stripped for township/village), left empty when
it is a single character, on the stop list, a very common word, or otherwise
generic (see unsafe_reason() in tools/build_gazetteer.py).
jionlp itself is not imported, installed or redistributed.

Rebuilding
----------
    python tools/build_gazetteer.py                 # downloads the pinned wheel with pip
    python tools/build_gazetteer.py --wheel jionlp-{version}-py2.py3-none-any.whl

Output is sorted and deterministic for a given wheel.
"""


# ------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line interface."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--wheel", type=Path,
                   help=f"local jionlp wheel (default: pip download jionlp=={JIONLP_VERSION})")
    p.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR,
                   help="output directory (default: rules/lexicons)")
    p.add_argument("--stoplist", type=Path,
                   help="read the stop list from this file instead of the built-in one "
                        "(the file is then left untouched)")
    p.add_argument("--idf-threshold", type=float, default=DEFAULT_IDF_THRESHOLD,
                   help="township/village shorts whose jionlp idf is below this are "
                        f"treated as common words (0 disables; default {DEFAULT_IDF_THRESHOLD})")
    p.add_argument("--single-file", action="store_true",
                   help="write villages into admin_divisions.tsv too")
    return p.parse_args(argv)


def build(wheel_path: Path, args: argparse.Namespace) -> None:
    """Read the wheel and write every output file."""
    with zipfile.ZipFile(wheel_path) as wheel:
        version = wheel_version(wheel)
        locations = read_nested_text(wheel, LOCATION_MEMBER)
        idf = parse_idf(read_nested_text(wheel, IDF_MEMBER)) if args.idf_threshold > 0 else {}
    if version != JIONLP_VERSION:
        print(f"warning: wheel is jionlp {version}, pinned {JIONLP_VERSION}", file=sys.stderr)

    stoplist = read_stoplist(args.stoplist) if args.stoplist else SHORT_FORM_STOPLIST
    rows, reasons = build_rows(parse_locations(locations), frozenset(stoplist),
                               idf, args.idf_threshold)

    out = args.out_dir
    out.mkdir(parents=True, exist_ok=True)
    villages = [] if args.single_file else [r for r in rows if r.level == "village"]
    upper = rows if args.single_file else [r for r in rows if r.level != "village"]
    write_tsv(out / "admin_divisions.tsv", upper, header(version, "Chinese administrative divisions"))
    if villages:
        write_tsv(out / "admin_villages.tsv.gz", villages,
                  header(version, "Chinese villages and communities"))
    if not args.stoplist:
        write_stoplist(out / "short_form_stoplist.txt")
    write_notice(out / "NOTICE", version, args.idf_threshold)
    report(rows, reasons, out)


def report(rows: Sequence[Row], reasons: Counter[str], out: Path) -> None:
    """Print counts per level, suppression reasons and file sizes."""
    levels = Counter(r.level for r in rows)
    shorts = Counter(r.level for r in rows if r.short)
    for level in LEVELS:
        print(f"{level:<10} {levels[level]:>7} rows, {shorts[level]:>7} with short")
    for key, n in sorted(reasons.items()):
        print(f"  suppressed {key:<28} {n:>7}")
    for path in sorted(out.glob("*")):
        print(f"{path.name:<26} {path.stat().st_size:>10} bytes")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    if args.wheel:
        build(args.wheel, args)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(download_wheel(Path(tmp), JIONLP_VERSION), args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
