"""Person recognizer: surname + title (`温书记`), title + full name (`局长贾志春`),
full name + title or 同志 (`廖俊波同志`), and untitled names scored by the evidence around them
(redact/recognizers/person_names.py).

Presidio's context words compare lemmas, which spaCy leaves empty for Chinese, and titles
follow names here; so the evidence is read from the characters and tokens on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from redact import cache
from redact.common_words import GRAMMATICAL_TAGS, common_words, dictionary_file, is_han
from redact.recognizers.base import Candidate, RuleRecognizer, TokenBounds
from redact.recognizers import person_names
from redact.recognizers.lexicon import Entry, TermMatcher, division_names
from redact.recognizers.person_names import (GENERIC_ENDINGS, LIST_END, NATURE_ENDINGS, PERSON_TAGS, PLACE_TAG, SAYING, NameLexicons,
                                             NameScorer, given_name_odds, stopped_token)
from redact.rules import PersonRule, read_list

FULL_NAME_LENGTHS = (2, 3, 4)
LOW_SCORE = 0.3
CLASSIFIER_TAG = "q"  # 张, 位, 段: surnames and classifiers
COUNTING_CHARS = "一二两三四五六七八九十百千几每各这那该某0123456789"
LABEL_COLONS = ("：", ":")
NAME_FOLLOWERS = ("同志", "任", "为", "等", "、", "，", "）", ")", "；", "。", "：", "和", "及", " ", "\u3000", "\t", "\n")


class PersonRecognizer(RuleRecognizer):
    """Names anchored by a title or 同志 on either side; untitled names when `bare_name_score` is set."""

    def __init__(self, rule: PersonRule) -> None:
        ranked = read_list(Path(rule.surnames_file))
        self.surnames = set(ranked)
        self.frequent_surnames = frozenset(ranked[:rule.bare_name_surnames])
        titles = read_list(Path(rule.titles_file))
        self.titles = TermMatcher({t: Entry(len(t), rule.score, t, False) for t in titles})
        self.stop_words = set(read_list(Path(rule.stop_file))) if rule.stop_file else set()
        self.dictionary = common_words()
        lexicons = _name_lexicons(rule, ranked, self.stop_words)
        self.places = lexicons.places
        self.given_odds = lexicons.given_odds
        self.cues_after = tuple(sorted(lexicons.cues_after))
        self.names = NameScorer(lexicons, self.dictionary, rule.bare_name_score, rule.cue_score) \
            if rule.bare_name_score else None
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        anchored: list[Candidate] = []
        titles = _longest_titles(self.titles.matches(text))
        for start, end in titles:
            title = text[start:end]
            for candidate in (*self._name_before(text, bounds, start, title),
                              *self._name_after(text, bounds, end, title)):
                anchored.append(candidate)
                yield candidate
        if self.names is not None:
            yield from self.names.candidates(text, bounds, titles, anchored)

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
                and word[1] in self.surnames and word[1] not in NAME_FOLLOWERS and word[1] not in self.stop_words):
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
            if self._is_function_word(text, token[0], word):
                # 向县长汇报: more often the preposition than the surname; left for review.
                yield Candidate(token[0], token[1], LOW_SCORE,
                                f"「{word}」 before the title 「{title}」 is usually a function word")
                return
            yield Candidate(token[0], token[1], self.rule.score,
                            f"surname 「{surname}」 before the title 「{title}」")
            return
        if self._is_common_word(word) or word[-1] in GENERIC_ENDINGS - NATURE_ENDINGS:
            return  # 华裔 | 议员, 巴西籍 | 教练
        if len(word) in FULL_NAME_LENGTHS and len(word) > len(surname):
            yield Candidate(token[0], token[1], self.rule.score * 0.9,
                            f"full name 「{word}」 before the title 「{title}」")

    def _is_function_word(self, text: str, start: int, char: str) -> bool:
        """Whether the surname-like `char` before a title is a frequent grammatical word (向, 和,
        于, 曾), a rare surname that is above all a frequent word (有局长 "there is a director"),
        or a classifier after a numeral (三位主任), not the surname of 孙女士 or 马主席."""
        entry = self.dictionary.entries.get(char)
        if entry is None or not self.dictionary.is_function_char(char) or entry[1] in PERSON_TAGS:
            return False
        if char not in self.frequent_surnames:
            return True
        if entry[1] == CLASSIFIER_TAG:
            return start > 0 and text[start - 1] in COUNTING_CHARS
        return entry[1] in GRAMMATICAL_TAGS

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
        if end - start > 2 and (text[end - 1] == LIST_END or text[end - 1] in SAYING):
            end -= 1  # 刘 | 洋等 | 同志, 王 | 强说: the segmenter glued 等 or 说 to the given name
        name = text[start:end]
        surname = self._surname_at(text, start) or ""
        given = name[len(surname):]
        if given in SAYING:
            return None  # 先生 | 曾 | 说: a surname-like word and a verb of saying, no name
        if self._is_common_word(name) or len(given) > 1 and self.dictionary.is_common(given) \
                or given[-1] in GENERIC_ENDINGS:
            return None
        return start, end

    def _name_after(self, text: str, bounds: TokenBounds, title_end: int, title: str
                    ) -> Iterable[Candidate]:
        """`局长贾志春任组长`: a surname-led token after a title, closed by punctuation or 任/同志;
        a colon may stand between them, as after a label (`联系人：李明`)."""
        if text.startswith(LABEL_COLONS, title_end):
            title_end += 1
        split = self._split_name_after(text, bounds, title_end)
        token = split or bounds.token_after(title_end)
        if token is None:
            return
        if token[1] - token[0] > 2 and text[token[1] - 1] in SAYING:
            token = (token[0], token[1] - 1)  # 副总理 | 王益说: the verb of saying glued to the name
        surname = self._surname_at(text, token[0])
        if split is None and surname is not None:
            token = self._glued_given_char(text, bounds, token)
        word = text[token[0]:token[1]]
        if surname is None or len(word) not in FULL_NAME_LENGTHS or len(word) <= len(surname) or not is_han(word):
            return
        if split is None and self._is_common_word(word):
            if self._place_word_before_cue(text, word, token[1]):
                yield Candidate(token[0], token[1], self.rule.score * 0.9,
                                f"「{word}」, a place word, between the title 「{title}」 and a cue after it")
            return
        if token[1] == len(text) or text.startswith(NAME_FOLLOWERS, token[1]) or text[token[1]] in SAYING:
            yield Candidate(token[0], token[1], self.rule.score * 0.9,
                            f"full name 「{word}」 after the title 「{title}」")

    def _glued_given_char(self, text: str, bounds: TokenBounds, token: tuple[int, int]) -> tuple[int, int]:
        """`局长 | 周立 | 新 | 同志`: a two-character token and a one-character token that a name
        follower closes make one three-character name (the segmenter read 新同志, "new comrade"),
        unless that character follows names itself (记者温宪摄）, 王强等同志)."""
        end = token[1]
        if token[1] - token[0] != 2 or bounds.token_at(end) != (end, end + 1) or not is_han(text[end]) \
                or text[end] in NAME_FOLLOWERS or text[end] in SAYING or text[end] == LIST_END \
                or text[end] in self.cues_after:
            return token
        return (token[0], end + 1) if text.startswith(NAME_FOLLOWERS, end + 1) else token

    def _place_word_before_cue(self, text: str, word: str, end: int) -> bool:
        """`局长 | 常山 | 表示`: a dictionary place word (not a listed place: 常山, a county) that a
        title precedes and a cue after a name follows is a person's name."""
        entry = self.dictionary.entries.get(word)
        return entry is not None and entry[1] == PLACE_TAG and word not in self.places \
            and not stopped_token(word, self.stop_words, self.given_odds) and text.startswith(self.cues_after, end)

    def _is_common_word(self, word: str) -> bool:
        """A stop-listed word, a listed place (卢旺达 | 总统), or a dictionary word that is not a
        personal name (温州, 工作)."""
        if word in self.places or stopped_token(word, self.stop_words, self.given_odds):
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


def _name_lexicons(rule: PersonRule, surnames: list[str], stop_words: set[str]) -> NameLexicons:
    """The word lists of untitled names; `surnames` ordered by frequency."""
    def words(file: str | None) -> frozenset[str]:
        return frozenset(read_list(Path(file))) if file else frozenset()

    return NameLexicons(
        surnames=frozenset(surnames), frequent_surnames=frozenset(surnames[:rule.bare_name_surnames]),
        very_frequent_surnames=frozenset(surnames[:rule.short_name_surnames]),
        stop_words=frozenset(stop_words), cues_before=words(rule.cues_before_file),
        cues_after=words(rule.cues_after_file), transliteration=frozenset("".join(words(rule.transliteration_file))),
        places=words(rule.places_file) | words(rule.landmarks_file) | _division_names(rule.divisions_file),
        japanese_surnames=frozenset(rule.japanese_surnames), given_odds=_given_odds(rule.surnames_file, frozenset(surnames)),
        titles=words(rule.titles_file))


def _division_names(file: str | None) -> frozenset[str]:
    """Provinces and prefectures of the gazetteer (石家庄, which jieba tags as a name). Not counties:
    their short forms are given names too often (高明, 江山), and a local document keeps far ones."""
    if file is None:
        return frozenset()
    divisions = division_names(file)
    return divisions.provinces | divisions.prefectures


def _given_odds(surnames_file: str, surnames: frozenset[str]) -> dict[str, float]:
    """given_name_odds over jieba's dictionary, cached on disk (reading it takes ~0.3 s)."""
    path = dictionary_file()
    name = cache.key("given-name-odds", files=(path, surnames_file, __file__, person_names.__file__))
    return cache.cached(name, lambda: given_name_odds(path.read_text(encoding="utf-8").splitlines(), surnames))
