"""Person recognizer: surname + title (`温书记`), title + full name (`局长贾志春`),
full name + title or 同志 (`廖俊波同志`).

Presidio's context words compare lemmas, which spaCy leaves empty for Chinese, and titles
follow names here; so the evidence is read from the characters and tokens on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from redact.common_words import common_words
from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds, is_han
from redact.recognizers.lexicon import Entry, TermMatcher
from redact.rules import PersonRule, read_list

FULL_NAME_LENGTHS = (2, 3, 4)
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
LOW_SCORE = 0.3
# Characters that end generic nouns (雷达站, 展陈馆, 马屿镇), rarely a given name.
GENERIC_ENDINGS = frozenset("市县区镇乡村街路桥港山湖江河岛线站点器馆办社园堂段级队所局厅委会场库厂鱼")
# Words after which a surname-led token is a place or an organisation, not a person.
NOT_A_PERSON_AFTER = ("市", "县", "区", "镇", "乡", "村", "街", "路", "桥", "港", "山", "湖", "江", "河", "岛",
                      "公司", "集团", "银行", "学校", "大学", "中学", "小学", "医院", "社区", "片区", "园", "省")
NAME_FOLLOWERS = ("同志", "任", "为", "等", "、", "，", "）", ")", "；", "。", "：", "和", "及")


class PersonRecognizer(RuleRecognizer):
    """Names anchored by a title or 同志 on either side."""

    def __init__(self, rule: PersonRule) -> None:
        ranked = read_list(Path(rule.surnames_file))
        self.surnames = set(ranked)
        self.common_surnames = set(ranked[:rule.bare_name_surnames])
        titles = read_list(Path(rule.titles_file))
        self.titles = TermMatcher({t: Entry(len(t), rule.score, t, False) for t in titles})
        self.stop_words = set(read_list(Path(rule.stop_file))) if rule.stop_file else set()
        self.dictionary = common_words()
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        anchored: set[tuple[int, int]] = set()
        for start, end in _longest_titles(self.titles.matches(text)):
            title = text[start:end]
            for candidate in (*self._name_before(text, bounds, start, title),
                              *self._name_after(text, bounds, end, title)):
                anchored.add((candidate.start, candidate.end))
                yield candidate
        if self.rule.bare_name_score:
            yield from (c for c in self._bare_names(text, bounds) if (c.start, c.end) not in anchored)

    def _bare_names(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        """`刘小涛批示`: a three-character token led by a surname that the dictionary does not know
        as a word (or knows as a person's name), not followed by a place or organisation word."""
        for start, end in zip(bounds.starts, bounds.ends):
            word = text[start:end]
            if len(word) != 3 or not is_han(word) or word[0] not in self.common_surnames:
                continue
            entry = self.dictionary.entries.get(word)
            if entry is not None and entry[1] not in PERSON_TAGS:
                continue
            if self._is_common_word(word) or text.startswith(NOT_A_PERSON_AFTER, end) or word[-1] in GENERIC_ENDINGS:
                continue
            if self.dictionary.is_common(word[1:]) or self.dictionary.is_common(word[:2]):
                continue  # 区绿化, 高质量: made of ordinary words
            yield Candidate(start, end, self.rule.bare_name_score,
                            f"「{word}」 looks like a full name (surname 「{word[0]}」, not a dictionary word)")

    def _surname_at(self, text: str, start: int) -> str | None:
        for length in (2, 1):
            if text[start:start + length] in self.surnames:
                return text[start:start + length]
        return None

    def _name_before(self, text: str, bounds: TokenBounds, title_start: int, title: str
                     ) -> Iterable[Candidate]:
        """`温书记` (surname token right before a title) or `贾志春局长` (full-name token)."""
        split = self._split_name_before(text, bounds, title_start)
        if split is not None:
            yield Candidate(split[0], split[1], self.rule.score * 0.9,
                            f"full name 「{text[split[0]:split[1]]}」 before the title 「{title}」")
            return
        token = bounds.token_before(title_start)
        if token is None:
            return
        word = text[token[0]:token[1]]
        if (len(word) == 2 and word not in self.dictionary.entries and self.dictionary.is_function_char(word[0])
                and word[1] in self.surnames):
            # The segmenter glued a verb or preposition to the surname: 获王 | 县长.
            yield Candidate(token[0] + 1, token[1], self.rule.score * 0.95,
                            f"surname 「{word[1]}」 before the title 「{title}」 (after 「{word[0]}」)")
            return
        surname = self._surname_at(text, token[0])
        if surname is None or not is_han(word):
            return
        if word == surname:
            if word in NAME_FOLLOWERS and token[0] > 0 and is_han(text[token[0] - 1]):
                return  # 贾志春任组长: 任 is the verb "to serve as", not a surname.
            if any(word[:n] in self.stop_words for n in range(1, len(word) + 1)):
                return
            if self.dictionary.is_function_char(word) and self.dictionary.entries[word][1] not in PERSON_TAGS:
                # 向县长汇报: more often the preposition than the surname; left for review.
                yield Candidate(token[0], token[1], LOW_SCORE,
                                f"「{word}」 before the title 「{title}」 is usually a function word")
                return
            yield Candidate(token[0], token[1], self.rule.score,
                            f"surname 「{surname}」 before the title 「{title}」")
            return
        if self._is_common_word(word):
            return
        if len(word) in FULL_NAME_LENGTHS and len(word) > len(surname):
            yield Candidate(token[0], token[1], self.rule.score * 0.9,
                            f"full name 「{word}」 before the title 「{title}」")

    def _split_name_before(self, text: str, bounds: TokenBounds, end: int) -> tuple[int, int] | None:
        """`廖 | 俊波 | 同志`: a surname token followed by a one- or two-character given-name token."""
        given = bounds.token_before(end)
        if given is None or not 1 <= given[1] - given[0] <= 2 or not is_han(text[given[0]:given[1]]):
            return None
        surname = bounds.token_before(given[0])
        if surname is None or text[surname[0]:surname[1]] not in self.surnames:
            return None
        return self._plausible_split_name(text, surname[0], given[1])

    def _split_name_after(self, text: str, bounds: TokenBounds, start: int) -> tuple[int, int] | None:
        """`局长 | 贾 | 志春 | 任`: the same, read forwards."""
        surname = bounds.token_after(start)
        if surname is None or text[surname[0]:surname[1]] not in self.surnames:
            return None
        given = bounds.token_after(surname[1])
        if given is None or not 1 <= given[1] - given[0] <= 2 or not is_han(text[given[0]:given[1]]):
            return None
        return self._plausible_split_name(text, start, given[1])

    def _plausible_split_name(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        name = text[start:end]
        surname = self._surname_at(text, start) or ""
        given = name[len(surname):]
        if self._is_common_word(name) or self.dictionary.is_common(given) or given[-1] in GENERIC_ENDINGS:
            return None
        return start, end

    def _name_after(self, text: str, bounds: TokenBounds, title_end: int, title: str
                    ) -> Iterable[Candidate]:
        """`局长贾志春任组长`: a surname-led token after a title, closed by punctuation or 任/同志."""
        split = self._split_name_after(text, bounds, title_end)
        token = split or bounds.token_after(title_end)
        if token is None:
            return
        word = text[token[0]:token[1]]
        surname = self._surname_at(text, token[0])
        if (surname is None or len(word) not in FULL_NAME_LENGTHS or len(word) <= len(surname)
                or not is_han(word) or (split is None and self._is_common_word(word))):
            return
        if token[1] == len(text) or text.startswith(NAME_FOLLOWERS, token[1]):
            yield Candidate(token[0], token[1], self.rule.score * 0.9,
                            f"full name 「{word}」 after the title 「{title}」")

    def _is_common_word(self, word: str) -> bool:
        """A stop-listed word, or a dictionary word that is not a personal name (温州, 工作)."""
        if any(word[:n] in self.stop_words for n in range(1, len(word) + 1)):
            return True
        entry = self.dictionary.entries.get(word)
        return len(word) > 1 and entry is not None and entry[1] not in PERSON_TAGS


def _longest_titles(matches: list[tuple[int, int, Entry]]) -> list[tuple[int, int]]:
    """Title occurrences, keeping only the longest where titles nest (副县长 over 县长)."""
    spans = sorted({(s, e) for s, e, _ in matches}, key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[tuple[int, int]] = []
    for start, end in spans:
        if kept and start < kept[-1][1]:
            if end <= kept[-1][1]:
                continue
        kept.append((start, end))
    return kept
