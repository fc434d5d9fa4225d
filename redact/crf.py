"""pkuseg's CRF segmentation, vectorised over whole batches of pieces with numpy, its model read
from numeric tables that every process memory-maps.

spacy_pkuseg extracts the features of a piece position by position (Cython, building and
looking up some 60 feature strings per character in a dict of 2.6 M strings), sums their weights
(`getLogYY`) and decodes with Viterbi. Here the same features are found for all positions of
all pieces at once, in arrays made once from pkuseg's dict (`model_arrays`):

- Text is mapped to one codepoint per pkuseg token (`compact`): the separators pkuseg
  renames become `&`, digits become NUM (standing for pkuseg's `**Num`), letters LETTER
  (`**Letter`). Positions are indices into the concatenated pieces; a feature reaching past the
  end of its piece is dropped, as pkuseg drops it.
- Character features (`c.`, `c-1c.` …) are keyed by a token's codepoint, or an adjacent pair's
  two codepoints packed in one int64; `Features` finds every key's row of feature indices
  (one per template) with a direct index over codepoints, or a hash table (`KeyTable`) that
  looks up all keys at once.
- Word features need the unigram words of 2 to 6 tokens starting at each position: the words
  are a trie stored level by level in hash tables (`WordTrie`), so all positions descend it
  together; each word is known by its index. `w-1.` / `w1.` features are rows of a table over
  these indices, `ww.l.` / `ww.r.` ones (pairs of words meeting at a boundary: a word ending
  right before a position and one starting at it) rows of the pair keys `first * count +
  second` (count: how many words there are).
- The node scores are the weight rows of the features, summed with one `np.bincount` over the
  features listed in pkuseg's order, so every position adds the same numbers in the same order
  as `getLogYY`: the scores are bit-identical, and so is pkuseg's own `run_viterbi` on them.

A feature no text can make (a character normalisation replaces, a word no text matches) is
left out of the tables: pkuseg never looks it up either. Not modelled: word features on an
empty word (pkuseg's word of a window reaching past the piece) or on `**noWord` (a window that
is no word). spacy_pkuseg's default model has none (`model_arrays` records whether a model has
any, and such a model is segmented by pkuseg itself).

Post-processing (`RunMerger`, `ListedWords`) merges runs of words found in pkuseg's word list,
looked up by hash (then compared character by character) in arrays too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from spacy_pkuseg.config import config
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.inference import run_viterbi

WORD_MIN, WORD_MAX = config.wordMin, config.wordMax
SLOTS = range(WORD_MAX, WORD_MIN - 1, -1)  # word lengths in pkuseg's order
NUM, LETTER = "0", "Ａ"  # stand for **Num / **Letter: both are normalised away in texts
TOKENS = {NUM: "**Num", LETTER: "**Letter"}
SPECIAL = {name: char for char, name in TOKENS.items()}
EXPAND = str.maketrans(TOKENS)
CHAR_BITS = 16  # dense character codes of unigram words (WordTrie), packed in trie keys
CODEPOINT_BITS = 21
# Feature templates, in the column order of the rows `Features` returns.
CHAR_TEMPLATES = ("c", "c-1", "c1", "c-2", "c2")  # on one token
PAIR_TEMPLATES = ("c-1c", "cc1", "c-2c-1")  # on two adjacent tokens
WORD_TEMPLATES = ("w-1", "w1")  # on one word
WORD_PAIR_TEMPLATES = ("ww.l", "ww.r")  # on two words meeting at a boundary

# pkuseg's normalisation (with its default configuration): rename separators, then numbers, letters.
COMPACT = {ord(c): "&" for c in FeatureExtractor.keywords}
COMPACT.update({ord(c): NUM for c in FeatureExtractor.num if ord(c) not in COMPACT})
COMPACT.update({ord(c): LETTER for c in FeatureExtractor.letter if ord(c) not in COMPACT})
# Characters no token is: the renamed separators, and digits and letters when normalised.
NOT_TOKENS = frozenset(chr(c) for c, to in COMPACT.items() if chr(c) != to)
_COMPACT_CODES = np.arange(max(COMPACT) + 2, dtype=np.int64)
_COMPACT_CODES[list(COMPACT)] = [ord(to) for to in COMPACT.values()]
_COMPACT_CODES[-1] = -1  # every codepoint beyond the table stays as it is


def codepoints(text: str) -> np.ndarray:
    """The codepoints of `text`, as int64."""
    return np.frombuffer(text.encode("utf-32-le"), np.uint32).astype(np.int64)


def compact(points: np.ndarray) -> np.ndarray:
    """pkuseg's normalised tokens of the text of codepoints `points`, one codepoint each (NUM for
    **Num, LETTER for **Letter)."""
    mapped = _COMPACT_CODES[np.minimum(points, len(_COMPACT_CODES) - 1)]
    return np.where(mapped < 0, points, mapped)


def token_code(name: str) -> int | None:
    """The codepoint `compact` gives pkuseg's token `name`; None if no text has that token."""
    if name in SPECIAL:
        return ord(SPECIAL[name])
    if len(name) == 1 and name not in NOT_TOKENS and name not in TOKENS:
        return ord(name)
    return None


def unmodelled(feature: str) -> bool:
    """Whether `feature` is a word feature on an empty or missing word (conservatively: a
    `ww.` pair whose payload starts or ends with the pair separator `*` is one)."""
    if feature in ("w-1.", "w1.") or "**noWord" in feature:
        return True
    if not feature.startswith(("ww.l.", "ww.r.")):
        return False
    payload = feature[5:]
    return payload.endswith("*") or (payload.startswith("*") and not payload.startswith(tuple(TOKENS.values())))


def search(keys: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where, found): the index of each of `queries` in the sorted `keys`, and whether it is there."""
    at = np.minimum(np.searchsorted(keys, queries), max(len(keys) - 1, 0))
    return at, keys[at] == queries if len(keys) else np.zeros(len(queries), bool)


class WordTrie:
    """pkuseg's unigram words of WORD_MIN..WORD_MAX tokens, as a trie stored level by level in
    `arrays`.

    Characters get dense codes (`codes[codepoint]`: 1…, 0 for characters in no word). A prefix
    of length 1 is known by its code; one of length l > 1 by its number in `levels[l]` (a
    `KeyTable` of the keys `number of its prefix of length l-1 << CHAR_BITS | code of its last
    character`, numbered in their order). `words[l][number]` is the word (its index, 0 …
    count-1) the prefix is, or -1. `names` are the words (only building needs them).
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], names: list[str] | None = None) -> None:
        lengths = range(2, WORD_MAX + 1)
        self.arrays = {name: array for name, array in arrays.items() if name.startswith("trie.")}
        self.codes, self.count = arrays["trie.codes"], int(arrays["trie.count"][0])
        self.levels = {length: KeyTable(arrays, f"trie.levels.{length}") for length in lengths}
        self.words = {length: arrays[f"trie.words.{length}"] for length in lengths}
        self.names = names

    @classmethod
    def build(cls, unigram: Iterable[str]) -> WordTrie:
        names, compacts = _matchable(unigram)
        lengths = np.array([len(c) for c in compacts], np.intp)
        codepoints = np.zeros((len(compacts), WORD_MAX), np.int64)
        for length in range(WORD_MIN, WORD_MAX + 1):
            rows = np.flatnonzero(lengths == length)
            blob = "".join([compacts[r] for r in rows.tolist()]).encode("utf-32-le")
            codepoints[rows, :length] = np.frombuffer(blob, np.uint32).reshape(len(rows), length)
        chars = np.unique(codepoints[codepoints > 0])
        if len(chars) >= 1 << CHAR_BITS:
            raise ValueError("too many distinct characters in pkuseg's words")
        all_codes = np.zeros(int(chars[-1]) + 2 if len(chars) else 1, np.int64)
        all_codes[chars] = np.arange(1, len(chars) + 1)
        arrays = {"trie.codes": all_codes, "trie.count": np.array([len(names)], np.int64)}
        codes = all_codes[codepoints]
        ids = codes[:, 0]
        for length in range(2, WORD_MAX + 1):
            rows = np.flatnonzero(lengths >= length)
            level, ids_at = np.unique(ids[rows] << CHAR_BITS | codes[rows, length - 1], return_inverse=True)
            arrays.update(KeyTable.build(level, f"trie.levels.{length}"))
            ids = np.full(len(compacts), -1, np.int64)
            ids[rows] = ids_at
            words = arrays[f"trie.words.{length}"] = np.full(len(level), -1, np.int64)
            whole = rows[lengths[rows] == length]
            words[ids[whole]] = whole
        return cls(arrays, names)

    def matches(self, tokens: np.ndarray, room: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Length → (start positions, word indices) of the words at every position of the
        `compact` codepoints `tokens`; `room[i]`: how many positions follow i in its piece."""
        codes = self.codes[np.minimum(tokens, len(self.codes) - 1)]
        starts = np.flatnonzero(codes > 0)
        ids = codes[starts]
        found = {}
        for length in range(2, WORD_MAX + 1):
            keep = room[starts] >= length - 1
            starts, ids = starts[keep], ids[keep]
            if not len(starts):
                break
            ids = self.levels[length].find(ids << CHAR_BITS | codes[starts + length - 1])
            hit = ids >= 0
            starts, ids = starts[hit], ids[hit]
            words = self.words[length][ids]
            whole = words >= 0
            found[length] = (starts[whole], words[whole])
        return found


def _matchable(unigram: Iterable[str]) -> tuple[list[str], list[str]]:
    """The unigram words of WORD_MIN..WORD_MAX tokens that a text can match, and their compact
    forms (words with a separator, digit or letter that normalisation replaces never match)."""
    names, compacts = [], []
    plain_bad = NOT_TOKENS | set(TOKENS)
    for word in unigram:
        if "*" in word:
            short = word.replace(TOKENS[NUM], NUM).replace(TOKENS[LETTER], LETTER)
            if short.translate(EXPAND) != word or not NOT_TOKENS.isdisjoint(short):
                continue
        elif WORD_MIN <= len(word) <= WORD_MAX and plain_bad.isdisjoint(word):
            short = word
        else:
            continue
        if WORD_MIN <= len(short) <= WORD_MAX:
            names.append(word)
            compacts.append(short)
    return names, compacts


class Features:
    """The feature indices of a pkuseg model by key (made by `model_arrays`): rows with one column
    per template of a group (CHAR_TEMPLATES …), -1 where the model has no such feature. Each
    table of rows ends with a row of -1s, the row of keys the model has no feature of. A token's
    row is found by a direct index over codepoints, a pair's by a hash table (`KeyTable`)."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.char_index, self.char_rows = arrays["chars.index"], arrays["chars.rows"]
        self.pair_table, self.pair_rows = KeyTable(arrays, "pairs"), arrays["pairs.rows"]
        self.word_rows = arrays["words.rows"]
        self.word_pair_table, self.word_pair_rows = KeyTable(arrays, "word_pairs"), arrays["word_pairs.rows"]

    def chars(self, tokens: np.ndarray) -> np.ndarray:
        """`c.` `c-1.` `c1.` `c-2.` `c2.` of each token (a `compact` codepoint)."""
        return self.char_rows[self.char_index[np.minimum(tokens, len(self.char_index) - 1)]]

    def pairs(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """`c-1c.` `cc1.` `c-2c-1.` of each pair of tokens `first`.`second`."""
        return self.pair_rows[self.pair_table.find(first << CODEPOINT_BITS | second)]

    def words(self, words: np.ndarray) -> np.ndarray:
        """`w-1.` `w1.` of each word (its index in the WordTrie)."""
        return self.word_rows[words]

    def word_pairs(self, keys: np.ndarray) -> np.ndarray:
        """`ww.l.` `ww.r.` of each pair of words `first*second` (key `first * count + second`)."""
        return self.word_pair_rows[self.word_pair_table.find(keys)]


KEY_HASH = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key * KEY_HASH


class KeyTable:
    """Distinct int64 keys (>= 0) numbered 0, 1 … in a hash table with linear probing: a key is in
    the first slot from its home slot (`_home`) on that is free or holds it. `slots` (a power of
    two of them, at most half of them taken) hold the keys (-1: free), `numbers` their numbers.
    `find` looks up all the keys asked at once, with a few random reads each instead of the
    twenty of a binary search."""

    def __init__(self, arrays: Mapping[str, np.ndarray], name: str) -> None:
        self.slots, self.numbers = arrays[f"{name}.slots"], arrays[f"{name}.numbers"]

    @staticmethod
    def build(keys: np.ndarray, name: str) -> dict[str, np.ndarray]:
        """The arrays of the table of `keys` (distinct), numbered in their order, under `name`."""
        slots = np.full(1 << max(1, (2 * len(keys)).bit_length()), -1, np.int64)
        numbers = np.full(len(slots), -1, np.int32)
        pending, at = np.arange(len(keys)), _home(keys, len(slots))
        while len(pending):
            free = np.flatnonzero(slots[at] < 0)
            taken, first = np.unique(at[free], return_index=True)  # one key per free slot
            slots[taken], numbers[taken] = keys[pending[free[first]]], pending[free[first]]
            left = np.ones(len(pending), bool)
            left[free[first]] = False
            pending, at = pending[left], (at[left] + 1) & (len(slots) - 1)
        return {f"{name}.slots": slots, f"{name}.numbers": numbers}

    def find(self, keys: np.ndarray) -> np.ndarray:
        """The number of each of `keys`, -1 for keys not in the table."""
        found = np.full(len(keys), -1, np.intp)
        pending, at = np.arange(len(keys)), _home(keys, len(self.slots))
        while len(pending):
            held = self.slots[at]
            hit = held == keys[pending]
            found[pending[hit]] = self.numbers[at[hit]]
            more = ~hit & (held >= 0)
            pending, at = pending[more], (at[more] + 1) & (len(self.slots) - 1)
        return found


def _home(keys: np.ndarray, size: int) -> np.ndarray:
    """The home slots of `keys` in a table of `size` (a power of two) slots."""
    return ((keys.astype(np.uint64) * KEY_HASH) >> np.uint64(65 - size.bit_length())).astype(np.intp)


def model_arrays(features: Mapping[str, int], unigram: Iterable[str]) -> dict[str, np.ndarray]:
    """A pkuseg model's feature dict and unigram words as the arrays `Crf` reads (`WordTrie`,
    `Features`), and `modelled` ([1] when `Crf` models every feature of the model, else [0]: the
    model is no use to `Crf`).

    Every feature a text can make is in the arrays, with its index; the others are left out.
    """
    trie = WordTrie.build(unigram)
    names = {name: index for index, name in enumerate(trie.names or ())}
    groups = (CHAR_TEMPLATES, PAIR_TEMPLATES, WORD_TEMPLATES, WORD_PAIR_TEMPLATES)
    templates = {template: (kind, column) for kind, group in enumerate(groups) for column, template in enumerate(group)}
    found: list[tuple[list[int], list[int], list[int]]] = [([], [], []) for _ in groups]  # columns, keys, indices
    modelled = True
    for feature, index in features.items():
        template, _, payload = feature.partition(".")
        if template == "ww":
            side, _, payload = payload.partition(".")
            template = f"ww.{side}"
        kind, column = templates.get(template, (-1, 0))
        if kind == 0:
            key = token_code(payload)
        elif kind == 1:
            key = _pair_key(payload)
        elif kind == 2:
            key = names.get(payload)
        elif kind == 3:
            pairs = _word_pairs(payload, names)
            modelled &= len(pairs) <= 1  # one way to split a word pair (always, for words a text can match)
            key = pairs[0][0] * trie.count + pairs[0][1] if pairs else None
        else:
            continue
        if key is not None:
            columns, keys, indices = found[kind]
            columns.append(column)
            keys.append(key)
            indices.append(index)
    modelled &= not any(map(unmodelled, features))
    if max(features.values(), default=0) >= 1 << 31:
        raise ValueError("too many pkuseg features")
    arrays = dict(trie.arrays)
    for name, group, (columns, keys, indices) in zip(("chars", "pairs", "words", "word_pairs"), groups, found):
        if name == "words":
            arrays["words.rows"] = rows = np.full((trie.count, len(group)), -1, np.int32)
            rows[np.array(keys, np.intp), np.array(columns, np.intp)] = indices
            continue
        distinct, inverse = np.unique(np.array(keys, np.int64), return_inverse=True)
        arrays[f"{name}.rows"] = rows = np.full((len(distinct) + 1, len(group)), -1, np.int32)
        rows[inverse, np.array(columns, np.intp)] = indices
        if name == "chars":  # codepoint → row; the last entry stands for every codepoint above
            arrays["chars.index"] = index = np.full(int(distinct[-1]) + 2 if len(distinct) else 1, -1, np.int32)
            index[distinct] = np.arange(len(distinct))
        else:
            arrays.update(KeyTable.build(distinct, name))
    arrays["modelled"] = np.array([modelled], np.int8)
    return arrays


def _pair_key(payload: str) -> int | None:
    """The key (`Features.pairs`) of a pair feature's `first.second`; None when no text has it."""
    head = next((len(name) for name in SPECIAL if payload.startswith(name)), 1)
    first, second = token_code(payload[:head]), token_code(payload[head + 1:])
    if payload[head:head + 1] != "." or first is None or second is None:
        return None
    return first << CODEPOINT_BITS | second


def _word_pairs(payload: str, names: Mapping[str, int]) -> list[tuple[int, int]]:
    """The pairs of words (indices in `names`) a word pair feature's `first*second` may be."""
    pairs = []
    at = payload.find("*")
    while at >= 0:
        first, second = names.get(payload[:at]), names.get(payload[at + 1:])
        if first is not None and second is not None:
            pairs.append((first, second))
        at = payload.find("*", at + 1)
    return pairs


class Crf:
    """pkuseg's segmentation of pieces of text (`segment`), with a model's `model_arrays`, its
    weights and its tags."""

    def __init__(self, arrays: Mapping[str, np.ndarray], weights: np.ndarray, n_feature: int,
                 tags: dict[int, str]) -> None:
        self.trie = WordTrie(arrays)
        self.features = Features(arrays)
        n_tag = len(tags)
        self.n_tag = n_tag
        weights = np.asarray(weights)
        self.node = weights[:n_feature * n_tag].reshape(n_feature, n_tag)
        edge = weights[n_feature * n_tag:(n_feature + n_tag) * n_tag].reshape(n_tag, n_tag)
        self.edge = np.ascontiguousarray(1.0 + edge.T)  # [previous tag, tag], as getLogYY has it
        self.begins = np.array(["B" in tags[t] for t in range(n_tag)])

    def segment(self, pieces: Sequence[str]) -> list[list[str]]:
        """The words of each piece, as `pkuseg._cut` cuts it."""
        text = "".join(pieces)
        ends = np.cumsum([len(p) for p in pieces], dtype=np.int64)
        return split(text, self.word_starts(text, ends), ends)

    def word_starts(self, text: str, ends: np.ndarray) -> np.ndarray:
        """Where the words of the pieces of `text` (ending at `ends`) start."""
        if not text:
            return np.empty(0, np.int64)
        scores = self.node_scores(compact(codepoints(text)), ends)
        begins = np.zeros(len(text), bool)
        start = 0
        for end in ends.tolist():
            if end > start:
                _, tags = run_viterbi(scores[start:end], self.edge)
                begins[start:end] = self.begins[tags]
                begins[start] = True
            start = end
        return np.flatnonzero(begins)

    def node_scores(self, tokens: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """getLogYY's node scores of the `compact` codepoints `tokens`, pieces ending at `ends`."""
        size = len(tokens)
        lengths = np.diff(ends, prepend=0)
        positions = np.arange(size)
        before = positions - np.repeat(ends - lengths, lengths)  # positions before i in its piece
        after = np.repeat(ends - 1, lengths) - positions  # positions after i in its piece
        entries = self._char_entries(tokens, before, after)
        entries += self._word_entries(self.trie.matches(tokens, after), before)
        at = np.concatenate([a for a, _ in entries])
        ids = np.concatenate([i for _, i in entries])
        present = ids >= 0
        at, ids = at[present], ids[present]
        bins = (at * self.n_tag)[:, None] + np.arange(self.n_tag)
        sums = np.bincount(bins.ravel(), weights=self.node[ids].ravel(), minlength=size * self.n_tag)
        return sums.reshape(size, self.n_tag)

    def _char_entries(self, tokens: np.ndarray, before: np.ndarray,
                      after: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(positions, feature indices) of `$$` and of the character features, in pkuseg's order."""
        size = len(tokens)
        chars = self.features.chars(tokens)  # c. c-1. c1. c-2. c2. of each token
        pairs = self.features.pairs(tokens[:-1], tokens[1:])  # c-1c. cc1. c-2c-1.
        everywhere = np.arange(size)
        has_1, has_2 = np.flatnonzero(before >= 1), np.flatnonzero(before >= 2)
        to_1, to_2 = np.flatnonzero(after >= 1), np.flatnonzero(after >= 2)
        return [(everywhere, np.zeros(size, np.int32)),  # pkuseg's `$$` is feature 0, always
                (everywhere, chars[:, 0]),
                (has_1, chars[has_1 - 1, 1]), (has_1, pairs[has_1 - 1, 0]),
                (to_1, chars[to_1 + 1, 2]), (to_1, pairs[to_1, 1]),
                (has_2, chars[has_2 - 2, 3]), (has_2, pairs[has_2 - 2, 2]),
                (to_2, chars[to_2 + 2, 4])]

    def _word_entries(self, matches: dict[int, tuple[np.ndarray, np.ndarray]],
                      before: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(positions, feature indices) of the word features, in pkuseg's order."""
        none = np.empty(0, np.intp)
        slots = [matches.get(length, (none, none)) for length in SLOTS]
        features = self.features.words(np.concatenate([words for _, words in slots]))
        rows = np.cumsum([0] + [len(words) for _, words in slots]).tolist()
        entries = [(starts + length - 1, features[rows[k]:rows[k + 1], 0])  # w-1.: the word ends at i
                   for k, (length, (starts, _)) in enumerate(zip(SLOTS, slots))]
        entries += [(starts, features[rows[k]:rows[k + 1], 1])  # w1.: it starts at i
                    for k, (starts, _) in enumerate(slots)]
        pairs = self._pairs(slots, before)
        features = self.features.word_pairs(np.concatenate([keys for _, keys in pairs]))
        rows = np.cumsum([0] + [len(keys) for _, keys in pairs]).tolist()
        entries += [(at, features[rows[k]:rows[k + 1], 0])  # ww.l.: the second word starts at i
                    for k, (at, _) in enumerate(pairs)]
        entries += [(at - 1, features[rows[k]:rows[k + 1], 1])  # ww.r.: the first word ends at i
                    for k, (at, _) in enumerate(pairs)]
        return entries

    def _pairs(self, slots: list[tuple[np.ndarray, np.ndarray]],
               before: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(boundaries, keys) of the pairs of words meeting at a boundary inside a piece (the
        position the second word starts at), for each pair of lengths in pkuseg's order."""
        size = len(before)
        ending = np.full((len(slots), size + 1), -1, np.int64)  # the word of each length ending before b
        starting = np.full((len(slots), size + 1), -1, np.int64)
        for k, (length, (starts, words)) in enumerate(zip(SLOTS, slots)):
            ending[k, starts + length] = words
            starting[k, starts] = words
        meet = np.flatnonzero((ending.max(0) >= 0) & (starting.max(0) >= 0))
        meet = meet[before[meet] >= 1]
        ending, starting = ending[:, meet], starting[:, meet]
        count = self.trie.count
        pairs = []
        for first in ending:
            for second in starting:
                both = (first >= 0) & (second >= 0)
                pairs.append((meet[both], first[both] * count + second[both]))
        return pairs


def split(text: str, starts: np.ndarray, ends: np.ndarray) -> list[list[str]]:
    """The words of each piece of `text` (ending at `ends`), the words starting at `starts`."""
    bounds = np.append(starts, len(text)).tolist()
    words = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    last = np.searchsorted(starts, ends).tolist()
    return [words[a:b] for a, b in zip([0, *last], last)]


HASH_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
HASH_INVERSE = pow(HASH_BASE, -1, 1 << 64)
LISTED_BITS = 25  # a 4 MB bit set: about 1% of the spans that are not listed words get further


class ListedWords:
    """A word list (pkuseg's post-processing words) as arrays (made by `listed_arrays`): the
    words' hashes (`string_hashes`) sorted, the words' codepoints in the same order (word k is
    `points[offsets[k]:offsets[k + 1]]`), and a bit set of the hashes' top LISTED_BITS bits.

    `holds` looks up many spans of a text at once: the bit set rules out most of those that are
    not listed, the sorted hashes nearly all the others, and the characters of the remaining
    ones are compared with the word of their hash, so that a collision of hashes changes nothing.
    `in` (pkuseg's `Postprocesser` uses it) looks up one word.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.bits, self.hashes = arrays["bits"], arrays["hashes"]
        self.offsets, self.points = arrays["offsets"], arrays["points"]

    def __len__(self) -> int:
        return len(self.hashes)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return bool(self.holds(codepoints(word), string_hashes([word]), np.zeros(1, np.int64),
                               np.full(1, len(word), np.int64))[0])

    def holds(self, points: np.ndarray, hashes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Whether each span `starts[k]:ends[k]` of the text of codepoints `points` (of hash
        `hashes[k]`) is a listed word."""
        held = np.zeros(len(hashes), bool)
        maybe = np.flatnonzero(_has_bits(self.bits, hashes))
        low = np.searchsorted(self.hashes, hashes[maybe])
        high = np.searchsorted(self.hashes, hashes[maybe], side="right")
        for shift in range(int((high - low).max(initial=0))):  # listed words of one hash: nearly always 1
            some = low + shift < high
            spans, words = maybe[some], low[some] + shift
            held[spans[self._equal(points, starts[spans], ends[spans], words)]] = True
        return held

    def _equal(self, points: np.ndarray, starts: np.ndarray, ends: np.ndarray, words: np.ndarray) -> np.ndarray:
        """Whether each span of the text of codepoints `points` is the listed word `words[k]`."""
        lengths = ends - starts
        same = self.offsets[words + 1] - self.offsets[words] == lengths
        spans, lengths = np.flatnonzero(same), lengths[same]
        owner = np.repeat(np.arange(len(spans)), lengths)
        ramp = np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        differ = (points[np.repeat(starts[spans], lengths) + ramp]
                  != self.points[np.repeat(self.offsets[words[spans]], lengths) + ramp])
        same[spans] = np.bincount(owner[differ], minlength=len(spans)) == 0
        return same


def listed_arrays(words: Iterable[str]) -> dict[str, np.ndarray]:
    """The arrays of `ListedWords` for `words`."""
    words = sorted(set(words))
    hashes = string_hashes(words)
    order = np.argsort(hashes, kind="stable")
    ordered = [words[k] for k in order.tolist()]
    lengths = np.array([len(word) for word in ordered], np.int64)
    return {"bits": listed_bits(hashes), "hashes": hashes[order],
            "offsets": np.concatenate([np.zeros(1, np.int64), np.cumsum(lengths)]),
            "points": codepoints("".join(ordered)).astype(np.uint32)}


class RunMerger:
    """pkuseg's post-processing (`Postprocesser` with no common words) of a batch of pieces.

    pkuseg merges, for run lengths 7, 6 … 2 and from left to right, every run of words that is
    a word of its list (unless the run's words are all listed too) into one word, and goes on
    right after it. It looks every run up; here the runs of each length are looked up for all
    pieces at once (`ListedWords.holds`, by the runs' hashes), and so are the words of the runs
    that are listed.
    """

    def __init__(self, listed: ListedWords) -> None:
        self.listed = listed

    def merge(self, text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """The word starts after post-processing the words of each piece of `text` (ending at
        `ends`, its words starting at `starts`)."""
        if not len(starts):
            return starts
        points = codepoints(text)
        prefix, powers = _prefix_hashes(points)

        def listed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return self.listed.holds(points, (prefix[b] - prefix[a]) * powers[a], a, b)

        bounds = np.append(starts, len(text))
        piece = np.searchsorted(ends, starts, side="right")
        for size in range(7, 1, -1):
            runs = len(piece) - size + 1
            if runs <= 0:
                continue
            first = np.flatnonzero(piece[size - 1:] == piece[:runs])
            first = first[listed(bounds[first], bounds[first + size])]
            separate = np.ones(len(first), bool)  # all its words listed: pkuseg leaves the run as it is
            for k in range(size):
                separate &= listed(bounds[first + k], bounds[first + k + 1])
            merged: list[int] = []
            done = 0
            for i in first[~separate].tolist():
                if i >= done:
                    merged.extend(range(i + 1, i + size))
                    done = i + size
            if merged:
                bounds, piece = np.delete(bounds, merged), np.delete(piece, merged)
        return bounds[:-1]


def _powers(base: int, count: int) -> np.ndarray:
    """base**0 … base**(count-1), modulo 2**64."""
    powers = np.full(count, base, np.uint64)
    powers[:1] = 1
    return np.cumprod(powers, dtype=np.uint64)


def listed_bits(hashes: np.ndarray) -> np.ndarray:
    """The bit set of the top LISTED_BITS bits of `hashes` (as bytes)."""
    bits = np.zeros(1 << (LISTED_BITS - 3), np.uint8)
    top = hashes >> np.uint64(64 - LISTED_BITS)
    np.bitwise_or.at(bits, top >> np.uint64(3), (np.uint8(1) << (top & np.uint64(7)).astype(np.uint8)))
    return bits


def _has_bits(bits: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    top = hashes >> np.uint64(64 - LISTED_BITS)
    return (bits[top >> np.uint64(3)] >> (top & np.uint64(7)).astype(np.uint8)) & 1 == 1


def string_hashes(words: Sequence[str]) -> np.ndarray:
    """The hashes of `words`, in order: sum of codepoint * HASH_INVERSE**k, modulo 2**64."""
    by_length: dict[int, list[int]] = {}
    for k, word in enumerate(words):
        by_length.setdefault(len(word), []).append(k)
    hashes = np.zeros(len(words), np.uint64)
    for length, group in by_length.items():
        points = codepoints("".join([words[k] for k in group])).astype(np.uint64).reshape(len(group), length)
        hashes[group] = (points * _powers(HASH_INVERSE, length)).sum(1, np.uint64)
    return hashes


def _prefix_hashes(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(prefix, powers) of the text of codepoints `points`: the hash of its span a:b is
    (prefix[b] - prefix[a]) * powers[a]."""
    terms = points.astype(np.uint64) * _powers(HASH_INVERSE, len(points))
    return np.concatenate([np.zeros(1, np.uint64), np.cumsum(terms, dtype=np.uint64)]), _powers(HASH_BASE, len(points))
