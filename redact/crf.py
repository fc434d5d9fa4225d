"""pkuseg's CRF segmentation, vectorised over whole batches of pieces with numpy.

spacy_pkuseg extracts the features of a piece position by position (Cython, building and
looking up some 60 feature strings per character), sums their weights (`getLogYY`) and decodes
with Viterbi. That extraction is 90% of pkuseg's time. Here the same features are found for all
positions of all pieces at once:

- Text is mapped to one codepoint per pkuseg token (`compact`): the separators pkuseg
  renames become `&`, digits become NUM (standing for pkuseg's `**Num`), letters LETTER
  (`**Letter`). Positions are indices into the concatenated pieces; a feature reaching past the
  end of its piece is dropped, as pkuseg drops it.
- Character features (`c.`, `c-1c.` …) are keyed by one character or one adjacent pair; each key
  is looked up in pkuseg's feature dict once (`Memo`), then gathered for every position.
- Word features need the unigram words of 2 to 6 tokens starting at each position: the words
  are a trie stored level by level as sorted arrays (`WordTrie`), so all positions descend it
  together with `np.searchsorted`. `w-1.` / `w1.` features come from each match, `ww.l.` /
  `ww.r.` ones from pairs of matches meeting at a boundary (a word ending right before a
  position and one starting at it).
- The node scores are the weight rows of the features, summed with one `np.bincount` over the
  features listed in pkuseg's order, so every position adds the same numbers in the same order
  as `getLogYY`: the scores are bit-identical, and so is pkuseg's own `run_viterbi` on them.

Not modelled: word features on an empty word (pkuseg's word of a window reaching past the piece)
or on `**noWord` (a window that is no word). spacy_pkuseg's default model has none
(`unmodelled` tells; the segmenter checks its model and falls back to pkuseg's extraction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from spacy_pkuseg.config import config
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.inference import run_viterbi

WORD_MIN, WORD_MAX = config.wordMin, config.wordMax
SLOTS = range(WORD_MAX, WORD_MIN - 1, -1)  # word lengths in pkuseg's order
NUM, LETTER = "0", "Ａ"  # stand for **Num / **Letter: both are normalised away in texts
TOKENS = {NUM: "**Num", LETTER: "**Letter"}
EXPAND = str.maketrans(TOKENS)
CHAR_BITS = 16  # dense character codes of unigram words (WordTrie), packed in trie keys
CODEPOINT_BITS = 21
MEMO_KEYS = 1_000_000  # a Memo forgets all but its recent keys when it would grow past this

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
    """pkuseg's normalised tokens of the text of codepoints `points`, one codepoint each (`token`
    reads them)."""
    mapped = _COMPACT_CODES[np.minimum(points, len(_COMPACT_CODES) - 1)]
    return np.where(mapped < 0, points, mapped)


def token(char: str) -> str:
    return TOKENS.get(char, char)


def unmodelled(feature: str) -> bool:
    """Whether `feature` is a word feature on an empty or missing word (conservatively: a
    `ww.` pair whose payload starts or ends with the pair separator `*` is one)."""
    if feature in ("w-1.", "w1.") or "**noWord" in feature:
        return True
    if not feature.startswith(("ww.l.", "ww.r.")):
        return False
    payload = feature[5:]
    return payload.endswith("*") or (payload.startswith("*") and not payload.startswith(tuple(TOKENS.values())))


class Memo:
    """Rows of feature indices (-1: absent) by integer key, each computed once.

    Valid as long as the features of a key never change once it comes up: pkuseg's dict only
    grows, and redact/fastseg.py loads a text's features before the text is segmented. The keys
    are sorted arrays: a large one and a small one taking new keys, merged into the large one
    when it has grown to an eighth of it (so that adding keys costs little per batch).
    """

    def __init__(self, width: int, compute: Callable[[list[int]], list[list[int]]]) -> None:
        self.compute = compute
        self.keys = self.recent_keys = np.empty(0, np.int64)
        self.rows = self.recent_rows = np.empty((0, width), np.int32)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The rows of `keys`."""
        at, known = search(self.keys, keys)
        if known.all():  # the usual case once the memo is warm: no sorting
            return self.rows[at]
        unique, inverse = np.unique(keys, return_inverse=True)
        rows = np.empty((len(unique), self.rows.shape[1]), np.int32)
        known = _find(self.keys, self.rows, unique, rows)
        new = ~known
        new[new] = ~_find(self.recent_keys, self.recent_rows, unique[new], rows, np.flatnonzero(new))
        if new.any():
            rows[new] = np.array(self.compute(unique[new].tolist()), np.int32).reshape(-1, rows.shape[1])
            self._add(unique[new], rows[new])
        return rows[inverse]

    def _add(self, keys: np.ndarray, rows: np.ndarray) -> None:
        at = np.searchsorted(self.recent_keys, keys)
        self.recent_keys = np.insert(self.recent_keys, at, keys)
        self.recent_rows = np.insert(self.recent_rows, at, rows, axis=0)
        if len(self.recent_keys) * 8 < len(self.keys):
            return
        if len(self.keys) + len(self.recent_keys) > MEMO_KEYS:
            self.keys, self.rows = self.recent_keys, self.recent_rows
        else:
            at = np.searchsorted(self.keys, self.recent_keys)
            self.keys = np.insert(self.keys, at, self.recent_keys)
            self.rows = np.insert(self.rows, at, self.recent_rows, axis=0)
        self.recent_keys, self.recent_rows = self.recent_keys[:0], self.recent_rows[:0]


def _find(keys: np.ndarray, rows: np.ndarray, queries: np.ndarray, out: np.ndarray,
          where: np.ndarray | None = None) -> np.ndarray:
    """Which `queries` are among the sorted `keys`; their rows are written to `out` (at `where`)."""
    at, found = search(keys, queries)
    out[found if where is None else where[found]] = rows[at[found]]
    return found


def search(keys: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(where, found): the index of each of `queries` in the sorted `keys`, and whether it is there."""
    at = np.minimum(np.searchsorted(keys, queries), max(len(keys) - 1, 0))
    return at, keys[at] == queries if len(keys) else np.zeros(len(queries), bool)


class WordTrie:
    """pkuseg's unigram words of WORD_MIN..WORD_MAX tokens, as a trie stored level by level.

    Characters get dense codes (`codes[codepoint]`: 1…, 0 for characters in no word). A prefix
    of length 1 is known by its code; one of length l > 1 by its index in the sorted array
    `levels[l]` of the keys `index of its prefix of length l-1 << CHAR_BITS | code of its last
    character`. `words[l][index]` is the word (an index into `names`) the prefix is, or -1.
    """

    def __init__(self, names: list[str], codes: np.ndarray, levels: dict[int, np.ndarray],
                 words: dict[int, np.ndarray]) -> None:
        self.names, self.codes, self.levels, self.words = names, codes, levels, words

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
        codes = all_codes[codepoints]
        levels, words = {}, {}
        ids = codes[:, 0]
        for length in range(2, WORD_MAX + 1):
            rows = np.flatnonzero(lengths >= length)
            levels[length], ids_at = np.unique(ids[rows] << CHAR_BITS | codes[rows, length - 1],
                                               return_inverse=True)
            ids = np.full(len(compacts), -1, np.int64)
            ids[rows] = ids_at
            words[length] = np.full(len(levels[length]), -1, np.int64)
            whole = rows[lengths[rows] == length]
            words[length][ids[whole]] = whole
        return cls(names, all_codes, levels, words)

    def dump(self) -> tuple:
        """Marshal-able data `load` rebuilds the trie from."""
        arrays = [self.codes, *self.levels.values(), *self.words.values()]
        return "\n".join(self.names), list(self.levels), [a.tobytes() for a in arrays]

    @classmethod
    def load(cls, data: tuple) -> WordTrie:
        names, lengths, blobs = data
        arrays = [np.frombuffer(blob, np.int64) for blob in blobs]
        count = len(lengths)
        return cls(names.split("\n") if names else [], arrays[0], dict(zip(lengths, arrays[1:1 + count])),
                   dict(zip(lengths, arrays[1 + count:])))

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
            level = self.levels[length]
            if not len(starts) or not len(level):
                break
            at, hit = search(level, ids << CHAR_BITS | codes[starts + length - 1])
            starts, ids = starts[hit], at[hit]
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


class Crf:
    """pkuseg's segmentation of pieces of text (`segment`), with the features of `features`
    (pkuseg's dict, possibly filled as texts come), the weights `weights` and the unigram words
    `trie()` (made when first needed)."""

    def __init__(self, trie: Callable[[], WordTrie], features: dict[str, int], weights: np.ndarray,
                 n_feature: int, tags: dict[int, str]) -> None:
        self._make_trie = trie
        self.features = features
        n_tag = len(tags)
        self.n_tag = n_tag
        weights = np.asarray(weights)
        self.node = weights[:n_feature * n_tag].reshape(n_feature, n_tag)
        edge = weights[n_feature * n_tag:(n_feature + n_tag) * n_tag].reshape(n_tag, n_tag)
        self.edge = np.ascontiguousarray(1.0 + edge.T)  # [previous tag, tag], as getLogYY has it
        self.begins = np.array(["B" in tags[t] for t in range(n_tag)])
        self._trie: WordTrie | None = None
        self.chars = Memo(5, self._char_features)
        self.pairs = Memo(3, self._pair_features)
        self.words = Memo(2, self._word_features)
        self.word_pairs = Memo(2, self._word_pair_features)

    @property
    def trie(self) -> WordTrie:
        if self._trie is None:
            self._trie = self._make_trie()
        return self._trie

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
        chars = self.chars.get(tokens)  # c. c-1. c1. c-2. c2. of each token
        pairs = self.pairs.get(tokens[:-1] << CODEPOINT_BITS | tokens[1:])  # c-1c. cc1. c-2c-1.
        everywhere = np.arange(size)
        has_1, has_2 = np.flatnonzero(before >= 1), np.flatnonzero(before >= 2)
        to_1, to_2 = np.flatnonzero(after >= 1), np.flatnonzero(after >= 2)
        return [(everywhere, np.zeros(size, np.int32)), (everywhere, chars[:, 0]),
                (has_1, chars[has_1 - 1, 1]), (has_1, pairs[has_1 - 1, 0]),
                (to_1, chars[to_1 + 1, 2]), (to_1, pairs[to_1, 1]),
                (has_2, chars[has_2 - 2, 3]), (has_2, pairs[has_2 - 2, 2]),
                (to_2, chars[to_2 + 2, 4])]

    def _word_entries(self, matches: dict[int, tuple[np.ndarray, np.ndarray]],
                      before: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(positions, feature indices) of the word features, in pkuseg's order."""
        none = np.empty(0, np.intp)
        slots = [matches.get(length, (none, none)) for length in SLOTS]
        features = self.words.get(np.concatenate([words for _, words in slots]))
        rows = np.cumsum([0] + [len(words) for _, words in slots]).tolist()
        entries = [(starts + length - 1, features[rows[k]:rows[k + 1], 0])  # w-1.: the word ends at i
                   for k, (length, (starts, _)) in enumerate(zip(SLOTS, slots))]
        entries += [(starts, features[rows[k]:rows[k + 1], 1])  # w1.: it starts at i
                    for k, (starts, _) in enumerate(slots)]
        pairs = self._pairs(slots, before)
        features = self.word_pairs.get(np.concatenate([keys for _, keys in pairs]))
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
        ending = np.full((len(slots), size + 1), -1)  # the word of each length ending before b
        starting = np.full((len(slots), size + 1), -1)
        for k, (length, (starts, words)) in enumerate(zip(SLOTS, slots)):
            ending[k, starts + length] = words
            starting[k, starts] = words
        meet = np.flatnonzero((ending.max(0) >= 0) & (starting.max(0) >= 0))
        meet = meet[before[meet] >= 1]
        ending, starting = ending[:, meet], starting[:, meet]
        count = len(self.trie.names)
        pairs = []
        for first in ending:
            for second in starting:
                both = (first >= 0) & (second >= 0)
                pairs.append((meet[both], first[both] * count + second[both]))
        return pairs

    def _char_features(self, keys: list[int]) -> list[list[int]]:
        get = self.features.get
        rows = []
        for key in keys:
            char = token(chr(key))
            rows.append([get("c." + char, -1), get("c-1." + char, -1), get("c1." + char, -1),
                         get("c-2." + char, -1), get("c2." + char, -1)])
        return rows

    def _pair_features(self, keys: list[int]) -> list[list[int]]:
        get, mask = self.features.get, (1 << CODEPOINT_BITS) - 1
        rows = []
        for key in keys:
            pair = f"{token(chr(key >> CODEPOINT_BITS))}.{token(chr(key & mask))}"
            rows.append([get("c-1c." + pair, -1), get("cc1." + pair, -1), get("c-2c-1." + pair, -1)])
        return rows

    def _word_features(self, keys: list[int]) -> list[list[int]]:
        get, names = self.features.get, self.trie.names
        return [[get("w-1." + names[key], -1), get("w1." + names[key], -1)] for key in keys]

    def _word_pair_features(self, keys: list[int]) -> list[list[int]]:
        get, names, count = self.features.get, self.trie.names, len(self.trie.names)
        rows = []
        for key in keys:
            pair = f"{names[key // count]}*{names[key % count]}"
            rows.append([get("ww.l." + pair, -1), get("ww.r." + pair, -1)])
        return rows


def split(text: str, starts: np.ndarray, ends: np.ndarray) -> list[list[str]]:
    """The words of each piece of `text` (ending at `ends`), the words starting at `starts`."""
    bounds = np.append(starts, len(text)).tolist()
    words = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    last = np.searchsorted(starts, ends).tolist()
    return [words[a:b] for a, b in zip([0, *last], last)]


class RunMerger:
    """pkuseg's post-processing (`Postprocesser` with no common words) of a batch of pieces.

    pkuseg merges, for run lengths 7, 6 … 2 and from left to right, every run of words that is
    a word of its list (unless the run's words are all listed too) into one word, and goes on
    right after it. It looks every run up; here the runs that may be listed are found for all
    pieces at once by their 64-bit hashes, in a bit set of the hashes' top LISTED_BITS bits
    (`listed()`: made from all listed words when first needed), and only these are looked up.
    """

    def __init__(self, listed: Callable[[], np.ndarray]) -> None:
        self._make_listed = listed
        self._listed: np.ndarray | None = None

    @property
    def listed(self) -> np.ndarray:
        if self._listed is None:
            self._listed = self._make_listed()
        return self._listed

    def merge(self, text: str, starts: np.ndarray, ends: np.ndarray, words: set[str]) -> np.ndarray:
        """The word starts after post-processing the words of each piece of `text` (ending at
        `ends`, its words starting at `starts`), `words` holding every listed word they can make."""
        listed = self.listed
        if not len(starts):
            return starts
        prefix, powers = _prefix_hashes(text)
        bounds = np.append(starts, len(text))
        piece = np.searchsorted(ends, starts, side="right")
        for size in range(7, 1, -1):
            runs = len(piece) - size + 1
            if runs <= 0:
                continue
            first = np.flatnonzero(piece[size - 1:] == piece[:runs])
            a, b = bounds[first], bounds[first + size]
            maybe = _has_bits(listed, (prefix[b] - prefix[a]) * powers[a])
            merged: list[int] = []
            done = 0
            for i in first[maybe].tolist():
                if i >= done and _merges(text, bounds[i:i + size + 1].tolist(), words):
                    merged.extend(range(i + 1, i + size))
                    done = i + size
            if merged:
                bounds, piece = np.delete(bounds, merged), np.delete(piece, merged)
        return bounds[:-1]


def _merges(text: str, cuts: list[int], words: set[str]) -> bool:
    """Whether pkuseg merges the run of words of `text` between `cuts`."""
    return text[cuts[0]:cuts[-1]] in words and not all(text[a:b] in words for a, b in zip(cuts, cuts[1:]))


HASH_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
HASH_INVERSE = pow(HASH_BASE, -1, 1 << 64)
LISTED_BITS = 25  # a 4 MB bit set: about 1% of the runs that are not listed words are looked up


def _powers(base: int, count: int) -> np.ndarray:
    """base**0 … base**(count-1), modulo 2**64."""
    powers = np.full(count, base, np.uint64)
    powers[:1] = 1
    return np.cumprod(powers, dtype=np.uint64)


def listed_bits(words: Iterable[str]) -> np.ndarray:
    """The bit set of the top LISTED_BITS bits of the hashes of `words` (as bytes)."""
    bits = np.zeros(1 << (LISTED_BITS - 3), np.uint8)
    top = string_hashes(words) >> np.uint64(64 - LISTED_BITS)
    np.bitwise_or.at(bits, top >> np.uint64(3), (np.uint8(1) << (top & np.uint64(7)).astype(np.uint8)))
    return bits


def _has_bits(bits: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    top = hashes >> np.uint64(64 - LISTED_BITS)
    return (bits[top >> np.uint64(3)] >> (top & np.uint64(7)).astype(np.uint8)) & 1 == 1


def string_hashes(words: Iterable[str]) -> np.ndarray:
    """The hashes of `words`: sum of codepoint * HASH_INVERSE**k, modulo 2**64."""
    by_length: dict[int, list[str]] = {}
    for word in words:
        by_length.setdefault(len(word), []).append(word)
    hashes = [np.empty(0, np.uint64)]
    for length, group in by_length.items():
        points = codepoints("".join(group)).astype(np.uint64).reshape(len(group), length)
        hashes.append((points * _powers(HASH_INVERSE, length)).sum(1, np.uint64))
    return np.concatenate(hashes)


def _prefix_hashes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(prefix, powers): the hash of text[a:b] is (prefix[b] - prefix[a]) * powers[a]."""
    terms = codepoints(text).astype(np.uint64) * _powers(HASH_INVERSE, len(text))
    return np.concatenate([np.zeros(1, np.uint64), np.cumsum(terms, dtype=np.uint64)]), _powers(HASH_BASE, len(text))
