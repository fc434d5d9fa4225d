"""Common Chinese words with part-of-speech tags, from the dictionary file shipped in jieba.

Used to tell a proper name (`沙溪`, unknown to the dictionary, or tagged ns/nr/nt) from an
ordinary word that happens to stand before a suffix (`完善县乡…`, `开展公路…`). Only the data
file is read; jieba's segmenter is never imported.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from redact.errors import ModelError

PROPER_NOUN_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nt"})
PERSON_TAGS = frozenset({"nr", "nrt", "nrfg"})
FREQUENT_CHAR = 3000
FREQUENT_WORD = 300
VERY_FREQUENT_WORD = 1000
GRAMMATICAL_TAGS = frozenset({"p", "c", "u", "d", "r"})


class CommonWords:
    """Word → (frequency, tag) lookups over jieba's dictionary."""

    def __init__(self, entries: dict[str, tuple[int, str]]) -> None:
        self.entries = entries

    def is_common(self, word: str) -> bool:
        """Listed with a tag other than a proper-noun tag, or so frequent that the tag does not
        matter (jieba tags 城市 and 新建 as place names, 智慧 as a person's name)."""
        entry = self.entries.get(word)
        return entry is not None and (entry[1] not in PROPER_NOUN_TAGS or entry[0] >= VERY_FREQUENT_WORD)

    def starts_with_grammatical_word(self, text: str) -> bool:
        """`根据市…`, `对于…`: a preposition, conjunction, particle, adverb or pronoun opens the text."""
        return any(self.entries.get(text[:n], (0, ""))[1] in GRAMMATICAL_TAGS for n in (1, 2) if len(text) > n)

    def is_frequent_word(self, word: str, min_frequency: int = FREQUENT_WORD) -> bool:
        """A common word frequent enough that a local name spelled the same is unlikely (城关 yes, 海门 no)."""
        entry = self.entries.get(word)
        return entry is not None and entry[1] not in PROPER_NOUN_TAGS and entry[0] >= min_frequency

    def is_function_char(self, char: str) -> bool:
        """A frequent single character that is not a proper-noun part (为, 及, 让, 我 …)."""
        entry = self.entries.get(char)
        return entry is not None and entry[0] >= FREQUENT_CHAR and entry[1] not in PROPER_NOUN_TAGS


def is_han(text: str) -> bool:
    """True when every character is a CJK ideograph."""
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


@lru_cache(maxsize=1)
def common_words() -> CommonWords:
    """The dictionary, read once per process.

    Parsing the 350k lines takes about half a second, so the words are cached on disk in shards
    by first character (redact/cache.py) and a shard is read when a word in it is looked up.
    """
    from redact import cache

    path = dictionary_file()
    store = cache.sharded(cache.key("common-words", files=(path, __file__)), lambda: _by_first_char(_read(path)))
    return CommonWords(_read(path) if store is None else ShardedWords(store))


def dictionary_file() -> Path:
    """jieba's dictionary file (word, frequency, tag per line)."""
    if importlib.util.find_spec("jieba") is None:
        raise ModelError("the jieba package (its dictionary file) is missing; reinstall redact")
    return Path(str(importlib.resources.files("jieba") / "dict.txt"))


def _read(path: Path) -> dict[str, tuple[int, str]]:
    entries: dict[str, tuple[int, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, frequency, tag = line.split(" ")
        entries[word] = (int(frequency), tag)
    return entries


def _by_first_char(entries: dict[str, tuple[int, str]]) -> dict[str, dict[str, tuple[int, str]]]:
    shards: dict[str, dict[str, tuple[int, str]]] = {}
    for word, entry in entries.items():
        shards.setdefault(word[:1], {})[word] = entry
    return shards


class ShardedWords(Mapping[str, tuple[int, str]]):
    """The dictionary as a read-only mapping that loads one first-character shard at a time."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._shards: dict[str, dict[str, tuple[int, str]]] = {}

    def _shard(self, word: str) -> dict[str, tuple[int, str]]:
        key = word[:1]
        shard = self._shards.get(key)
        if shard is None:
            shard = self._shards[key] = self._store.get(key, {}) if key else {}
        return shard

    def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
        return self._shard(word).get(word, default)

    def __getitem__(self, word: str) -> tuple[int, str]:
        return self._shard(word)[word]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._shard(word)

    def __iter__(self) -> Iterator[str]:
        for key in sorted(self._store.keys()):
            yield from self._shard(key)

    def __len__(self) -> int:
        return sum(len(self._shard(key)) for key in self._store.keys())


def is_ordinary_word_entity(word: str, label: str) -> bool:
    """A frequent ordinary word (民生, 452 uses in the dictionary; not 永丰, 43), more often the word
    itself than the name: masked again only in its own context, never lent to another file. So is,
    for a place or an organisation, a very frequent word the dictionary tags as a person's name
    (文明, 光荣, 红旗 of 红旗路): 光荣路 is no reason to mask 光荣退休."""
    words = common_words()
    if words.is_frequent_word(word):
        return True
    entry = words.entries.get(word)
    return label != "PERSON" and entry is not None and entry[1] in PERSON_TAGS and entry[0] >= VERY_FREQUENT_WORD
