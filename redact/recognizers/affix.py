"""Affix recognizer: a proper name found by the generic word after it (`沙溪镇`, `腾云山大桥`).

The proper-name part (the core) is taken from the pkuseg tokens right before the suffix, so
`目前沙溪镇` gives `沙溪`, not `前沙溪`. Only the core is masked; the suffix is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from redact.common_words import GRAMMATICAL_TAGS, common_words, is_han, is_ordinary_word_entity
from redact.recognizers.base import QUOTE_PAIRS, Candidate, RuleRecognizer, TokenBounds
from redact.rules import AffixRule, read_list

PLACEHOLDER_CHARS = set("Xx")
# jieba tags of aspect and structural particles (的 uj, 了 ul, 着 uz, 过 ug, 得 ud): no name ends with
# one (有的|街道); 地 (uv) does (林地村).
PARTICLE_TAGS = ("uj", "ul", "uz", "ug", "ud")
NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt", "nz"})  # tags of dictionary names (中京, ns)
STOP_PREFIX = "stop-listed prefix"
STOP_LISTED = "stop-listed"
OPENING_QUOTES = "".join(QUOTE_PAIRS) + "\"'"
CLOSING_QUOTES = "".join(QUOTE_PAIRS.values()) + "\"'"


class AffixRecognizer(RuleRecognizer):
    """Names ending in one of the rule's suffixes, with stop-lists for common words."""

    def __init__(self, rule: AffixRule) -> None:
        suffixes = sorted(rule.suffixes, key=len, reverse=True)
        self.suffix_pattern = re.compile("|".join(map(re.escape, suffixes)))
        self.stop_words = set(rule.stop_terms) | (set(read_list(Path(rule.stop_file))) if rule.stop_file else set())
        self.dictionary = common_words() if rule.reject_common_words else None
        super().__init__(rule)

    def candidates(self, text: str, bounds: TokenBounds) -> Iterable[Candidate]:
        for match in self.suffix_pattern.finditer(text):
            suffix_start, suffix_end = match.span()
            if not self._suffix_stands_alone(text, bounds, suffix_start, suffix_end):
                continue
            core_start = self._core_start(text, bounds, suffix_start)
            if core_start is None:
                continue
            core, suffix = text[core_start:suffix_start], match.group()
            rejection = self._rejection(core, suffix)
            if rejection in (None, STOP_LISTED, STOP_PREFIX) \
                    and (why := self._district_named_after(text, bounds, core_start, suffix_start, suffix_end)):
                yield Candidate(core_start, suffix_start, self.rule.ordinary_word_names.score,  # type: ignore[union-attr]
                                why)
                continue
            if rejection == STOP_PREFIX and self.dictionary and core not in self.dictionary.entries \
                    and (why := self._named_in_context(text, bounds, core_start, suffix_start, suffix_end,
                                                       context_only=True)):
                yield Candidate(core_start, suffix_start, self.rule.ordinary_word_names.score,  # type: ignore[union-attr]
                                why)
            if rejection is not None:
                continue
            if self._ordinary_word(core, suffix) is None:
                yield Candidate(core_start, suffix_start, self.rule.score, f"「{core}」 before the suffix 「{suffix}」")
            elif (why := self._named_in_context(text, bounds, core_start, suffix_start, suffix_end)) is not None:
                yield Candidate(core_start, suffix_start, self.rule.ordinary_word_names.score,  # type: ignore[union-attr]
                                why)

    def _suffix_stands_alone(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """The suffix must close a token (so 镇 in 镇长 or 村 in 村民 is not a suffix), or open one
        that the segmenter glued to a district word (和平|路片区)."""
        if any(text.startswith(follow, end) for follow in self.rule.stop_follow):
            return False
        return bounds.is_end(end) or end == len(text) or self._glued_to_district(text, bounds, start, end)

    def _core_start(self, text: str, bounds: TokenBounds, suffix_start: int) -> int | None:
        """Start of the name part: the rest of the token holding the suffix, or the token(s) before."""
        token = bounds.token_at(suffix_start)
        if token and token[0] < suffix_start:
            return token[0]
        previous = bounds.token_before(suffix_start)
        if previous is None:
            return None
        start = previous[0]
        # An unknown name is often split into single characters (儒 岙 镇): join them back; a
        # function character only when the dictionary knows the whole as a name (中|京|电投: 中京).
        while suffix_start - start < self.rule.min_core:
            previous = bounds.token_before(start)
            char = text[previous[0]:previous[1]] if previous else ""
            if len(char) != 1 or not is_han(char):
                break
            if self.dictionary and self.dictionary.is_function_char(char):
                if self.dictionary.entries.get(char + text[start:suffix_start], (0, ""))[1] in NAME_TAGS:
                    start = previous[0]
                break
            start = previous[0]
        return start

    def _rejection(self, core: str, suffix: str) -> str | None:
        """Why the core can be no name at all (shape and stop-lists)."""
        if not is_han(core):
            return "not Chinese characters"
        if not self.rule.min_core <= len(core) <= self.rule.max_core:
            return "core length out of range"
        if set(core) <= PLACEHOLDER_CHARS:
            return "already masked"
        if core in self.stop_words:
            return STOP_LISTED
        if core + suffix in self.stop_words:
            return "stop-listed with its suffix"
        if any(core.startswith(prefix) for prefix in self.rule.stop_prefixes):
            return STOP_PREFIX
        if any(core.endswith(ending) for ending in self.rule.stop_endings):
            return "ends like an office or administrative word"
        if self.dictionary and self.dictionary.is_common(core[-1] + suffix):
            return f"the suffix belongs to the word 「{core[-1] + suffix}」"
        if self.dictionary and self.dictionary.is_common(core + suffix):
            return "the whole is a common word"
        if self.dictionary and self.dictionary.entries.get(core[-1], (0, ""))[1] in PARTICLE_TAGS:
            return "ends with a particle"
        if core[-1] in self.rule.slogan_verbs and len(core) > 2 and self.dictionary \
                and self.dictionary.is_common(core[:-1]):
            return f"a slogan: 「{core[:-1]}」 and the verb 「{core[-1]}」"
        return None

    def _ordinary_word(self, core: str, suffix: str) -> str | None:
        """Why the core reads as an ordinary word rather than a name (the context may still make
        it one: `_naming_context`)."""
        if self.dictionary and self.dictionary.is_common(core) and not self._rare_word_name(core, suffix):
            return "a common word, not a name"
        if self.dictionary and self.dictionary.starts_with_grammatical_word(core):
            return "starts with a grammatical word"
        return None

    def _rare_word_name(self, core: str, suffix: str) -> bool:
        """A rare dictionary word before a suffix that always names a place (前湾新区, not 城市新区)."""
        frequency = self.dictionary.entries[core][0] if self.dictionary else 0
        return suffix in self.rule.rare_word_suffixes and frequency < self.rule.rare_word_frequency

    def _named_in_context(self, text: str, bounds: TokenBounds, start: int, suffix_start: int,
                          suffix_end: int, context_only: bool = False) -> str | None:
        """Why a core that reads as an ordinary word names a place after all: the segmenter keeps
        it and the suffix together, no quotation marks make it a slogan (“幸福路”), and either the
        core is unknown to the dictionary (太河路: 太 opens it, but as no adverb) or a word around
        it speaks of the place (宝丰路|交通). `context_only`: only the second (镇小路|等, whose
        镇 opens ordinary phrases too)."""
        names = self.rule.ordinary_word_names
        if names is None or text[suffix_start:suffix_end] not in names.suffixes:
            return None
        if bounds.token_at(start) != (start, suffix_end):
            return None
        if text[start - 1:start] in OPENING_QUOTES or text[suffix_end:suffix_end + 1] in CLOSING_QUOTES:
            return None
        whole = text[start:suffix_end]
        if not context_only and self.dictionary and text[start:suffix_start] not in self.dictionary.entries:
            return f"「{whole}」 is one word of a name unknown to the dictionary"
        context = next((w for w in names.after if text.startswith(w, suffix_end)), None) \
            or next((w for w in names.before if text.endswith(w, 0, start)), None)
        return f"「{whole}」 is one word and 「{context}」 speaks of the place" if context else None

    def _glued_to_district(self, text: str, bounds: TokenBounds, start: int, end: int) -> bool:
        """A street suffix that the segmenter glued to the district word after it (和平|路片区)."""
        names = self.rule.ordinary_word_names
        return names is not None and text[start:end] in names.suffixes and any(
            text.startswith(word, end) and bounds.token_at(start) == (start, end + len(word))
            for word in names.districts)

    @staticmethod
    def _core_token_then_suffix(bounds: TokenBounds, start: int, suffix_start: int) -> bool:
        """The core is one token and the suffix opens the next (和平|路片区, 和平|路|片区)."""
        suffix_token = bounds.token_at(suffix_start)
        return bounds.token_at(start) == (start, suffix_start) and suffix_token is not None \
            and suffix_token[0] == suffix_start

    def _district_named_after(self, text: str, bounds: TokenBounds, start: int, suffix_start: int,
                              suffix_end: int) -> str | None:
        """Why a core, even an ordinary or stop-listed word, names a street: a district word
        follows the suffix (和平路片区: a district is named after a street, never after a metaphor),
        and the core stands whole, alone or with its suffix, out of quotation marks."""
        names = self.rule.ordinary_word_names
        if names is None or text[suffix_start:suffix_end] not in names.suffixes:
            return None
        district = next((word for word in names.districts if text.startswith(word, suffix_end)), None)
        whole = bounds.token_at(start) == (start, suffix_end) \
            or self._core_token_then_suffix(bounds, start, suffix_start)
        if district is None or not whole or text[start - 1:start] in OPENING_QUOTES:
            return None
        if self.dictionary and not self._safe_to_propagate(text[start:suffix_start]):
            return None
        street = text[start:suffix_end]
        return f"「{street}」 names the district 「{street}{district}」"

    def _safe_to_propagate(self, core: str) -> bool:
        """A core that may be masked in every mention: no grammatical word (这|路片区), and either
        no common word at all or one masked again only in its own context (和平, 文明: see
        `is_ordinary_word_entity`)."""
        dictionary = self.dictionary
        assert dictionary is not None
        if dictionary.entries.get(core, (0, ""))[1] in GRAMMATICAL_TAGS:
            return False
        return is_ordinary_word_entity(core, "PLACE") or not dictionary.is_common(core)
