"""Untitled personal names, scored by evidence (rules/people.yaml, the person rule).

A candidate is a token shaped like a name: a surname (single or compound) with a one- or
two-character given name (`刘小涛`, `王强`), a surname token with the given-name token after it
(`李 | 德胜`), `老王` / `小胡` / `钱老` / `王氏`, a transliterated foreign name (`克林顿`,
`约翰·史密斯` also when the segmenter cut it at the dot, mostly transliteration characters:
`普密蓬阿杜德`, any parts joined by · after a title: `买买提·吐尔逊`), the foreign person a cup or a
prize is named after (`斯坦利杯`), or a personal name of three or more characters that the
dictionary lists (`爱因斯坦`). Its score starts from a prior for
the shape (the rule's `bare_name_score` for a frequent surname with a two-character given name
unknown to the dictionary), adjusted by the dictionary (a common word inside the name, jieba's `nr`
tag, how often its given-name characters stand in the given names of the dictionary's personal
names: `given_name_odds`), and rises by `cue_score` for a cue on each side: a title or a role noun
before it (记者, 村民, 总统, also with a modifier: 女歌手), a verb of saying or a form of address
after it (说, 表示, 先生), or a confirmed name next to it in an enumeration (`张三、李四`). In a
text that names many people with such evidence (news, a staff list) every shape the dictionary
does not speak against rises too, except the items of a list of things (`金宝、凌霄等项目`). A word
the text uses as a place (`城市|萨利巴`, `萨利巴|附近`, `在|萨利巴|签署协议`) is no name anywhere in
it. Names written one after another without separators (`王建华李志强张伟明`) are found by tiling
the characters when the run holds confirmed names, and a person named in full is found in short
too: the given name alone (`温家宝 … 家宝`) and the surname alone before a verb of saying, after a
preposition that introduces a person or before 的 (`黄晓明 … 黄说`, `被黄退回`, `在黄的办公室`).
Candidates reaching the threshold are masked; weaker ones with a cue, down to `NEAR_MISS`, are
reported as near misses (a bare shape below the threshold is not: government texts are full of
them, 农创客, 强转树).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from redact.common_words import PERSON_TAGS, CommonWords, is_han
from redact.recognizers.base import Candidate, TokenBounds

# jieba tags some three-character names as other proper nouns or even as times (its nz, t).
NAME_LIKE_TAGS = frozenset({"nz", "t"})
PLACE_TAG = "ns"
TRANSLITERATED_NAME_TAG = "nrt"
# Characters that end generic nouns (雷达站, 展陈馆, 马屿镇), villages and temples (乔庄, 杨店, 双林寺,
# 贾府), plurals, peoples and origins (文人们, 哈尼族, 巴西籍, 华裔), never or rarely a given name.
GENERIC_ENDINGS = frozenset("市县区镇乡村街路桥港山湖江河岛线站点器馆办社园堂段级队所局厅委会场库厂鱼们籍裔杯"
                            "庄屯寨坞岙店寺庙庵府族")
# Of those, the ones that end given names too (高云江, 李青山): a penalty, not a rejection.
NATURE_ENDINGS = frozenset("山江河")
# A family name, 家 and one of these ends the name of a village (陈家湾, 李家堡, 王家营): never a
# given name, although each character may end one after another character (李志营, 王建岗).
FAMILY_VILLAGE = "家"
FAMILY_VILLAGE_ENDINGS = frozenset("湾堡营洼沟坪坝峪墩埠圩垭畈集岗塘岭冲坡嘴楼桥窝铺河")
HOME = "家"  # 前往李建华家: a person's home, not a place named after a person
PEOPLE_OF_A_PLACE = "人"  # 波兰人: mostly transliteration characters and 人 name a people, not a person
# Words after which a surname-led token is a place or an organisation, not a person.
NOT_A_PERSON_AFTER = ("市", "县", "区", "镇", "乡", "村", "街", "路", "桥", "港", "山", "湖", "江", "河", "岛",
                      "公司", "集团", "银行", "学校", "大学", "中学", "小学", "医院", "社区", "片区", "园", "省",
                      "大街", "大道", "广场", "机场", "公园", "码头", "车站", "海峡", "半岛", "峡谷", "悬崖", "草原", "湾")
NAME_DOTS = "·・•"
NAME_DOT = re.compile(f"[{NAME_DOTS}]")
FAMILIAR_PREFIXES = "老小"
ANONYMISED = "某"            # 郑某: the surname of a person the text does not name
HONORIFIC_SUFFIXES = "氏老"  # 王氏, 钱老: a person called by the surname (dictionary words like 古老 are words)
# Endings of role nouns a name may follow (宇航员, 戏剧家, 消费者, 设计师); 家 and 师 only in words of
# three characters or more (国家, 大家, 老师 are no roles or are titles already).
ROLE_ENDINGS = ("员", "者")
LONG_ROLE_ENDINGS = ("家", "师")
# Modifiers a cue before a name may carry in the same token (女歌手, 著名画家).
CUE_MODIFIERS = ("著名", "知名", "年轻", "青年", "老", "大", "小", "女", "男", "名")
DEPUTY = "副"
ENUMERATION_JOINERS = "、和与及"
# A doctrine named after a person (邓小平理论, 凯恩斯主义), when the dictionary tags it as a personal name.
DOCTRINE_ENDINGS = ("理论", "思想", "主义")
# A cup or a prize named after a person (斯坦利杯, 普利策奖): the name, of MIN_EPONYM characters or more,
# transliterated or a personal name of the dictionary (Chinese ones are often places or words: 金秋杯).
EPONYM_ENDINGS = ("杯", "奖")
MIN_EPONYM = 3
LIST_END = "等"
# A list of two- and three-character items joined by 、 (马骏、何志强、梁建军), closed by a
# non-Han character or 等, and its items.
NAME_LIST = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}(?:、[\u4e00-\u9fff]{2,3})+(?=等|[^\u4e00-\u9fff]|$)")
LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{2,3}")
MIN_LIST_ITEMS = 3
SAYING = "说讲称"  # verbs of saying the segmenter glues to a one-character given name (王 | 强说)
# A list closed by 等 and a common noun of these tags lists things (金宝、凌霄等项目), unless the noun
# is a title, a cue before a name, a role (…员, …者) or one of PEOPLE_NOUNS (王强等人).
THING_NOUN_TAGS = frozenset({"n", "vn", "nz"})
PEOPLE_NOUNS = frozenset({"人", "人员", "人士", "同志", "干部", "代表", "领导", "嘉宾", "朋友", "家属", "同事", "战友"})
THRESHOLD = 0.5
# A name-shaped word the text uses as a place is no person, there or anywhere else in the text:
# after a noun for a settlement (城市 | 萨利巴) or a verb of going or lying somewhere (抵达 | 萨利巴),
# before a word of position (萨利巴 | 附近), between 在/于 and a verb of an event held somewhere (在 |
# 萨利巴 | 签署), unless the clause frames a time or a circumstance (在 | 普京 | 签署 | 法令 | 后), before
# the date of a dateline (萨利巴 | 5月25日电), or in a list closed by 等 and a noun for places (等地).
SETTLEMENT_NOUNS = ("城市", "首都", "首府", "省会", "州府", "小镇", "小城", "古城", "古镇", "名城", "重镇", "边城",
                    "港口", "港市", "海港", "县城", "山村", "村庄", "村落")
GOING_VERBS = ("位于", "地处", "坐落在", "坐落于", "赴", "抵达", "飞抵", "途经", "前往", "飞往", "驶往", "迁往",
               "移居", "定居")
POSITION_WORDS = frozenset({"附近", "一带", "境内", "境外", "市郊", "郊区", "城郊", "郊外", "近郊", "市区", "城区",
                            "市中心", "以东", "以西", "以南", "以北", "东部", "西部", "南部", "北部", "中部",
                            "东北部", "西北部", "东南部", "西南部", "沿岸", "海域", "上空", "地区"})
PLACE_LIST_NOUNS = ("地", "地方", "地区", "城市", "城镇", "国", "国家", "省", "市", "县", "乡镇", "村")
LOCATIVES = ("在", "于")
LOCATED_EVENTS = frozenset({"举行", "举办", "召开", "开幕", "闭幕", "揭幕", "签署", "签订", "落成", "登陆", "降落",
                            "着陆"})
FRAME_WORDS = frozenset({"上", "中", "下", "后", "时", "前", "之后", "以后", "之前", "以前", "之际", "期间", "时候",
                         "之下"})
CLAUSE_ENDS = frozenset("，。；：！？,;:!?\n")
DATELINE_DATE = re.compile(r"(?:[0-9０-９一二三四五六七八九十〇○]{1,3}月)?[0-9０-９一二三四五六七八九十〇○]{1,3}日电")
# Prepositions that introduce a person, and the possessive: a surname alone after or before them
# stands for a person the text names in full (给 | 黄, 陈 | 的).
PERSON_PREPOSITIONS = frozenset("给被跟向对经受让请找替叫")
POSSESSIVE = "的"
VERB_TAG = "v"  # jieba's verb tags: v, vn, vd …
COUNTING_CHARS = "一二两三四五六七八九十百千几每各这那该某上前后本0123456789"
SHORT_MENTION = 0.6          # 家宝 of 温家宝, 黄 of 黄菊 before 说: see NameScorer._short_mentions
NEAR_MISS = 0.4
MAX_SCORE = 0.95
MAX_CUE = 5  # longest cue word, in characters
SHAPE_MEMO = 1 << 16  # token shapes remembered per scorer
# Adjustments of the prior (bare_name_score) by shape and dictionary.
RARE_SURNAME = 0.25          # a surname outside the most frequent ones: needs a cue
ONE_CHAR_GIVEN = 0.25        # 王强: two characters are more often a word than a name
COMMON_PART = 0.25           # 张建国: the given name (or surname + first character) is a word too
SPLIT_TOKENS = 0.15          # the segmenter did not keep the name together
DICTIONARY_NAME = 0.1        # jieba tags it nr (three characters, frequent surname; a rare transliteration)
FREQUENT_DICTIONARY_NAME = 0.15  # a two-character nr entry that is frequent: an ordinary word (智慧)
MISTAGGED = 0.3              # 许立群: a rare dictionary entry under another tag; needs a cue
RARE_NAME_FREQUENCY = 100
# A word inside a name counts as an ordinary word when it is frequent: given names are often rare
# words (国强, 春生), while government prose is built from frequent ones (常态化, 全覆盖, 许可证).
ORDINARY_WORD = 100
ORDINARY_ENTRY = 500         # any tag, jieba's nr included (许可, 智慧)
FAMILIAR = 0.1               # 老王, 小胡
TRANSLITERATION = 0.25       # 克林顿: as often a foreign place as a person; needs a cue
SHORT_TRANSLITERATION = 0.4  # 库克: two characters
NATURE_ENDING = 0.2          # 高云江: also reads as a river or a mountain
DOTTED = 0.05                # 约翰·史密斯
# Parts joined by · with this share of usual transliteration characters (阿卜杜拉·居尔) are a
# foreign name too, with the prior of an undotted one (TRANSLITERATION): it needs a cue.
DOTTED_USUAL_SHARE = 0.6
MOSTLY_TRANSLITERATED = 0.1  # 普密蓬阿杜德: that share of them, undotted, unknown to the dictionary
# Given-name characters (see `given_name_odds`): a two-character given name whose odds have a
# geometric mean of LIKELY_GIVEN_ODDS or more (伟, 俊, 涛) rises by LIKELY_GIVEN; one with a
# character below UNLIKELY_GIVEN_ODDS, which names almost never use (务, 市, 工), drops by
# UNLIKELY_GIVEN.
LIKELY_GIVEN_ODDS = 0.15
UNLIKELY_GIVEN_ODDS = 0.015
LIKELY_GIVEN = 0.2
UNLIKELY_GIVEN = 0.15
ODDS_SMOOTHING = 5           # dictionary entries added to each character's count
# A text naming at least NAME_RICH_MIN distinct people with firm evidence, NAME_RICH_PER_1000 per
# thousand characters (news: several; a work report: a handful in the whole text) raises all
# candidates by NAME_RICH.
NAME_RICH = 0.15
NAME_RICH_MIN = 5
NAME_RICH_PER_1000 = 0.5
# Names written one after another without separators (a list of delegates: 王建华李志强张伟明…): in a
# run of HAN_RUN characters, a stretch of at least NAME_RUN_MIN name-shaped pieces in a row that
# holds NAME_RUN_CONFIRMED confirmed names makes every piece a name (NAME_RUN_SCORE); the
# segmenter's tokens are no guide there (王建华 | 李志强 | 张 | 伟明陈 | 国庆). A piece is a surname
# with a given name whose characters have a geometric mean of odds of RUN_GIVEN_ODDS or more, none
# below UNLIKELY_GIVEN_ODDS, or a personal name of the dictionary; government prose cut into such
# pieces (高效 | 方案 | 张贴) has no confirmed names among them and fails on the odds.
NAME_RUN_MIN = 3
NAME_RUN_CONFIRMED = 2
NAME_RUN_SCORE = 0.6
RUN_GIVEN_ODDS = 0.1
RUN_PIECE_LENGTHS = (2, 3, 4)
RUN_DICTIONARY_NAME = 0.3    # tie-breakers between tilings (see NameScorer._run_piece_gain)
RUN_FREQUENT_SURNAME = 0.2
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{6,}")


class Shape(NamedTuple):
    """Where a name sits in its token(s), the prior its shape gives and why."""

    offset: int
    length: int
    prior: float
    why: str
    before_only: bool = False
    doubtful: bool = False  # the dictionary or the segmenter speaks against it: no name-rich bonus
    tail_risk: bool = False  # 罗斯: may end a name begun in the token before (俄 | 罗斯): see `_ends_a_name`


@dataclass(frozen=True)
class NameCandidate:
    """A name-shaped span, its score so far and the evidence behind it."""

    start: int
    end: int
    score: float
    evidence: tuple[str, ...]
    cues: int = 0
    before_only: bool = False  # 库克: only a cue before counts (俄 | 罗斯 | 总统 is a country's president)
    doubtful: bool = False

    def plus(self, amount: float, why: str) -> NameCandidate:
        """The candidate with one more cue."""
        return replace(self.raised(amount, why), cues=self.cues + 1)

    def raised(self, amount: float, why: str) -> NameCandidate:
        """The candidate with `amount` more score, for `why`."""
        return replace(self, score=_score(self.score + amount), evidence=(*self.evidence, why))


@dataclass(frozen=True)
class NameLexicons:
    """The word lists the scorer reads."""

    surnames: Set[str]
    frequent_surnames: Set[str]
    very_frequent_surnames: Set[str]  # the only ones a bare two-character name (王强) may have
    stop_words: Set[str]
    cues_before: Set[str]
    cues_after: Set[str]
    transliteration: Set[str]
    places: Set[str] = frozenset()
    japanese_surnames: Set[str] = frozenset()
    given_odds: Mapping[str, float] = field(default_factory=dict)  # character → given_name_odds
    titles: Set[str] = frozenset()  # 小姐 of 王小姐: a title, not a given name


class NameScorer:
    """Finds name-shaped tokens and scores them by the evidence around them."""

    def __init__(self, lexicons: NameLexicons, dictionary: CommonWords, prior: float, cue: float) -> None:
        self.lex = lexicons
        self.dictionary = dictionary
        self.prior = prior
        self.cue = cue
        self.first_chars = {s[0] for s in (*lexicons.surnames, *lexicons.japanese_surnames)} \
            | set(lexicons.transliteration) | set(FAMILIAR_PREFIXES)
        # A token's shape depends on the token alone, and texts repeat their words.
        self._token_shape = lru_cache(maxsize=SHAPE_MEMO)(self._token_shape_of)
        self._split_shape = lru_cache(maxsize=SHAPE_MEMO)(self._split_shape_of)

    def candidates(self, text: str, bounds: TokenBounds, title_spans: Iterable[tuple[int, int]],
                   anchored: Sequence[Candidate]) -> Iterable[Candidate]:
        """Scored names in `text`, except the spans of `anchored` (the names a title found);
        `title_spans` are the titles in the text, which count as cues on either side."""
        titles = list(title_spans)
        title_ends = {end: text[start:end] for start, end in titles}
        title_starts = {start: text[start:end] for start, end in titles}
        confirmed = {(c.start, c.end) for c in anchored if c.score >= THRESHOLD}
        anchored_spans = {(c.start, c.end) for c in anchored}
        found = [self._with_cues(text, bounds, c, title_ends, title_starts) for c in self._shapes(text, bounds)]
        # A word with a person's cue where it does not read as a place (李建华说) is a name everywhere.
        as_place = [self._reads_as_place(text, bounds, c.start, c.end) for c in found]
        named = {text[c.start:c.end] for c, place in zip(found, as_place) if c.cues and not place}
        places = {text[c.start:c.end] for c, place in zip(found, as_place) if place} - named
        found = _within_none(found, _occurrences(text, places))
        found = [replace(c, doubtful=True) if self._listed_as_things(text, bounds, c.end, title_starts) else c
                 for c in found]
        found = self._in_name_rich_text(text, found, confirmed)
        found = self._list_items(text, found, confirmed)
        found = self._enumerations(text, found, confirmed)
        found = self._name_runs(text, found, confirmed)
        found = self._short_mentions(text, bounds, found, confirmed)
        for c in found:
            if (c.start, c.end) not in anchored_spans and (c.score >= THRESHOLD or c.cues and c.score >= NEAR_MISS):
                yield Candidate(c.start, c.end, c.score, "; ".join(c.evidence))

    def _reads_as_place(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """Whether `text[start:end]` reads as a place here (see SETTLEMENT_NOUNS)."""
        before = bounds.token_before(start)
        preceding = text[before[0]:start] if before is not None else ""
        after = bounds.token_after(end)
        following = text[after[0]:after[1]] if after is not None else ""
        if text.startswith(HOME, end):
            return False  # 前往|李建华|家中: a person's home
        if preceding.endswith(SETTLEMENT_NOUNS + GOING_VERBS) or following in POSITION_WORDS \
                or DATELINE_DATE.match(text, end) or _in_a_list_of_places(text, bounds, end):
            return True
        return following in LOCATED_EVENTS and preceding.endswith(LOCATIVES) and after is not None \
            and not self._framed_clause(text, bounds, after[1])

    @staticmethod
    def _framed_clause(text: str, bounds: TokenBounds, offset: int) -> bool:
        """Whether a word of time or circumstance (后, 时, 上) closes a frame in the rest of the
        clause from `offset` (在普京签署法令后, 在他举行的宴会上)."""
        while (token := bounds.token_after(offset)) is not None and text[token[0]] not in CLAUSE_ENDS:
            if text[token[0]:token[1]] in FRAME_WORDS:
                return True
            offset = token[1]
        return False

    def _short_mentions(self, text: str, bounds: TokenBounds, found: list[NameCandidate],
                        confirmed: Set[tuple[int, int]]) -> list[NameCandidate]:
        """Short forms of a person the text names in full (STYLE.md: every mention is masked):
        the given name of a three-character name as a token of its own (温家宝 … 家宝), unless it
        is an ordinary word or the text uses it as a place (向亚太 … 亚太 | 地区), and the surname
        alone where it stands for the person (黄菊 … 黄|说: see `_surname_context`)."""
        names = {text[s:e] for s, e in confirmed} | {text[c.start:c.end] for c in found if c.score >= THRESHOLD}
        full = {n for n in names if len(n) == 3 and is_han(n) and n[0] in self.lex.surnames}
        given = {n[1:]: n for n in sorted(full) if not self._ordinary(n[1:])}
        surnames = {n[0]: n for n in sorted(full)}
        if not given and not surnames:
            return found
        taken = sorted({(c.start, c.end) for c in found if c.score >= THRESHOLD} | set(confirmed))
        added: dict[tuple[int, int], NameCandidate] = {}
        pattern = "|".join(map(re.escape, sorted({*given, *surnames}, key=len, reverse=True)))
        tokens = [m for m in re.finditer(pattern, text)
                  if bounds.is_start(m.start()) and bounds.is_end(m.end())]  # a token of its own only
        places = {m.group() for m in tokens if m.group() in given and self._reads_as_place(text, bounds, *m.span())}
        for match in tokens:
            start, end = match.span()
            word = match.group()
            if word in places:
                continue
            if word in given:
                why = f"「{word}」: the given name of 「{given[word]}」, named in the text"
            elif word in surnames and (context := self._surname_context(text, bounds, start, end)):
                why = f"「{word}」: the surname of 「{surnames[word]}」, named in the text, {context}"
            else:
                continue
            if not any(s < end and start < e for s, e in taken):  # not a part of the full name (张|伟明)
                added[(start, end)] = NameCandidate(start, end, SHORT_MENTION, (why,), cues=1)
        if not added:
            return found
        return sorted([c for c in found if (c.start, c.end) not in added] + list(added.values()), key=lambda c: c.start)

    def _surname_context(self, text: str, bounds: TokenBounds, start: int, end: int) -> str | None:
        """Why a surname token alone stands for a person: before a cue after a name (黄 | 说); and,
        when no numeral precedes it (一周的, a week), after a preposition that introduces a person
        (跟 | 陈 | 交流, 受 | 陈 | 的影响) or before 的 (陈 | 的 | 办公室) if the dictionary knows the
        character as a surname above all (陈), or, if it is above all a word (黄 "yellow", 高 "high"),
        between such a preposition (or 在) and a verb or 的 (给 | 黄 | 送去, 在 | 黄 | 的; not 对 | 高 |
        学历)."""
        after = bounds.token_after(end)
        following = text[after[0]:after[1]] if after is not None else ""
        if following in self.lex.cues_after:
            return f"before 「{following}」"
        if start > 0 and text[start - 1] in COUNTING_CHARS:
            return None
        before = bounds.token_before(start)
        preceding = text[before[0]:before[1]] if before is not None else ""
        entry = self.dictionary.entries.get(text[start:end])
        if entry is not None and entry[1] in PERSON_TAGS:
            if preceding in PERSON_PREPOSITIONS:
                return f"after 「{preceding}」"
            return f"before 「{POSSESSIVE}」" if following == POSSESSIVE else None
        verb = self.dictionary.entries.get(following, (0, ""))[1].startswith(VERB_TAG)
        if preceding in PERSON_PREPOSITIONS and (verb or following == POSSESSIVE) \
                or preceding == LOCATIVES[0] and following == POSSESSIVE:
            return f"between 「{preceding}」 and 「{following}」"
        return None

    def _in_name_rich_text(self, text: str, found: list[NameCandidate], confirmed: Set[tuple[int, int]]
                           ) -> list[NameCandidate]:
        """Raise every candidate when the text names many people with firm evidence (a title or a
        cue): in news or a list of staff a name-shaped token is more often a name than in a work
        report, where such tokens are mostly abbreviations (安评, 强村, 农创客)."""
        names = {text[start:end] for start, end in confirmed}
        names.update(text[c.start:c.end] for c in found if c.cues and c.score >= THRESHOLD)
        if len(names) < NAME_RICH_MIN or len(names) * 1000 < NAME_RICH_PER_1000 * len(text):
            return found
        why = f"{len(names)} people named with a title or a cue in the text"
        return [c if c.doubtful else c.raised(NAME_RICH, why) for c in found]

    # -------------------------------------------------------------- shapes

    def _shapes(self, text: str, bounds: TokenBounds) -> Iterable[NameCandidate]:
        starts, ends, first_chars = bounds.starts, bounds.ends, self.first_chars
        last = len(starts) - 1
        joined_until = 0
        dotted = NAME_DOT.search(text) is not None
        for index in [i for i, start in enumerate(starts)  # a name led by any character when dotted: 买买提·吐尔逊
                      if text[start] in first_chars or dotted and NAME_DOT.search(text, start, ends[i] + 1)]:
            start, end = starts[index], ends[index]
            if dotted and (text[end - 1] in NAME_DOTS or text[end:end + 1] in NAME_DOTS):
                end = _dotted_end(text, starts, ends, index)
            if start < joined_until:
                continue  # the tail of a name joined by a dot (约翰· | 史密斯)
            if end > ends[index]:
                joined_until = end
            if end - start > 1:
                shape = self._token_shape(text[start:end])
            elif index < last and starts[index + 1] == end:
                shape = self._split_shape(text[start], text[end:ends[index + 1]])
                end = ends[index + 1]
            else:
                continue
            if shape is not None and not text.startswith(NOT_A_PERSON_AFTER, end):
                before_only = shape.before_only or shape.tail_risk and self._ends_a_name(text, bounds, start, end)
                yield NameCandidate(start + shape.offset, start + shape.offset + shape.length, _score(shape.prior),
                                    (shape.why,), before_only=before_only, doubtful=shape.doubtful)

    def _ends_a_name(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """Whether the token before `text[start:end]` begins a longer word or place with it
        (俄 | 罗斯 = 俄罗斯, 澳大 | 利亚 = 澳大利亚), or is itself a lone transliteration character
        (a foreign word the segmenter cut up): then the token is a name's tail, not a name."""
        token = bounds.token_before(start)
        if token is None:
            return False
        joined = text[token[0]:end]
        if joined in self.lex.places or joined in self.dictionary.entries:
            return True
        return token[1] - token[0] == 1 and text[token[0]] in self.lex.transliteration

    def _token_shape_of(self, word: str) -> Shape | None:
        """Where a name sits in one token and the prior of its shape, if it has a name's shape."""
        entry = self.dictionary.entries.get(word)
        if stopped_token(word, self.lex.stop_words, self.lex.given_odds) or word in self.lex.places:
            return None
        if entry is None and len(word) == 3 and word[-1] in SAYING:  # 王益|说: a verb glued to the name
            shape = self._token_shape_of(word[:-1])
            return None if shape is None else shape._replace(length=min(shape.length, 2 - shape.offset))
        if word.endswith(EPONYM_ENDINGS) and len(word) > MIN_EPONYM and (entry is None or entry[1] in NAME_LIKE_TAGS):
            return self._eponym(word)
        if entry is not None and entry[1] == PLACE_TAG and len(word) >= 3:
            shape = self._transliterated(word, None)  # 扎加洛: a foreign name the dictionary calls a place
            shapes = (None if shape is None else shape._replace(before_only=True, doubtful=True),
                      self._mistagged(word, entry))
            return max((s for s in shapes if s is not None), key=lambda s: s.prior, default=None)
        if entry is not None and word.endswith(DOCTRINE_ENDINGS):
            return self._doctrine(word)
        if entry is not None and entry[1] not in PERSON_TAGS:
            if len(word) != 3 or entry[1] not in NAME_LIKE_TAGS:
                return self._mistagged(word, entry)
            entry = None  # 周恩来, 刘彦彬: a name under another tag; no evidence either way
        shapes = [s for s in (self._chinese(word, entry), self._transliterated(word, entry), self._japanese(word),
                              self._familiar(word), self._dictionary_name(word, entry)) if s is not None]
        return max(shapes, key=lambda s: s.prior, default=None)

    def _eponym(self, word: str) -> Shape | None:
        """`斯坦利杯`, `普利策奖`: a cup or a prize named after a foreign person or a person the
        dictionary lists (three characters or more); the ending counts as a cue."""
        name = word[:-1]
        entry = self.dictionary.entries.get(name)
        usual = all(ch in self.lex.transliteration for ch in name)  # not 卡萨帝, a brand
        shape = self._transliterated(name, entry) if usual else self._dictionary_name(name, entry)
        if shape is None or len(name) < MIN_EPONYM:
            return None
        return Shape(0, len(name), shape.prior + self.cue, f"{shape.why}, in 「{word}」, named after a person")

    def _doctrine(self, word: str) -> Shape | None:
        """`邓小平理论`, `马克思主义`: a doctrine the dictionary lists (as a personal name or a
        noun), named after a person it lists; the person's name is a name wherever it stands."""
        author = word[:-len(next(e for e in DOCTRINE_ENDINGS if word.endswith(e)))]
        entry = self.dictionary.entries.get(author)
        if entry is None or entry[1] not in PERSON_TAGS:
            return None
        shape = self._token_shape(author)
        return None if shape is None else shape._replace(why=f"{shape.why}, in 「{word}」")

    def _mistagged(self, word: str, entry: tuple[int, str]) -> Shape | None:
        """`许立群`, `江建国`: a rare dictionary entry under another tag, shaped like a frequent surname
        with a two-character given name, or a Japanese name (`池田大作`): jieba lists many names so;
        with a cue, it is one."""
        if entry[0] >= RARE_NAME_FREQUENCY:
            return None
        if len(word) != 3 or word[0] not in self.lex.frequent_surnames:
            return self._japanese(word)
        shape = self._chinese(word, None)
        if shape is None:
            return None
        return shape._replace(prior=min(shape.prior, self.prior) - MISTAGGED,
                              why=f"{shape.why}, a rare dictionary word", doubtful=True)

    def _chinese(self, word: str, entry: tuple[int, str] | None) -> Shape | None:
        surname = self._surname(word)
        if surname is None or not is_han(word) or not 1 <= len(word) - len(surname) <= 2 \
                or word[-1] in GENERIC_ENDINGS - NATURE_ENDINGS or _village_name(word[len(surname):]):
            return None
        prior, notes, doubtful = self._chinese_prior(word, surname)
        if entry is not None and len(word) == 2:  # 智慧, 黄淮, 杜马: two-character "names" are mostly words
            doubtful = True
            if entry[0] >= RARE_NAME_FREQUENCY:
                prior -= FREQUENT_DICTIONARY_NAME
                notes.append("a frequent dictionary entry")
        elif entry is not None and surname not in self.lex.frequent_surnames:
            doubtful = True  # 吉隆坡, 冷不丁: with a less frequent surname the nr tag tells nothing
        elif entry is not None:  # 胡锦涛, 李长春: a name the dictionary lists, even if made of words
            prior += DICTIONARY_NAME
            notes.append("a name in the dictionary")
            doubtful = False
        return Shape(0, len(word), prior, f"「{word}」: surname 「{surname}」 + given name ({', '.join(notes)})",
                     doubtful=doubtful)

    def _chinese_prior(self, word: str, surname: str) -> tuple[float, list[str], bool]:
        """The prior of surname + given name, what lowered it and whether that was the dictionary."""
        prior, notes, doubtful = self.prior, [], False
        if len(surname) == 2 or surname not in self.lex.frequent_surnames:
            prior -= RARE_SURNAME
            notes.append("less frequent surname")
        given = word[len(surname):]
        if len(given) == 1:
            prior -= ONE_CHAR_GIVEN
            notes.append("one-character given name")
            # 安评, 金宝, 余慈: abbreviations and brands share the shape; names mostly have the most
            # frequent surnames, or a frequent one and a character mostly seen in given names (沈婷)
            doubtful = surname not in self.lex.very_frequent_surnames and not (
                surname in self.lex.frequent_surnames
                and self.lex.given_odds.get(given, 0.0) >= LIKELY_GIVEN_ODDS)
        elif self._ordinary(given) or self._ordinary(word[:2]):
            prior -= COMMON_PART
            notes.append("contains a common word")
            doubtful = True
        odds = self._given_odds(given, short=len(given) == 1)
        if odds:
            prior += odds
            notes.append("given-name characters" if odds > 0 else "a character names rarely use")
            doubtful = doubtful or odds < 0
        if word[-1] in NATURE_ENDINGS:
            prior -= NATURE_ENDING
            notes.append(f"ends like a place in 「{word[-1]}」")
            doubtful = True
        return prior, notes or ["frequent surname"], doubtful

    def _given_odds(self, given: str, short: bool) -> float:
        """The adjustment for the characters of a given name: UNLIKELY_GIVEN off when one is
        rarely a name's (务, 市), LIKELY_GIVEN on when they mostly are (俊伟), except for a
        one-character given name (`short`: 金宝, 张伟 are as often words and brands as names)."""
        odds = [self.lex.given_odds[ch] for ch in given if ch in self.lex.given_odds]
        if not odds:
            return 0.0
        if min(odds) < UNLIKELY_GIVEN_ODDS:
            return -UNLIKELY_GIVEN
        if not short and math.prod(odds) ** (1 / len(odds)) >= LIKELY_GIVEN_ODDS:
            return LIKELY_GIVEN
        return 0.0

    def _dictionary_name(self, word: str, entry: tuple[int, str] | None) -> Shape | None:
        """`爱因斯坦`: a personal name of three or more characters that the dictionary lists, not
        led by a surname nor written only in usual transliteration characters; it needs a cue."""
        if entry is None or entry[1] not in PERSON_TAGS or len(word) < 3 or not is_han(word) \
                or word[-1] in GENERIC_ENDINGS - NATURE_ENDINGS or _village_name(word[1:]):  # 云居寺, 陈家湾
            return None
        return Shape(0, len(word), self.prior - TRANSLITERATION, f"「{word}」: a personal name in the dictionary",
                     doubtful=True)

    def _split_shape_of(self, surname: str, given: str) -> Shape | None:
        """`李 | 德胜`: a surname token, then a one- or two-character token that is no word
        (`刘 | 洋等`, `王 | 强说`: without the 等 that closes a list or the verb of saying); not a
        frequent word before a token led by a frequent surname (有 | 马骏)."""
        if len(given) == 2 and given.endswith((LIST_END, *SAYING)):
            given = given[:1]
        if surname not in self.lex.surnames or not 1 <= len(given) <= 2 or not is_han(given) \
                or given[-1] in GENERIC_ENDINGS - NATURE_ENDINGS or _village_name(given) \
                or self._ordinary(given) and not self._given_name_word(given) or self._stopped(surname + given):
            return None
        if len(given) == 2 and given[0] in self.lex.frequent_surnames and surname not in self.lex.frequent_surnames \
                and self.dictionary.is_function_char(surname):
            return None  # 有 | 马骏: a verb before a name, not the rare surname 有
        prior, notes, _ = self._chinese_prior(surname + given, surname)
        entry = self.dictionary.entries.get(surname + given)
        listed = entry is not None and entry[1] in PERSON_TAGS and len(given) == 2 \
            and surname in self.lex.frequent_surnames
        if listed:  # 李 | 大钊: a name the dictionary lists, which the segmenter did not keep whole
            prior += DICTIONARY_NAME
            notes.append("a name in the dictionary")
        return Shape(0, 1 + len(given), prior - SPLIT_TOKENS,
                     f"「{surname}{given}」: surname 「{surname}」 + given name in two tokens ({', '.join(notes)})",
                     doubtful=not listed)

    def _transliterated(self, word: str, entry: tuple[int, str] | None) -> Shape | None:
        """`克林顿` (three or more transliteration characters), `库克` (two) or `约翰·史密斯`."""
        parts = _split_dots(word)
        dotted = len(parts) > 1
        letters = "".join(parts)
        usual = sum(ch in self.lex.transliteration for ch in letters)
        if not all(parts) or len(word) < 2 or not is_han(letters):
            return None
        if usual < len(letters) and not dotted:
            return self._mostly_transliterated(word, usual, entry)
        if usual < DOTTED_USUAL_SHARE * len(letters):  # 买买提·吐尔逊: as often a slogan (乡村·家园)
            return Shape(0, len(word), self.prior - TRANSLITERATION, f"「{word}」: parts joined by ·, a name after a title",
                         before_only=True, doubtful=True)
        short = not dotted and len(word) == 2
        prior = self.prior - (TRANSLITERATION if usual < len(letters) else DOTTED if dotted
                              else SHORT_TRANSLITERATION if short else TRANSLITERATION)
        if entry is not None and entry[0] < RARE_NAME_FREQUENCY:
            prior += DICTIONARY_NAME
        # 俄 | 罗斯 | 总统 is Russia's president: a cue after a short one counts only when the
        # dictionary calls it a transliterated personal name (库克, jieba's nrt), or when it
        # does not end a name begun in the token before (琼斯 | 说)
        return Shape(0, len(word), prior, f"「{word}」: transliterated foreign name" + (" (joined by ·)" if dotted else ""),
                     tail_risk=short and (entry is None or entry[1] != TRANSLITERATED_NAME_TAG))

    def _mostly_transliterated(self, word: str, usual: int, entry: tuple[int, str] | None) -> Shape | None:
        """`普密蓬阿杜德`: three or more characters, mostly of transliteration, that the
        dictionary does not know; weaker than a name of usual characters only, it needs a cue."""
        if entry is not None or len(word) < 3 or usual < DOTTED_USUAL_SHARE * len(word) \
                or word[-1] in GENERIC_ENDINGS or word.endswith(PEOPLE_OF_A_PLACE) \
                or word.endswith(DOCTRINE_ENDINGS):  # 马克思列宁主义: a doctrine, not a name
            return None
        return Shape(0, len(word), self.prior - TRANSLITERATION - MOSTLY_TRANSLITERATED,
                     f"「{word}」: mostly transliteration characters", doubtful=True)

    def _japanese(self, word: str) -> Shape | None:
        """`村山富市`: a frequent Japanese surname of two or three characters and a two-character
        given name; as rare in a local document as a transliterated name, it needs a cue too."""
        surname = next((word[:n] for n in (3, 2) if word[:n] in self.lex.japanese_surnames), None)
        given = word[len(surname):] if surname else ""
        if surname is None or len(given) != 2 or not is_han(word) \
                or given[-1] in GENERIC_ENDINGS and given in self.dictionary.entries:  # 中村社区, not 村山富市
            return None
        return Shape(0, len(word), self.prior - TRANSLITERATION,
                     f"「{word}」: Japanese surname 「{surname}」 + given name")

    def _familiar(self, word: str) -> Shape | None:
        """`老王`, `小胡`, `王氏`, `钱老`: the surname of a person called by it; `郑某`: of a person
        left unnamed. Not a frequent word of its own, whatever jieba's tag (小康, 老虎)."""
        if len(word) != 2 or self.dictionary.entries.get(word, (0, ""))[0] >= ORDINARY_ENTRY:
            return None
        if word[0] in FAMILIAR_PREFIXES and word[1] in self.lex.frequent_surnames:
            return Shape(1, 1, self.prior - FAMILIAR, f"「{word}」: a surname called with 「{word[0]}」")
        if word[1] == ANONYMISED and word[0] in self.lex.frequent_surnames:
            return Shape(0, 1, self.prior - FAMILIAR, f"「{word}」: a surname with 「{ANONYMISED}」")
        if word[1] in HONORIFIC_SUFFIXES and word[0] in self.lex.frequent_surnames:
            return Shape(0, 1, self.prior - FAMILIAR, f"「{word}」: a surname called with 「{word[1]}」")
        return None

    def _ordinary(self, part: str) -> bool:
        """A frequent dictionary word (常态, 覆盖, 许可), not a rare one that given names share (国强)."""
        entry = self.dictionary.entries.get(part)
        return entry is not None and (entry[0] >= ORDINARY_ENTRY
                                      or entry[0] >= ORDINARY_WORD and self.dictionary.is_common(part))

    def _given_name_word(self, part: str) -> bool:
        """A frequent word the dictionary tags as a personal name (光荣 of 杨光荣), and no title (小姐):
        after a surname token it may be the given name; the cues around it decide."""
        entry = self.dictionary.entries.get(part)
        return len(part) == 2 and entry is not None and entry[1] in PERSON_TAGS and part not in self.lex.titles

    def _surname(self, word: str) -> str | None:
        for length in (2, 1):
            if word[:length] in self.lex.surnames:
                return word[:length]
        return None

    def _stopped(self, word: str) -> bool:
        return any(word[:n] in self.lex.stop_words for n in range(1, len(word) + 1))

    # -------------------------------------------------------------- cues

    def _with_cues(self, text: str, bounds: TokenBounds, candidate: NameCandidate,
                   title_ends: Mapping[int, str], title_starts: Mapping[int, str]) -> NameCandidate:
        before = self._cue_before(text, bounds, candidate.start, title_ends)
        if before:
            candidate = candidate.plus(self.cue, f"「{before}」 before it")
        elif candidate.before_only:
            return candidate
        after = self._cue_after(text, bounds, candidate.end, title_starts)
        if after:
            candidate = candidate.plus(self.cue, f"「{after}」 after it")
        return candidate

    def _cue_before(self, text: str, bounds: TokenBounds, start: int, title_ends: Mapping[int, str]
                    ) -> str | None:
        if start in title_ends:
            return title_ends[start]
        for n in range(min(MAX_CUE, start), 0, -1):
            if text[start - n:start] in self.lex.cues_before and bounds.is_start(start - n):
                return text[start - n:start]
        token = bounds.token_before(start)
        word = text[token[0]:start] if token is not None else ""
        return word if word and (self._is_role(word) or self._modified_cue(word)) else None

    def _modified_cue(self, word: str) -> bool:
        """A cue before a name with a modifier glued to it: 女歌手, 著名画家."""
        return any(word.startswith(modifier) and word[len(modifier):] in self.lex.cues_before
                   for modifier in CUE_MODIFIERS)

    def _is_role(self, word: str) -> bool:
        """A dictionary noun for a kind of person: 宇航员, 消费者, 戏剧家, 设计师."""
        return (len(word) >= 2 and word.endswith(ROLE_ENDINGS) or len(word) >= 3 and word.endswith(LONG_ROLE_ENDINGS)) \
            and word in self.dictionary.entries

    def _cue_after(self, text: str, bounds: TokenBounds, end: int, title_starts: Mapping[int, str]
                   ) -> str | None:
        if end in title_starts:
            return title_starts[end]
        if text.startswith(DEPUTY, end) and end + len(DEPUTY) in title_starts:
            return DEPUTY + title_starts[end + len(DEPUTY)]  # 托娅副外长: the deputy of a listed title
        for n in range(min(MAX_CUE, len(text) - end), 0, -1):
            if text[end:end + n] in self.lex.cues_after and bounds.is_end(end + n):
                return text[end:end + n]
        return None

    def _listed_as_things(self, text: str, bounds: TokenBounds, end: int, title_starts: Mapping[int, str]) -> bool:
        """`金宝、凌霄等项目`: a list closed by 等 and a noun for things, not for people (等同志,
        等人, 等选手): its items are no names, whatever they look like."""
        end = _list_end(text, bounds, end)
        if end is None or not text.startswith(LIST_END, end) or end + 1 in title_starts:
            return False
        noun = bounds.token_after(end + 1)
        word = text[noun[0]:noun[1]] if noun is not None else ""
        entry = self.dictionary.entries.get(word)
        return entry is not None and entry[1] in THING_NOUN_TAGS and word not in PEOPLE_NOUNS \
            and word not in self.lex.cues_before and not self._is_role(word)

    # -------------------------------------------------------------- enumerations

    def _enumerations(self, text: str, found: list[NameCandidate], confirmed: Set[tuple[int, int]]
                      ) -> list[NameCandidate]:
        """`张三、李四`: a name-shaped candidate listed next to a confirmed name gains a cue, once;
        a forward and a backward sweep carry the confirmation along a whole list."""
        ordered = sorted(found, key=lambda c: c.start)
        starts = {start for start, _ in confirmed}
        ends = {end for _, end in confirmed}
        boosted: set[int] = set()
        for indices in (range(len(ordered)), range(len(ordered) - 1, -1, -1)):
            for i in indices:
                c = ordered[i]
                if c.score < THRESHOLD and i not in boosted and _listed_next_to(text, c, starts, ends):
                    ordered[i] = c = c.plus(self.cue, "listed next to a confirmed name")
                    boosted.add(i)
                if c.score >= THRESHOLD:
                    starts.add(c.start)
                    ends.add(c.end)
        for i, c in enumerate(ordered):  # 张三、王五、李四: a confirmed name on each side, a cue on each side
            if c.score < THRESHOLD and all(_listed_sides(text, c, starts, ends)):
                ordered[i] = c.plus(self.cue, "listed between two confirmed names")
        return ordered

    def _list_items(self, text: str, found: list[NameCandidate], confirmed: Set[tuple[int, int]]
                    ) -> list[NameCandidate]:
        """`马骏、何志强、梁建军、郑和平`: in a list whose items are mostly confirmed names, the other
        items led by a frequent surname are names too, even when the rest reads as a word (建军,
        和平: given names as much as words), unless the whole is a common word or a place."""
        sure = set(confirmed) | {(c.start, c.end) for c in found if c.score >= THRESHOLD}
        spans = {(c.start, c.end): i for i, c in enumerate(found)}
        added: list[NameCandidate] = []
        for run in NAME_LIST.finditer(text):
            items = [(run.start() + m.start(), run.start() + m.end()) for m in LIST_ITEM.finditer(run.group())]
            named = [item for item in items if item in sure or self._bare_list_name(text[item[0]:item[1]])]
            if len(items) < MIN_LIST_ITEMS or len(named) < len(items) and 2 * sum(i in sure for i in items) < len(items):
                continue  # neither every item name-shaped, nor most of them confirmed names
            for start, end in items:
                if (start, end) in sure or not self._bare_list_name(text[start:end]):
                    continue
                why = "an item of a list of names"
                if (start, end) in spans:
                    i = spans[(start, end)]
                    found[i] = found[i].plus(self.cue, why)
                else:
                    added.append(NameCandidate(start, end, THRESHOLD, (why,), cues=1))
        return found + added

    def _bare_list_name(self, word: str) -> bool:
        """A list item shaped like a name: a frequent surname first, and the whole no common word,
        place name or word ending like a place (石门, 叶村)."""
        entry = self.dictionary.entries.get(word)
        return word[0] in self.lex.frequent_surnames and not self.dictionary.is_common(word) \
            and word not in self.lex.places and (entry is None or entry[1] != PLACE_TAG) \
            and word[-1] not in GENERIC_ENDINGS

    # -------------------------------------------------------------- names written together

    def _name_runs(self, text: str, found: list[NameCandidate],
                   confirmed: Set[tuple[int, int]]) -> list[NameCandidate]:
        """`王建华李志强张伟明陈国庆`: every name of a run that holds confirmed ones, each found by
        tiling the characters (the segmenter cuts such runs across the names: 张 | 伟明陈 | 国庆)."""
        sure = set(confirmed) | {(c.start, c.end) for c in found if c.score >= THRESHOLD}
        sure_starts = sorted(start for start, _ in sure)
        pieces: list[tuple[int, int, int]] = []
        for run in HAN_RUN.finditer(text):
            if _any_within(sure_starts, run.start(), run.end()):
                pieces.extend(self._run_pieces(run.group(), run.start(), sure))
        if not pieces:
            return found
        spans = {(start, end) for start, end, _ in pieces}
        kept = [c for c in found if (c.start, c.end) in spans
                or not any(c.start < end and start < c.end for start, end, _ in pieces)]
        by_span = {(c.start, c.end): c for c in kept}
        for start, end, count in pieces:
            why = f"one of {count} names written together, {NAME_RUN_CONFIRMED} or more of them confirmed"
            c = by_span.get((start, end)) \
                or NameCandidate(start, end, 0.0, (f"「{text[start:end]}」: a name-shaped piece",))
            if c.score < NAME_RUN_SCORE:
                by_span[(start, end)] = replace(c, score=NAME_RUN_SCORE, evidence=(*c.evidence, why))
        return sorted(by_span.values(), key=lambda c: c.start)

    def _run_pieces(self, run: str, offset: int, sure: Set[tuple[int, int]]
                    ) -> list[tuple[int, int, int]]:
        """The pieces (start, end, stretch size) of the stretches of names in `run` that qualify."""
        tiling = self._tile(run)
        pieces: list[tuple[int, int, int]] = []
        stretch: list[tuple[int, int]] = []
        for piece in [*tiling, None]:
            if piece is not None and stretch and stretch[-1][1] == piece[0]:
                stretch.append(piece)
                continue
            spans = [(offset + s, offset + e) for s, e in stretch]
            if len(spans) >= NAME_RUN_MIN and sum(span in sure for span in spans) >= NAME_RUN_CONFIRMED:
                pieces.extend((s, e, len(spans)) for s, e in spans)
            stretch = [] if piece is None else [piece]
        return pieces

    def _tile(self, run: str) -> list[tuple[int, int]]:
        """The name pieces of the tiling of `run` that covers most characters with names (ties:
        the likelier given names); characters outside names are left alone."""
        best: list[tuple[float, tuple[int, int] | None, int]] = [(0.0, None, 0)] * (len(run) + 1)
        for end in range(1, len(run) + 1):
            best[end] = (best[end - 1][0], None, end - 1)
            for length in RUN_PIECE_LENGTHS:
                if end >= length:
                    gain = self._run_piece_gain(run[end - length:end])
                    if gain is not None and best[end - length][0] + gain > best[end][0]:
                        best[end] = (best[end - length][0] + gain, (end - length, end), end - length)
        pieces = []
        end = len(run)
        while end > 0:
            _, piece, end = best[end]
            if piece is not None:
                pieces.append(piece)
        return pieces[::-1]

    def _run_piece_gain(self, word: str) -> float | None:
        """How much a name-shaped piece adds to a tiling, or None when it is no name: its length,
        more for a name of the dictionary or a frequent surname, less for given-name characters
        names rarely use: a tie-breaker between tilings that cover as much (王敏 | 王凤 | 王芳 over
        王敏王 | 凤王芳, where the less frequent surname 凤 leads a piece)."""
        if word[-1] in GENERIC_ENDINGS or self._stopped(word) or word in self.lex.places or _village_name(word[1:]):
            return None
        entry = self.dictionary.entries.get(word)
        if entry is not None and entry[1] in PERSON_TAGS and len(word) >= 3:
            return len(word) + RUN_DICTIONARY_NAME
        surname = self._surname(word)
        if surname is None or not 1 <= len(word) - len(surname) <= 2 \
                or entry is not None and entry[1] not in PERSON_TAGS and self._ordinary(word):
            return None
        odds = [self.lex.given_odds.get(ch, 0.0) for ch in word[len(surname):]]
        mean = math.prod(odds) ** (1 / len(odds))
        if min(odds) < UNLIKELY_GIVEN_ODDS or mean < RUN_GIVEN_ODDS:
            return None
        known = RUN_DICTIONARY_NAME if entry is not None else 0.0
        frequent = RUN_FREQUENT_SURNAME if surname in self.lex.frequent_surnames else 0.0
        return len(word) + known + frequent + math.log(mean) / 10


def given_name_odds(lines: Iterable[str], surnames: Set[str]) -> dict[str, float]:
    """Per character, the share of the dictionary entries holding it that are personal names
    with it in the given name (a single-character surname of `surnames`, then one or two
    characters), smoothed by ODDS_SMOOTHING entries: 伟 0.7, 明 0.3, 市 0.01. `lines` are
    jieba's dictionary lines (word, frequency, tag)."""
    given: Counter[str] = Counter()
    overall: Counter[str] = Counter()
    for line in lines:
        word, _, tag = line.split(" ")
        overall.update(set(word))
        if tag in PERSON_TAGS and len(word) in (2, 3) and word[0] in surnames:
            given.update(set(word[1:]))
    return {ch: round(given[ch] / (count + ODDS_SMOOTHING), 4) for ch, count in overall.items()}


def stopped_token(word: str, stop_words: Set[str], given_odds: Mapping[str, float]) -> bool:
    """Whether a token is or begins with a stop word (原, 高度, 周一), except a three-character token
    whose first two characters are the stop word and whose last is a given-name character (王国栋,
    党建华: the segmenter kept a name together; 代办制, 智慧化 end in characters names rarely use)."""
    return any(word[:n] in stop_words for n in range(1, len(word) + 1)
               if not (n == 2 and len(word) == 3 and given_odds.get(word[2], 0.0) >= LIKELY_GIVEN_ODDS))


def _list_end(text: str, bounds: TokenBounds, end: int) -> int | None:
    """Where the enumeration that a token ending at `end` belongs to ends (金宝、凌霄 | 等), or
    None when the segmentation loses it."""
    while end < len(text) and text[end] in ENUMERATION_JOINERS:
        item = bounds.token_after(end + 1)
        if item is None:
            return None
        end = item[1]
    return end


def _in_a_list_of_places(text: str, bounds: TokenBounds, end: int) -> bool:
    """Whether the token ending at `end` is an item of a list closed by 等 and a noun for places
    (甲、乙等地, 甲及乙等城镇)."""
    closed = _list_end(text, bounds, end)
    return closed is not None and text.startswith(LIST_END, closed) \
        and any(text.startswith(noun, closed + 1) and bounds.is_end(closed + 1 + len(noun))
                for noun in PLACE_LIST_NOUNS)


def _occurrences(text: str, words: Set[str]) -> list[tuple[int, int]]:
    """The spans of every occurrence of `words` in `text`."""
    if not words:
        return []
    return [m.span() for m in re.finditer("|".join(map(re.escape, sorted(words, key=len, reverse=True))), text)]


def _within_none(found: list[NameCandidate], spans: Sequence[tuple[int, int]]) -> list[NameCandidate]:
    """The candidates that lie within none of `spans` (丹尼利 of 丹尼利昆; 陈巴罗 is not within 巴罗)."""
    return [c for c in found if not any(start <= c.start and c.end <= end for start, end in spans)]


def _village_name(given: str) -> bool:
    """Whether what follows a surname names a village: 家 and a village ending (陈|家湾)."""
    return len(given) == 2 and given[0] == FAMILY_VILLAGE and given[1] in FAMILY_VILLAGE_ENDINGS


def _score(value: float) -> float:
    """A score within bounds, rounded so that sums of adjustments compare exactly (0.35 + 0.15)."""
    return round(min(MAX_SCORE, value), 4)


def _split_dots(word: str) -> list[str]:
    for dot in NAME_DOTS[1:]:
        word = word.replace(dot, NAME_DOTS[0])
    return word.split(NAME_DOTS[0])


def _dotted_end(text: str, starts: Sequence[int], ends: Sequence[int], index: int) -> int:
    """The end of token `index` and the tokens a name dot joins to it (约翰 | ·史密斯, 约翰· |
    史密斯: the segmenter cut a foreign name at its dot)."""
    end = ends[index]
    while index + 1 < len(starts) and starts[index + 1] == end and end < len(text) \
            and (text[end - 1] in NAME_DOTS or text[end] in NAME_DOTS):
        index += 1
        end = ends[index]
    return end


def _any_within(ordered: Sequence[int], low: int, high: int) -> bool:
    """Whether a value of `ordered` lies in [low, high)."""
    index = bisect.bisect_left(ordered, low)
    return index < len(ordered) and ordered[index] < high


def _listed_next_to(text: str, c: NameCandidate, starts: Set[int], ends: Set[int]) -> bool:
    """Whether a confirmed name (by its `starts` and `ends`) ends one joiner before `c` or starts
    one joiner after it."""
    return any(_listed_sides(text, c, starts, ends))


def _listed_sides(text: str, c: NameCandidate, starts: Set[int], ends: Set[int]) -> tuple[bool, bool]:
    """Whether a confirmed name ends one joiner before `c`, and whether one starts one joiner after it."""
    before = c.start > 0 and text[c.start - 1] in ENUMERATION_JOINERS and c.start - 1 in ends
    return before, c.end < len(text) and text[c.end] in ENUMERATION_JOINERS and c.end + 1 in starts
