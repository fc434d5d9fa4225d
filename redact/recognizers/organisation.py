"""Organisation recognizer: a body found by its generic word (`…局`, `…公司`, `…大学`, `…日报`).

From the generic word (the suffix) the walk goes back over the pkuseg tokens while they can be
part of a name: generic words (民政, 交通运输, 科技), place names (杭州市, 淳安县), proper names
unknown to the dictionary or tagged as names (恒达, 赛孚), qualifiers too coarse to identify
anyone (国家, 中央, provinces, countries) and names of national bodies (国务院, 工行). A frequent
verb, a function word or punctuation ends it.

The finding is the body's own proper part, the one nearest its generic words, as STYLE.md §4
asks: the core of its place (淳安 of 杭州市淳安县民政局: the admin suffix and 民政局 stay, 杭州市
is the place rules' business) or its run of proper names (恒达 of 浙江省恒达科技公司). A coarse
part (国家 of 国家统计局, 浙江 of 浙江省人民政府, 美国 of 美国国会) is a finding too, which the
allow-list keeps: the body is recognised and nothing is masked. A rule with `national_score`
also finds the national bodies of its list whole (kept the same way), and the famous ones of its
`famous_file` (北大, 八路军, 海尔), which the rule itself keeps: a village or street spelled the
same stays a place to mask (长虹村). A body named by its function alone (市委, 人事部,
市农业农村局) is found whole and kept by a rule with `generic_score`; a generic reference
(有关部门, 各级党委, 该公司) yields nothing. A rule with `enumeration_score` also finds the firms
of a list: the unknown names before a count of firms (恒达、赛孚等5家企业) and the other items of
a list that holds a masked firm (安通、自立、XX等本地企业).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import takewhile
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from redact.common_words import VERY_FREQUENT_WORD, common_words, is_han
from redact.recognizers.base import QUOTE_PAIRS, Candidate, RuleRecognizer, TokenBounds, leftmost_longest
from redact.recognizers.lexicon import Entry, TermMatcher, division_names
from redact.rules import OrganisationRule, read_list

NAME, PLACE, COARSE, NATIONAL, MASKED = "name", "place", "coarse", "national", "masked"
GENERIC, ORG_WORD = "generic", "organisation word"  # 科技, 民政; 银行, 大学 (another body's generic word)
# An ordinary two-character word ending in the suffix (教委, 女队, 展厅, 开局): a body only after a place.
SHORT_ORG_WORD = "short organisation word"
ORG_WORDS = frozenset({ORG_WORD, SHORT_ORG_WORD})
PROPER_KINDS = frozenset({NAME, PLACE, COARSE, NATIONAL, MASKED})
NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt", "nz"})
ORG_TAG = "nt"
# jieba tags many ordinary words nr, nz or nt (慈善, 蓝天, 摩托车, 人民军): only rare ones count as names.
RARE_NAME = {"nr": 500, "nz": 100, "nt": 100}
DIRECTIONS = frozenset("东南西北中")  # 中西|部, 西北|地区: directions, not names
GRAMMATICAL_TAGS = frozenset({"p", "c", "u", "uj", "ul", "r"})
# The legal forms that close a firm's full name (浙江天顺生物科技有限公司).
FIRM_FORMS = ("公司", "集团")
PRONOUN_TAG = "r"  # 各级, 该, 本: a body after one is a reference, not a name
OPENER_TAGS = GRAMMATICAL_TAGS | {"v", "d", "f", "q", "y", "zg"}  # never open a name (是, 也, 上, 家)
# Dictionary tags of words that can stand inside a name: nouns, verbal nouns, distinguishing
# words, abbreviations (民政, 交通运输, 中级, 工商); frequent name-tagged words (城市) count too.
GENERIC_TAGS = frozenset({"n", "vn", "v", "an", "a", "b", "j", "l", "ng", "nz", "nt", "ns", "nr", "nrt", "s"})
# Verbs only when rare: jieba tags nouns v too (专卖); frequent verbs are verbs (成立, 推动).
VERB_TAGS = frozenset({"v"})
# A word holding a one-character suffix (体|委) is an organisation word when it is a rare noun.
PIECE_TAGS = frozenset({"n", "j", "nt", "nz", "l"})
# Dictionary tags of words that name a body: organisations (卫生部) and abbreviations (党委, 足协).
BODY_TAGS = frozenset({"nt", "j"})
FUNCTION_TAGS = frozenset({"n", "vn", "nz", "j", "nt", "l"})
ORG_WORD_FREQUENCY = 600  # 女队 (377) and 总公司 (506) name bodies; 排队 (673) and 格局 (1666) do not
ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "街道", "地区", "社区",
                  "省", "市", "县", "区", "州", "镇", "乡", "村", "盟", "旗")
ADMIN_CHARS = frozenset("省市县区州镇乡村盟旗")
ADMIN_ENDINGS = frozenset(suffix[-1] for suffix in ADMIN_SUFFIXES)
# Generic words an organisation name may contain before its own suffix (宁波大学|科学技术学院).
INNER_ORG_WORDS = ("有限公司", "公司", "集团", "大学", "学院", "中学", "小学", "医院", "银行", "政府",
                   "日报", "协会", "学会", "委员会", "中心", "局", "厅", "部", "委", "社", "报", "厂", "院")
PLACEHOLDER = re.compile(r"[Xx]{2,}")
ORDINAL = re.compile(r"第?[一二三四五六七八九十百零〇0-9０-９]+")
LATIN_NAME = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]{2,12}")
MAX_UNITS = 8
# Two or more items (Chinese characters only) before a count of firms: 恒达、赛孚等5家基金公司.
ENUMERATION = re.compile(r"((?:[\u4e00-\u9fff]{2,8}、)+[\u4e00-\u9fff]{2,8})等[0-9一二三四五六七八九十两]+余?家"
                         r"[\u4e00-\u9fff]{0,6}?(?:企业|公司)")
# A 、-list of short items, and a placeholder item (XX, XX集团) in it.
ITEM_LIST = re.compile(r"[\u4e00-\u9fffXx]{2,8}(?:、[\u4e00-\u9fffXx]{2,8})+")
PLACEHOLDER_ITEM = re.compile(r"[Xx]{2,}")
# What may follow a list of firms with a bare placeholder in it: 等本地有色金属重点企业.
FIRMS_AFTER_LIST = re.compile(r"等[\u4e00-\u9fff]{0,10}?(?:企业|公司|集团|厂商)")
# Dictionary tags of words that are never a firm's name: distinguishing adjectives (国有, 民营),
# pronouns, directions, numerals, classifiers, prepositions, conjunctions, adverbs, particles.
NO_FIRM_TAGS = frozenset({"b", "r", "f", "m", "q", "p", "c", "d", "u"})
BODY_ENDINGS = ("局", "委", "办", "部", "厅", "院", "所", "站", "中心", "队")
LIST_END = "等"
MAX_TITLE = 12  # characters inside 《》 before a publication word
# Closing → opening quotation marks: a quoted name right before the suffix (“红双喜”公司, 『花儿』队).
QUOTES = {closing: opening for opening, closing in QUOTE_PAIRS.items()} | {"\"": "\""}
MAX_QUOTED = 8
SHORT_NAME = 2  # a national name this long must end a token, even before a title
TITLE_CHAR = "长"  # 外交部|长
# 北大|路, 长虹|村: a street or a place named after a body, not the body.
PLACE_CHARS = frozenset("路街巷弄道桥") | ADMIN_CHARS
FAMOUS_KEPT = "a body known to all by its name alone is too coarse to identify a locality"


@dataclass(frozen=True)
class Unit:
    """One word of an organisation name; `core_end` ends the proper part of a place (北京|市)."""

    start: int
    end: int
    kind: str
    core_end: int


@dataclass(frozen=True)
class Vocabulary:
    """What the walk needs to know about words: places, coarse qualifiers, national bodies."""

    places: frozenset[str]
    coarse: frozenset[str]
    qualifiers: frozenset[str]  # the coarse words that are no place (国家, 中央)
    national: frozenset[str]  # with the famous names
    famous: frozenset[str]  # kept by the rule rather than by the allow-list
    stop_words: frozenset[str]
    titles: frozenset[str]


class OrganisationRecognizer(RuleRecognizer):
    """The proper-name parts of organisation names ending in one of the rule's suffixes."""

    def __init__(self, rule: OrganisationRule) -> None:
        suffixes = sorted(rule.suffixes, key=len, reverse=True)
        self.suffix_pattern = re.compile("|".join(map(re.escape, suffixes))) if suffixes else None
        self.stop_follow = re.compile("|".join(map(re.escape, rule.stop_follow))) if rule.stop_follow else None
        self.vocabulary = vocabulary(rule)
        self.national = national_matcher(self.vocabulary.national, self.vocabulary.famous)
        self.inner_endings = frozenset(INNER_ORG_WORDS) | frozenset(rule.suffixes)
        self.longest_ending = max(map(len, self.inner_endings))
        self.dictionary = common_words()
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        national, inside = self.national.names(text, bounds)
        if self.rule.national_score is not None:
            for end, start in national.items():
                name = text[start:end]
                kept = FAMOUS_KEPT if name in self.vocabulary.famous else None
                yield Candidate(start, end, self.rule.national_score,
                                f"「{name}」 is a national or international body", kept=kept)
        if self.rule.enumeration_score is not None:
            yield from self._enumerated(text, bounds)
            yield from self._listed_with_firms(text, bounds)
            yield from self._alone_before_firms(text, bounds)
        if self.suffix_pattern is None:
            return
        seen: set[tuple[int, int]] = set()
        for match in self.suffix_pattern.finditer(text):
            start, end = match.span()
            if start in inside or end - 1 in inside or not self._suffix_stands_alone(text, bounds, end):
                continue  # inside a national body's name (新华社, 外交部), or not a suffix (局长)
            if self._ends_common_word(text, bounds, start, end):
                continue  # 申|报 in 亿元申报工作: the end of an ordinary word
            units = self._units(text, bounds, (start, end), national)
            found = list(self._proper_parts(text, units, (start, end)))
            if not found and self.rule.generic_score is not None:
                found = self._generic_body(text, bounds, units, (start, end))
            for candidate in found:
                if (candidate.start, candidate.end) not in seen:
                    seen.add((candidate.start, candidate.end))
                    yield candidate

    def _enumerated(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """The names listed before a count of firms (恒达、深圳赛孚等5家基金公司): an item that is a
        name unknown to the dictionary, after the place that may open it."""
        for match in ENUMERATION.finditer(text):
            offset = match.start(1)
            for index, item in enumerate(match.group(1).split("、")):
                start, end = offset, offset + len(item)
                offset = end + 1
                end = self._before_generic_words(text, bounds, start, end)
                if index == 0:
                    start = self._after_words(text, bounds, start, end)  # 已与|恒达: the sentence's words
                place = next((start + n for n in (3, 2) if text[start:start + n] in self.vocabulary.places), start)
                name = text[place:end]
                if 2 <= len(name) <= self.rule.max_name and bounds.is_start(start) and bounds.is_end(end) \
                        and not self._is_place(text, Unit(place, end, NAME, end)) and self._is_name(name) \
                        and not self.dictionary.entries.get(name):
                    yield Candidate(place, end, self.rule.enumeration_score,
                                    f"「{name}」 is listed among 「{match.group(0)}」")

    def _listed_with_firms(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """The other items of a list that holds a masked firm: a placeholder with a firm's ending
        (XX集团、XX科技商贸、微品致远), or a bare placeholder in a list of firms (安通、自立、XX等本地
        企业)."""
        if "X" not in text and "x" not in text:
            return
        for match in ITEM_LIST.finditer(text):
            if "X" not in match.group() and "x" not in match.group():
                continue  # no placeholder: no masked firm in this list
            items = self._list_items(text, bounds, match)
            placeholders = [PLACEHOLDER_ITEM.search(text, start, end) for start, end in items]
            endings = tuple(self.rule.firm_list_endings)
            firm_ending = any(p and p.end() < end and text[p.end():end].endswith(endings)
                              for p, (_, end) in zip(placeholders, items))
            bare = any(p and p.end() == end for p, (_, end) in zip(placeholders, items))
            if not (firm_ending or bare and FIRMS_AFTER_LIST.match(text, items[-1][1])):
                continue
            for (start, end), placeholder in zip(items, placeholders):
                if placeholder is None and is_han(text[start:end]):
                    end = self._before_generic_words(text, bounds, start, end)
                    if self._names_a_firm(text, bounds, start, end):
                        yield Candidate(start, end, self.rule.enumeration_score,
                                        f"「{text[start:end]}」 is listed with masked firms in 「{match.group()}」")

    def _alone_before_firms(self, text: str, bounds: TokenBounds) -> Iterator[Candidate]:
        """A lone name unknown to the dictionary before 等…企业 (联合|佩蒂|等知名企业)."""
        for match in FIRMS_AFTER_LIST.finditer(text):
            token = bounds.token_before(match.start())
            if token is None or text[token[0] - 1:token[0]] == "、":
                continue  # a list: see `_listed_with_firms`
            name = text[token[0]:token[1]]
            if is_han(name) and self.dictionary.entries.get(name) is None and self._is_name(name) \
                    and self._names_a_firm(text, bounds, *token):
                yield Candidate(token[0], token[1], self.rule.enumeration_score,
                                f"「{name}」, a name unknown to the dictionary, before 「{match.group()}」")

    def _list_items(self, text: str, bounds: TokenBounds, match: re.Match[str]) -> list[tuple[int, int]]:
        """The items of a 、-list: the first from its last token on (依托|安通), the last up to 等
        (微品致远|等有效项目) or else its first token (民生科技|注册: 民生)."""
        items, offset = [], match.start()
        for item in match.group().split("、"):
            items.append((offset, offset + len(item)))
            offset += len(item) + 1
        first_start, first_end = items[0]
        token = bounds.token_before(first_end)
        if token is not None and token[0] > first_start and not PLACEHOLDER_ITEM.search(text, first_start, first_end):
            items[0] = (token[0], first_end)
        last_start, last_end = items[-1]
        cut = text.find(LIST_END, last_start, last_end)
        if cut > last_start:
            items[-1] = (last_start, cut)
        elif token := bounds.token_at(last_start):  # its first token, with the firm words after a placeholder
            end = token[1]
            while PLACEHOLDER_ITEM.fullmatch(text, last_start, token[1]) and (after := bounds.token_after(end)) \
                    and after[1] <= last_end and text[after[0]:after[1]] in self.rule.firm_list_endings:
                end = after[1]
            items[-1] = (last_start, min(end, last_end))
        return items

    def _names_a_firm(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """A listed item that can be a firm's name: no place, no body (交通局), and no word the
        dictionary says names no firm (国有, 民营: distinguishing adjectives) or knows as a very
        frequent one (外资). An ordinary word found so (自立, 民生|科技) is masked again only in the
        same context (redact/resolve.py, `propagate`)."""
        name = text[start:end]
        entry = self.dictionary.entries.get(name)
        return 2 <= len(name) <= self.rule.max_name and bounds.is_start(start) and bounds.is_end(end) \
            and not self._is_place(text, Unit(start, end, NAME, end)) and name not in self.vocabulary.stop_words \
            and not name.endswith(BODY_ENDINGS) \
            and (entry is None or entry[1] not in NO_FIRM_TAGS and entry[0] < VERY_FREQUENT_WORD)

    def _before_generic_words(self, text: str, bounds: TokenBounds, start: int, end: int) -> int:
        """Where a listed firm's proper name ends: before the ordinary words that close it, which
        stay visible as a suffix does (万泓|科技 → 万泓, kept: 科技), at least two characters in."""
        while (token := bounds.token_before(end)) and token[0] >= start + 2 \
                and self.dictionary.is_common(text[token[0]:token[1]]):
            end = token[0]
        return end

    def _after_words(self, text: str, bounds: TokenBounds, start: int, end: int) -> int:
        """Where the first item of a list begins: after its last common or function word."""
        first = start
        position = start
        while position < end and (token := bounds.token_after(position)) and token[1] <= end:
            word = text[token[0]:token[1]]
            if self.dictionary.is_common(word) or (len(word) == 1 and self.dictionary.is_function_char(word)):
                first = token[1]
            position = token[1]
        return first

    def _ends_common_word(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """A one-character suffix that ends a frequent two-character word, not a body's name:
        申|报 in 亿元申报工作, 汇|报, 通|报 (but 教|委, 绿|党, and 运输|局 are bodies)."""
        token = bounds.token_at(start)
        if token is None or token[0] != start - 1 or token[1] != end or end - start != 1:
            return False
        word = text[token[0]:end]
        entry = self.dictionary.entries.get(word)
        return entry is not None and entry[1] not in BODY_TAGS and word[0] not in ADMIN_CHARS \
            and self.dictionary.is_frequent_word(word) and not _is_rare_noun(entry)

    def _suffix_stands_alone(self, text: str, bounds: TokenBounds, end: int) -> bool:
        """The suffix closes a token, or a token with a title after it (民政局|长), and no stop
        character follows it (委|员)."""
        if self.stop_follow is not None and self.stop_follow.match(text, end):
            return False
        titled = text.startswith(TITLE_CHAR, end) and (end + 1 == len(text) or bounds.is_end(end + 1))
        return end == len(text) or bounds.is_end(end) or titled

    # ------------------------------------------------------------ the walk back

    def _units(self, text: str, bounds: TokenBounds, suffix: tuple[int, int], national: dict[int, int]
               ) -> list[Unit]:
        """The words of the name, right to left, up to the first word that cannot belong to it.

        Generic words may stand between the proper part and the suffix (恒达|科技|公司), and
        before a proper part only when they end another organisation's name, whose own proper
        part may precede them (中国|工商|银行|温州|分行); otherwise the name starts at its
        proper part (邀请|温州|代表队 is 温州's team).
        """
        quoted = self._quoted_name(text, suffix[0]) if self.rule.quoted_names else None
        if quoted is not None:
            return [quoted]  # “红双喜”公司: the quotes hold the whole name
        units: list[Unit] = []
        generic = 0
        in_name = False  # a proper part was seen since the last organisation word
        end = suffix[0]
        pending = self._piece_before(text, bounds, end)
        while len(units) < MAX_UNITS:
            if pending:
                found = self._piece_units(text, bounds, suffix, pending, national)
            else:
                span = self._word_before(text, bounds, end, national)
                found = self._classify(text, bounds, span, national) if span else []
            pending = None
            if found and text[found[-1].start - 1:found[-1].start] == "《" and found[-1].end + 1 != suffix[0]:
                return units  # 《规范》修订编委会: a title names only the publication right after it
            if found and text[suffix[0]:suffix[1]].endswith(FIRM_FORMS) and self._names_a_place(text, found[0]) \
                    and units and units[-1].kind == GENERIC \
                    and all(unit.kind == GENERIC for unit in units) and self._trade_name_word(text, units[-1]):
                units[-1] = replace(units[-1], kind=NAME)  # 浙江|天顺|生物|科技: the firm's trade name
                in_name = True
            for unit in found:
                if unit.kind == GENERIC and in_name:
                    return units
                generic += unit.kind == GENERIC or unit.kind in ORG_WORDS
                if generic > self.rule.max_generic:
                    return units
                in_name = unit.kind in PROPER_KINDS or (in_name and unit.kind not in ORG_WORDS)
                units.append(unit)
            if not found or text[found[-1].start - 1:found[-1].start] == "《":
                return units  # a word outside the name, or a publication title (the whole name)
            end = found[-1].start
        return units

    def _names_a_place(self, text: str, unit: Unit) -> bool:
        """A place or qualifier unit (浙江, 温州市, 中国), as opens a firm's name."""
        return unit.kind in (PLACE, COARSE) or unit.kind == NAME and text[unit.start:unit.end] in self.vocabulary.places

    def _trade_name_word(self, text: str, unit: Unit) -> bool:
        """A word the dictionary knows as a name, however often (天顺, 444 uses), right after a place
        or qualifier and before the industry words of a firm: its trade name."""
        word = text[unit.start:unit.end]
        entry = self.dictionary.entries.get(word)
        return entry is not None and entry[1] in NAME_TAGS and 2 <= len(word) <= 3

    def _quoted_name(self, text: str, end: int) -> Unit | None:
        """The name in quotes that ends right before the suffix (“红双喜”公司), Chinese characters only."""
        opening = QUOTES.get(text[end - 1:end])
        start = text.rfind(opening, max(0, end - MAX_QUOTED - 2), end - 1) if opening else -1
        inner = text[start + 1:end - 1]
        if start < 0 or not 2 <= len(inner) <= MAX_QUOTED or not is_han(inner) or inner in self.vocabulary.stop_words:
            return None
        return Unit(start + 1, end - 1, NAME, end - 1)

    @staticmethod
    def _piece_before(text: str, bounds: TokenBounds, suffix_start: int) -> tuple[int, int] | None:
        """The start of the token that holds the suffix (民政|局), if the suffix does not start it."""
        token = bounds.token_at(suffix_start)
        return (token[0], suffix_start) if token and token[0] < suffix_start else None

    def _piece_units(self, text: str, bounds: TokenBounds, suffix: tuple[int, int], piece: tuple[int, int],
                     national: dict[int, int]) -> list[Unit]:
        """The units of the start of the token that holds the suffix (民政|局). When the token is
        an ordinary word, the piece is no name: a rare word is an organisation word (体|委,
        女|队, 总|公司), a frequent one no organisation (干|部, 格|局). An unknown name glued to
        a one-character suffix in an unknown token is the segmenter's guess (银企社 of 政银企社联动)."""
        token = bounds.token_at(suffix[0])
        if token and text[token[0]:token[1]] in self.vocabulary.stop_words:
            return []  # 平局, 本队: an ordinary word that holds the suffix ends the name
        entry = self.dictionary.entries.get(text[token[0]:token[1]]) if token else None
        if entry is not None and entry[1] not in NAME_TAGS and piece[1] - piece[0] == 1 \
                and text[piece[0]] not in ADMIN_CHARS:
            return self._short_word(entry, piece)  # 体|委, 干|部: no need to look at the piece (but 温州|市|委)
        found = self._classify(text, bounds, piece, national)
        if found and (found[0].kind == GENERIC or self._known_name(text, found[0])):
            return found  # 旅游|局, 日本|队
        if entry is not None and entry[1] == ORG_TAG and not found:
            return [Unit(piece[0], piece[1], ORG_WORD, piece[1])]  # 统计|局: the dictionary's organisation word
        if entry is not None and entry[1] not in NAME_TAGS:
            return self._short_word(entry, piece)
        if piece[1] - piece[0] == 1 and not found:
            return [Unit(piece[0], piece[1], ORG_WORD, piece[1])]  # 药|学会, 林|学院: one organisation word
        glued = entry is None and suffix[1] - suffix[0] == 1
        if found and glued and found[0].end == suffix[0] and not self._known_name(text, found[0]):
            return []
        return found

    @staticmethod
    def _short_word(entry: tuple[int, str], piece: tuple[int, int]) -> list[Unit]:
        """The piece of an ordinary word holding the suffix: part of an organisation word when the
        word is rare (体|委, 女|队), else the end of the name (干|部, 格|局)."""
        return [Unit(piece[0], piece[1], SHORT_ORG_WORD, piece[1])] if _is_rare_noun(entry) else []

    def _known_name(self, text: str, unit: Unit) -> bool:
        """A known place, or a word the dictionary tags as a name (not a guess of the segmenter)."""
        word = text[unit.start:unit.end]
        if unit.kind in (PLACE, COARSE, NATIONAL, MASKED):
            return True
        return unit.kind == NAME and (word in self.vocabulary.places or self.dictionary.entries.get(word) is not None)

    def _word_before(self, text: str, bounds: TokenBounds, end: int, national: dict[int, int]
                     ) -> tuple[int, int] | None:
        """The word ending at `end`: a national body's name, a title in 《》, or a token."""
        if end in national:
            return national[end], end
        if text[end - 1:end] == "》":
            opening = text.rfind("《", max(0, end - MAX_TITLE - 2), end)
            return (opening, end) if opening >= 0 else None
        return bounds.token_before(end)

    def _classify(self, text: str, bounds: TokenBounds, span: tuple[int, int], national: dict[int, int]
                  ) -> list[Unit]:
        """The unit(s) of one word, right to left; empty when the word ends the name."""
        start, end = span
        word = text[start:end]
        if national.get(end) == start:
            return [Unit(start, end, NATIONAL, end)]
        if word.startswith("《"):
            inner = word[1:-1]
            return [Unit(start + 1, end - 1, NAME, end - 1)] if self._is_title(inner) else []
        if ORDINAL.fullmatch(word):
            return [Unit(start, end, GENERIC, end)]  # 第三|实验小学, 纺织|二|厂
        if not is_han(word):
            if PLACEHOLDER.fullmatch(word):
                return [Unit(start, end, MASKED, end)]
            return [Unit(start, end, NAME, end)] if LATIN_NAME.fullmatch(word) else []  # ABC|公司
        if len(word) == 1:
            return self._single(text, bounds, start, national)
        inner = next((word[-n:] for n in range(min(len(word) - 1, self.longest_ending), 0, -1)
                      if word[-n:] in self.inner_endings), None)
        if inner is not None and word not in self.vocabulary.places:
            cut = end - len(inner)
            rest = self._classify(text, bounds, (start, cut), national)
            if rest:
                return [Unit(cut, end, ORG_WORD, end), *rest]
        head = next((cut for cut in (3, 2) if len(word) - cut >= 2 and self._opens_name(word[:cut])), None)
        if head is not None and self.dictionary.entries.get(word) is None:
            rest = self._classify(text, bounds, (start + head, end), national)
            first = self._word_unit(word[:head], start, start + head)
            if rest and first:
                return [*rest, first]  # 国家统计|局, 温州恒达: a place or qualifier glued to the name
        unit = self._word_unit(word, start, end)
        return [unit] if unit else []

    def _opens_name(self, word: str) -> bool:
        return word in self.vocabulary.coarse or word in self.vocabulary.places

    def _word_unit(self, word: str, start: int, end: int) -> Unit | None:
        vocabulary = self.vocabulary
        stem = _admin_stem(word)
        if stem and (stem in vocabulary.places or stem in vocabulary.coarse or self._is_admin_name(stem)):
            kind = COARSE if stem in vocabulary.coarse else PLACE
            return Unit(start, end, kind, start + len(stem))
        if word in vocabulary.coarse:
            return Unit(start, end, COARSE, end)
        if word in vocabulary.stop_words or word in self.inner_endings:
            return Unit(start, end, ORG_WORD, end)
        if word in vocabulary.places or self._is_name(word) and not self._place_and_char(word):
            return Unit(start, end, NAME, end)
        if self._is_generic(word):
            return Unit(start, end, GENERIC, end)
        return None

    def _single(self, text: str, bounds: TokenBounds, start: int, national: dict[int, int]) -> list[Unit]:
        """A one-character word: an admin suffix joined to the name before it (温州|市|委), or
        rare characters joined into a name the segmenter split (赛|孚)."""
        char = text[start]
        if char in ADMIN_CHARS:
            before = self._word_before(text, bounds, start, national)
            found = self._classify(text, bounds, before, national) if before else []
            if found and found[0].kind in (NAME, MASKED, COARSE) and found[0].end == start:
                head = found[0]
                kind = PLACE if head.kind == NAME else head.kind
                return [Unit(head.start, start + 1, kind, start), *found[1:]]
            return []
        if not self._is_rare_char(char):
            return []
        first = start
        while (before := bounds.token_before(first)) and before[1] - before[0] == 1 \
                and self._is_rare_char(text[before[0]]) and text[before[0]] not in ADMIN_CHARS:
            first = before[0]
        if first == start and (before := bounds.token_before(first)) and self._opens_split_name(text, before):
            first = before[0]  # 万|泓|科技, 百|配|科技: a frequent character opens the name
        name = text[first:start + 1]
        return [Unit(first, start + 1, NAME, start + 1)] if len(name) >= 2 and not self._common(name) else []

    def _opens_split_name(self, text: str, token: tuple[int, int]) -> bool:
        """A one-character token that may open a name whose rare second character the segmenter
        split off: no function word, verb, adverb, measure word or admin suffix, and the two
        characters are no dictionary word."""
        start, end = token
        char = text[start]
        if end - start != 1 or not is_han(char) or char in ADMIN_CHARS:
            return False
        return self.dictionary.entries.get(char, (0, "n"))[1] not in OPENER_TAGS and \
            self.dictionary.entries.get(text[start:end + 1]) is None

    # ------------------------------------------------------------ bodies without a proper part

    def _generic_body(self, text: str, bounds: TokenBounds, units: list[Unit], suffix: tuple[int, int]
                      ) -> list[Candidate]:
        """A body named by its function alone (市委, 人事部, 省公安厅, 县交通运输局): found whole
        and kept, since it names no one. Only nouns naming a function may stand before the suffix
        (not 各级|党委, 3382|部), its level (省, 市) may open it, and a word holding the suffix must
        be a body's word (市委, 党委, 体委; not 干部, 平局, 市中心)."""
        if any(unit.kind in PROPER_KINDS for unit in units):
            return []
        # Another body's word may only hold the suffix (体|委), never stand further back (市政府|发动|工会).
        opens = bool(units) and (units[0].kind in ORG_WORDS or self._is_function_word(text, units[0]))
        words = [units[0], *takewhile(lambda unit: self._is_function_word(text, unit), units[1:])] if opens else []
        token = bounds.token_at(suffix[0])
        if token is None:
            return []
        start = words[-1].start if words else token[0]
        suffix_text = text[suffix[0]:suffix[1]]
        if start == token[0] and not self._is_body_word(text[token[0]:suffix[1]], suffix_text):
            return []
        if not words and suffix_text in self.rule.generic_needs_function:
            return []
        level = bounds.token_before(start)
        if level and level[1] - level[0] == 1 and text[level[0]] in ADMIN_CHARS:
            start = level[0]
        elif level and self.dictionary.entries.get(text[level[0]:level[1]], (0, ""))[1] == PRONOUN_TAG:
            return []  # 各级|党委, 本|工会: any or every such body, not one
        if suffix_text in self.rule.place_suffixes and text[start] not in ADMIN_CHARS:
            return []  # 代表|政府: a government is a body only with its level (县政府)
        body = text[start:suffix[1]]
        stopped = body in self.vocabulary.stop_words and body not in self.rule.generic_alone
        if len(body) < 2 or body in self.vocabulary.titles or stopped:
            return []
        return [Candidate(start, suffix[1], self.rule.generic_score, f"「{body}」 is a body named by its function alone",
                          kept="a body named by its function alone names no one")]

    def _is_function_word(self, text: str, unit: Unit) -> bool:
        """A word naming a body's function (人事, 交通运输, 组织|部 of 市委组织部): a noun, not 各级,
        有关 or a number."""
        word = text[unit.start:unit.end]
        entry = self.dictionary.entries.get(word)
        return unit.kind == GENERIC and is_han(word) and not ORDINAL.fullmatch(word) \
            and (entry is None or entry[1] in FUNCTION_TAGS) and not word.endswith(tuple(self.inner_endings))

    def _is_body_word(self, word: str, suffix: str) -> bool:
        """A word naming a body by itself: a dictionary organisation or abbreviation (卫生部, 党委,
        足协), a level and its organ (市委, 县政府) or a rare noun ending in the suffix (体委); not
        a word ending in a frequent word (老干部, 平局)."""
        if word in self.rule.generic_alone:
            return True
        entry = self.dictionary.entries.get(word)
        if entry is None or set(word[:-len(suffix)]) <= DIRECTIONS:
            return False  # 中西|部: a region
        if entry[1] in BODY_TAGS:
            return True
        if word == suffix or self._ends_in_frequent_word(word, suffix):
            return False
        return entry[1] in PIECE_TAGS and (word[0] in ADMIN_CHARS or entry[0] < ORG_WORD_FREQUENCY)

    def _ends_in_frequent_word(self, word: str, suffix: str) -> bool:
        """干部 of 老干部, 僵局: a one-character suffix closes a frequent word that is no body's."""
        tail = word[-2:]
        if len(suffix) > 1:
            return False
        entry = self.dictionary.entries.get(tail)
        return entry is not None and entry[1] not in BODY_TAGS and tail[0] not in ADMIN_CHARS \
            and self.dictionary.is_frequent_word(tail)

    # ------------------------------------------------------------ the proper parts

    def _proper_parts(self, text: str, units: list[Unit], suffix: tuple[int, int]) -> Iterator[Candidate]:
        """The candidate for the body's own proper part: the proper word(s) nearest its generic
        words (淳安 of 杭州市淳安县民政局, 恒达 of 浙江省恒达服饰有限公司); the places before it
        are the places rules' (杭州市 is a place, 淳安县民政局 the body)."""
        index = self._head(text, units)
        if index is None or not self._names_a_body(text, units, index, text[suffix[0]:suffix[1]]):
            return
        head = units[index]
        start = next(u.start for u in reversed(units) if u.kind in PROPER_KINDS)
        full = text[start - (text[start - 1:start] == "《"):suffix[1]]
        if head.kind in (PLACE, COARSE):
            if self.rule.names_only:
                return  # 温州科技: the place's industry, not a firm
            what = "place" if head.kind == PLACE else "national or coarse qualifier"
            yield Candidate(head.start, head.core_end, self.rule.place_score,
                            f"the {what} 「{text[head.start:head.core_end]}」 naming 「{full}」")
        elif head.kind == NAME:
            run = [head]
            for unit in units[index + 1:]:
                if unit.kind == MASKED:
                    return  # XX新材科技有限公司: the name is masked already, 新材 describes it
                if unit.kind != NAME or self._is_place(text, run[-1]):
                    break  # a place opens a name (获聘|宁波大学, 温州恒达)
                run.append(unit)
            yield from self._name_run(text, run[::-1], full)

    def _head(self, text: str, units: list[Unit]) -> int | None:
        """The index of the proper unit nearest the suffix, past a qualifier that follows another
        proper unit (恒达|国际|公司: the qualifier describes the firm, 恒达 names it)."""
        index = next((i for i, unit in enumerate(units) if unit.kind in PROPER_KINDS), None)
        while index is not None and index + 1 < len(units) and units[index + 1].kind in PROPER_KINDS \
                and self._is_qualifier(text, units[index]):
            index += 1
        return index

    def _names_a_body(self, text: str, units: list[Unit], index: int, suffix: str) -> bool:
        """Whether the head and the words after it name a body rather than describe something."""
        head = units[index]
        with_admin_suffix = head.kind in (PLACE, COARSE) and head.core_end < head.end
        if suffix in self.rule.place_suffixes and not with_admin_suffix:
            return False  # 日本政府 is the place itself, 温州会展中心 a venue: only 温州市政府 is a body
        if index == 0 and head.kind == COARSE and self._is_qualifier(text, head):
            return False  # 中央政府, 国家队: a qualifier and a generic word describe, they do not name
        if units[0].kind == SHORT_ORG_WORD:
            known = head.kind in (PLACE, COARSE) or self._is_place(text, head)
            return known or self.dictionary.entries.get(text[head.start:head.end]) is None  # not 科普|展厅
        return True

    def _name_run(self, text: str, run: list[Unit], full: str) -> Iterator[Candidate]:
        start, end = run[0].start, run[-1].end
        name = text[start:end]
        if not 2 <= len(name) <= self.rule.max_name or name in self.vocabulary.stop_words:
            return
        if len(run) > 1 and self._common(name):
            return
        score = self.rule.place_score if name in self.vocabulary.places else self.rule.score
        yield Candidate(start, end, score, f"the name 「{name}」 of 「{full}」")

    # ------------------------------------------------------------ words

    def _is_name(self, word: str) -> bool:
        """Unknown to the dictionary (and not made of its words), or a rare word tagged as a name."""
        entry = self.dictionary.entries.get(word)
        if entry is None:
            return not (self._compound_of_words(word) or self._word_and_function_char(word)
                        or self._function_chars(word))
        if set(word) <= DIRECTIONS:
            return False
        return entry[1] in NAME_TAGS and entry[0] < RARE_NAME.get(entry[1], VERY_FREQUENT_WORD)

    def _is_admin_name(self, stem: str) -> bool:
        """The name before an admin suffix: any word the dictionary does not call common (双溪|镇)."""
        return not self.dictionary.is_common(stem) and not self._function_chars(stem[:1]) and \
            not self._word_and_function_char(stem)

    def _is_generic(self, word: str) -> bool:
        entry = self.dictionary.entries.get(word)
        if entry is None:
            return self._compound_of_words(word)
        return entry[1] in GENERIC_TAGS and not (entry[1] in VERB_TAGS and entry[0] >= VERY_FREQUENT_WORD)

    def _place_and_char(self, word: str) -> bool:
        """A place glued to a character that is no admin suffix (温州|级): a word about the place."""
        return len(word) >= 3 and word[:-1] in self.vocabulary.places

    def _function_chars(self, word: str) -> bool:
        """A grammatical character (在, 的, 各) in the word, or two frequent characters and nothing
        else (到县, 去市): the segmenter's leftovers rather than a name."""
        dictionary = self.dictionary
        if any(dictionary.entries.get(char, (0, ""))[1] in GRAMMATICAL_TAGS for char in word):
            return True
        return len(word) == 2 and all(dictionary.is_function_char(char) for char in word)

    def _word_and_function_char(self, word: str) -> bool:
        """A word glued to a function character by the segmenter (坐落|于, 在|温州)."""
        if len(word) < 3:
            return False
        dictionary = self.dictionary
        return (dictionary.is_function_char(word[-1]) and dictionary.is_common(word[:-1])) or \
            (dictionary.is_function_char(word[0]) and dictionary.is_common(word[1:]))

    def _compound_of_words(self, word: str) -> bool:
        """Two dictionary words of two characters or more (政务服务, 科学技术)."""
        return any(self._is_generic(word[:cut]) and self._is_generic(word[cut:])
                   for cut in range(2, len(word) - 1)) if len(word) >= 4 else False

    def _is_place(self, text: str, unit: Unit) -> bool:
        return text[unit.start:unit.end] in self.vocabulary.places

    def _is_qualifier(self, text: str, unit: Unit) -> bool:
        return text[unit.start:unit.end] in self.vocabulary.qualifiers

    @staticmethod
    def _is_title(inner: str) -> bool:
        """A title in 《》 right before a publication word names it, whatever its words."""
        return 2 <= len(inner) <= MAX_TITLE and is_han(inner)

    def _is_rare_char(self, char: str) -> bool:
        return is_han(char) and not self.dictionary.is_function_char(char)

    def _common(self, word: str) -> bool:
        return word not in self.vocabulary.places and self.dictionary.is_common(word)


def _is_rare_noun(entry: tuple[int, str]) -> bool:
    """A rare noun ending in a one-character suffix may name a body (体委, 女队; not 干部, 格局)."""
    return entry[1] in PIECE_TAGS and entry[0] < ORG_WORD_FREQUENCY


def _admin_stem(word: str) -> str | None:
    """`北京` of `北京市`: the part before an administrative suffix, two characters or more."""
    if word[-1] not in ADMIN_ENDINGS:
        return None
    for suffix in ADMIN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[:-len(suffix)]
    return None


class NationalNames:
    """The names of national bodies found in a text, shared by the organisation rules: those of
    the last text are remembered (every rule asks for the same text and tokens in turn)."""

    def __init__(self, names: frozenset[str], famous: frozenset[str]) -> None:
        self.matcher = TermMatcher({name: Entry(len(name), 1.0, name, False) for name in names})
        self.famous = famous
        self._last: tuple[str, TokenBounds, dict[int, int], frozenset[int]] | None = None

    def names(self, text: str, bounds: TokenBounds) -> tuple[dict[int, int], frozenset[int]]:
        """End → start of each name the segmenter keeps apart, and the offsets they cover."""
        last = self._last
        if last is None or last[0] is not text or last[1] is not bounds:
            found = self._names(text, bounds)
            inside = frozenset(offset for end, start in found.items() for offset in range(start, end))
            last = self._last = (text, bounds, found, inside)
        return last[2], last[3]

    def _names(self, text: str, bounds: TokenBounds) -> dict[int, int]:
        """民进 is no party in 居民|进行, nor 商务部 in 商务|部门; a title may follow (外交部长).
        A famous name before a street or admin word names a place (北大|路, 长虹|村)."""
        names = {}
        for start, end, _ in leftmost_longest(self.matcher.matches(text)):
            ends = end == len(text) or bounds.is_end(end) or (end - start > SHORT_NAME and text[end] == TITLE_CHAR)
            named_after = text[start:end] in self.famous and text[end:end + 1] in PLACE_CHARS
            if ends and bounds.is_start(start) and not named_after:
                names[end] = start
        return names


@lru_cache(maxsize=4)
def national_matcher(names: frozenset[str], famous: frozenset[str]) -> NationalNames:
    return NationalNames(names, famous)


def vocabulary(rule: OrganisationRule) -> Vocabulary:
    """The rule's word lists, read once per set of files."""
    return _vocabulary(rule.places_file, rule.coarse_file, rule.world_file, rule.national_file, rule.famous_file,
                       rule.stop_file, rule.titles_file)


@lru_cache(maxsize=4)
def _vocabulary(places_file: str | None, coarse_file: str | None, world_file: str | None,
                national_file: str | None, famous_file: str | None, stop_file: str | None,
                titles_file: str | None) -> Vocabulary:
    divisions = division_names(places_file) if places_file else None
    provinces = divisions.provinces if divisions else frozenset()
    places = divisions.prefectures | divisions.counties if divisions else frozenset()
    qualifiers = _words(coarse_file)
    coarse = provinces | qualifiers | _words(world_file)
    famous = _words(famous_file)
    return Vocabulary(places=frozenset(places - coarse), coarse=frozenset(coarse), qualifiers=frozenset(qualifiers),
                      national=frozenset(_words(national_file) | famous), famous=frozenset(famous),
                      stop_words=frozenset(_words(stop_file)),
                      titles=frozenset(_words(titles_file)))


def _words(file: str | None) -> set[str]:
    return set(read_list(Path(file))) if file else set()


