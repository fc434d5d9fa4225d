"""pkuseg, loaded in milliseconds instead of seconds and segmenting several times faster,
exactly as pkuseg does.

Loading pkuseg's default model builds a dict of 2.6 M feature strings (`c.沙`, `cc1.沙.溪`,
`w1.沙溪` …): about 1.5-2 s and 400 MB on every start. But the features looked up for a text
are made of that text's own (normalised) characters only. So, once per installed model, the
features are written to a shard file (redact/cache.py) with one shard per character: each
feature goes to the shard of the rarest character it contains. Before pkuseg cuts a text, the
shards of the characters it has not seen yet are added to pkuseg's own feature dict. That dict
then always holds every feature the text can look up, with the model's own indices, so the
segmentation is identical to the fully loaded model's; a one-line document loads a few dozen
shards, a large batch most of them.

Two smaller start-up costs go the same way: the user dictionary (30k lexicon words) is a set
of prefixes instead of a trie of Python objects (same matching, including pkuseg's quirks),
and pkuseg's post-processing word list (390k words) is cached as a marshal file.

Segmenting (`LazyPkuseg.cut`, 10-15x pkuseg's speed): the CRF runs on all pieces of a text at
once, vectorised with numpy (redact/crf.py, same scores to the bit); so do the search for the
places user-dictionary words may start (`PrefixPreprocesser.candidates`) and for the runs of
words pkuseg's post-processing may merge (redact/crf.py `RunMerger`). The words of each
whitespace-separated chunk are remembered per document.
"""

from __future__ import annotations

import io
import os
import pickle
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import spacy_pkuseg
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.model import Model

from redact import cache, crf

ALWAYS = ""  # the shard loaded with the model: features that depend on no character
META = "\0meta"  # unigram words, tags, and whether redact/crf.py models every feature
# Markers pkuseg builds features from that are not characters of the text.
SPECIAL_TOKENS = ("**Num", "**Letter")
NOT_A_WORD = "**noWord"
SEPARATORS = ".*"
DEFAULT_DICT = os.path.join(os.path.dirname(os.path.realpath(spacy_pkuseg.__file__)), "dicts", "default.pkl")
MEMO_CHUNKS = 20000  # chunks remembered by LazyPkuseg.cut (paragraphs; cleared when full)
DOCUMENT_MEMO_CHARS = 2_000_000  # documents whose chunk memos are kept (see begin_document)


def feature_tokens(feature: str) -> set[str] | None:
    """The normalised characters a feature is made of; None when its form is unknown.

    Features are `PREFIX.PAYLOAD`; the payload joins characters (or **Num / **Letter) with `.`
    and, for `ww.l.` / `ww.r.` features, two words (or **noWord) with `*`. pkuseg renames `.` and
    `*` in texts to `&` before it builds features, so they only ever separate.
    """
    if feature == "$$":
        return set()
    prefix, dot, payload = feature.partition(".")
    if not dot or prefix not in ("c", "c-1", "c1", "c-2", "c2", "c-1c", "cc1", "c-2c-1", "w-1", "w1", "ww"):
        return None
    if prefix == "ww":
        side, dot, payload = payload.partition(".")
        if side not in ("l", "r") or not dot:
            return None
    tokens: set[str] = set()
    i = 0
    while i < len(payload):
        if payload.startswith(NOT_A_WORD, i):
            i += len(NOT_A_WORD)
            continue
        special = next((s for s in SPECIAL_TOKENS if payload.startswith(s, i)), None)
        if special:
            tokens.add(special)
            i += len(special)
        elif payload[i] in SEPARATORS:
            i += 1
        else:
            tokens.add(payload[i])
            i += 1
    return tokens


def feature_shards(features: dict[str, int], unigram: Iterable[str], tag_to_idx: dict[str, int]) -> dict[str, Any]:
    """Shard → (feature strings joined by newlines, their indices as int32 bytes); META holds
    the unigram words, the tags and whether redact/crf.py models every feature."""
    parsed = [(feature, feature_tokens(feature)) for feature in features]
    counts = Counter(token for _, tokens in parsed if tokens for token in tokens)
    groups: dict[str, list[str]] = {}
    for feature, tokens in parsed:
        shard = ALWAYS if not tokens else min(tokens, key=lambda t: (counts[t], t))
        groups.setdefault(shard, []).append(feature)
    modelled = not any(map(crf.unmodelled, features))
    shards: dict[str, Any] = {META: (list(unigram), dict(tag_to_idx), modelled)}
    for shard, names in groups.items():
        if any("\n" in name for name in names):
            raise ValueError("a feature string contains a newline")
        shards[shard] = ("\n".join(names), array("i", (features[n] for n in names)).tobytes())
    return shards


class LazyFeatures:
    """Adds feature shards to pkuseg's feature dict, and post-processing words to its word set,
    as new characters come up."""

    def __init__(self, store: cache.ShardedFile, features: dict[str, int],
                 words: cache.ShardedFile | None = None, word_set: set[str] | None = None) -> None:
        self.store = store
        self.features = features
        self.words = words
        self.word_set = word_set
        self.seen: set[str] = set()
        self.loaded: set[str] = set()
        self.load(ALWAYS)

    def load(self, shard: str) -> None:
        self.loaded.add(shard)
        data = self.store.get(shard)
        if data is not None:
            names, indices = data
            self.features.update(zip(names.split("\n"), array("i", indices)))

    def ensure(self, text: str) -> None:
        """Load the shards of every character of `text` (normalised as pkuseg does)."""
        new = set(text) - self.seen
        if not new:
            return
        self.seen |= new
        for token in set(FeatureExtractor.normalize_text("".join(new))) - self.loaded:
            self.load(token)
        if self.words is not None and self.word_set is not None:
            for char in new:  # merged words start with a character of the text
                self.word_set.update(self.words.get(char, ()))


class LazyPkuseg(spacy_pkuseg.pkuseg):
    """`spacy_pkuseg.pkuseg` for a model directory, with features loaded per character and the
    vectorised CRF of redact/crf.py (pkuseg's own extraction if the model has features it does
    not model)."""

    def __init__(self, model_dir: Path, store: cache.ShardedFile, store_name: str) -> None:  # no super()
        self.postag = False
        unigram, tag_to_idx, modelled = store.get(META)
        extractor = FeatureExtractor.__new__(FeatureExtractor)
        extractor.unigram = set(unigram)
        extractor.bigram = set()
        extractor.feature_to_idx = {}
        extractor.tag_to_idx = tag_to_idx
        self.feature_extractor = extractor
        self.model = load_weights(model_dir, store_name, len(tag_to_idx))
        self.idx_to_tag = {idx: tag for tag, idx in tag_to_idx.items()}
        self.n_feature = self.model.n_feature
        self.n_tag = len(tag_to_idx)
        self.preprocesser = PrefixPreprocesser(())
        self.postprocesser, words = default_postprocesser()
        self.lazy = LazyFeatures(store, extractor.feature_to_idx, words, self.postprocesser.other_words)
        self.crf = crf.Crf(lambda: word_trie(store_name, unigram), extractor.feature_to_idx, self.model.w,
                           self.n_feature, self.idx_to_tag) if modelled else None
        post = self.postprocesser
        self.merger = crf.RunMerger(lambda: listed_bits(post, words))

    def cut(self, txt: str) -> list[str]:
        """pkuseg's `cut`, with the CRF run once over all the pieces of the text, and the words of
        each whitespace-separated chunk remembered.

        pkuseg segments every chunk on its own, so a chunk seen before (a paragraph that
        masking left unchanged, when the masked text is analysed again) is not cut again.
        """
        self.lazy.ensure(txt)
        chunks = txt.split()
        memo = getattr(self.preprocesser, "chunks", None)  # the cut depends on the user words
        if memo is None:
            return [word for words in self._cut_chunks(chunks) for word in words]
        new = [chunk for chunk in dict.fromkeys(chunks) if chunk not in memo]
        if len(memo) + len(new) > MEMO_CHUNKS:
            memo.clear()
            new = list(dict.fromkeys(chunks))
        memo.update(zip(new, self._cut_chunks(new)))
        return [word for chunk in chunks for word in memo[chunk]]

    def _cut_chunks(self, chunks: list[str]) -> list[tuple[str, ...]]:
        """The words of each chunk (a text without whitespace), as `pkuseg.cut` cuts it: split
        at the user-dictionary words, the rest cut by the CRF and post-processed."""
        solve_all = getattr(self.preprocesser, "solve_all", None)
        solved = solve_all(chunks) if solve_all else [self.preprocesser.solve(chunk) for chunk in chunks]
        pieces = [piece for parts, user, _ in solved for piece, is_user in zip(parts, user) if not is_user]
        cuts = iter(self._piece_words(pieces))
        chunk_words = []
        for parts, user, _ in solved:
            words: list[str] = []
            for piece, is_user in zip(parts, user):
                if is_user:
                    words.append(piece)
                else:
                    words += next(cuts)
            chunk_words.append(tuple(words))
        return chunk_words

    def _piece_words(self, pieces: list[str]) -> list[list[str]]:
        """The words of each piece (their features loaded): `postprocesser(_cut(piece))`."""
        post = self.postprocesser
        if self.crf is None or post.common_words:
            return [post(self._cut(piece)) for piece in pieces]
        text = "".join(pieces)
        ends = np.cumsum([len(piece) for piece in pieces], dtype=np.int64)
        starts = self.crf.word_starts(text, ends)
        if post.do_process:
            starts = self.merger.merge(text, starts, ends, post.other_words)
        return crf.split(text, starts, ends)

    def _cut(self, text: str) -> list[str]:
        """pkuseg's CRF segmentation of one piece."""
        self.lazy.ensure(text)
        return self.crf.segment([text])[0] if self.crf else super()._cut(text)

    def begin_document(self, key: str | None = None) -> None:
        """A new document (`key`: its text). The chunk memo serves the repeated analysis of one
        document's masked text, not reuse across documents: it is the one this document had if
        it was segmented recently (a batch masks some documents twice), else a fresh one."""
        if isinstance(self.preprocesser, PrefixPreprocesser):
            self.preprocesser.begin_document(key)


def listed_bits(post: spacy_pkuseg.Postprocesser, store: cache.ShardedFile | None) -> np.ndarray:
    """The bit set of the words of the post-processor's default list (redact/crf.py RunMerger),
    cached beside the list."""
    def build() -> np.ndarray:
        return crf.listed_bits(post.other_words if store is None else
                               (word for key in store.keys() for word in store.get(key)))

    name = cache.key("pkuseg-default-dict-bits", files=(DEFAULT_DICT, crf.__file__))
    return cache.cached(name, build, np.ndarray.tobytes, lambda data: np.frombuffer(data, np.uint8))


def word_trie(store_name: str, unigram: list[str]) -> crf.WordTrie:
    """The unigram words' trie for redact/crf.py, cached beside the features of `store_name`."""
    name = cache.key("pkuseg-trie", files=(crf.__file__,), params=(store_name,))
    return cache.cached(name, lambda: crf.WordTrie.build(unigram), crf.WordTrie.dump, crf.WordTrie.load)


def lazy_segmenter(model_dir: Path) -> LazyPkuseg | None:
    """The lazily loading segmenter for an installed model, None when the cache is unavailable.

    The first call for a model builds its shard file (about half a minute, once).
    """
    features = model_dir / "features.pkl"
    stat = features.stat()
    marker = (model_dir / "redact-model.json").read_bytes()
    name = cache.key("pkuseg-features", files=(__file__, crf.__file__),
                     params=(str(model_dir), stat.st_size, stat.st_mtime_ns, marker))

    def build() -> dict[str, Any]:
        with features.open("rb") as handle:
            data = pickle.load(handle)  # the model's own file, checksum-verified at install
        return feature_shards(data["feature_to_idx"], data["unigram"], data["tag_to_idx"])

    store = cache.sharded(name, build)
    return None if store is None else LazyPkuseg(model_dir, store, name)


def load_weights(model_dir: Path, name: str, n_tag: int) -> Model:
    """The model weights, memory-mapped from a `.npy` copy of `weights.npz` (read-only, shared by
    every process that maps it; pkuseg only reads them)."""
    path = cache.cache_dir() / f"{name.replace('pkuseg-features-', 'pkuseg-weights-')}.npy"
    if path.is_file():
        cache.mark_used(path)
    else:
        with np.load(model_dir / "weights.npz") as npz:
            weights = np.ascontiguousarray(npz["w"], dtype=np.float64)
        buffer = io.BytesIO()
        np.save(buffer, weights)
        if not cache.store(path, buffer.getvalue()):
            return Model.load(str(model_dir))
    model = Model.__new__(Model)
    model.w = np.load(path, mmap_mode="r")
    model.n_tag = n_tag
    model.n_feature, rest = divmod(model.w.shape[0], n_tag)
    model.n_feature -= n_tag
    model.n_transition_feature = model.w.shape[0]
    if rest or model.w.ndim != 1 or model.n_feature <= 0:
        raise ValueError(f"{path} does not match the model")
    return model


def default_postprocesser() -> tuple[spacy_pkuseg.Postprocesser, cache.ShardedFile | None]:
    """pkuseg's post-processor with its default word list (what `pkuseg(model_dir)` uses), and
    the shard file its words are loaded from as characters come up (None: all loaded)."""
    def read() -> set[str]:
        return spacy_pkuseg.Postprocesser(None, [DEFAULT_DICT]).other_words

    def build() -> dict[str, Any]:
        shards: dict[str, list[str]] = {}
        for word in read():
            shards.setdefault(word[:1], []).append(word)
        return {char: sorted(words) for char, words in shards.items()}

    store = cache.sharded(cache.key("pkuseg-default-dict", files=(DEFAULT_DICT, __file__)), build)
    post = spacy_pkuseg.Postprocesser.__new__(spacy_pkuseg.Postprocesser)
    post.do_process = True
    post.common_words = set()
    post.other_words = set() if store is not None else read()
    if store is not None:
        post.other_words.update(store.get("", ()))  # the empty word, if listed
    return post, store


class PrefixPreprocesser(spacy_pkuseg.Preprocesser):
    """pkuseg's user-dictionary matcher, on sets of words and prefixes instead of a trie.

    `solve` walks the text exactly as pkuseg's trie walk does, including its quirk: when the
    walk stops on a character that continues no word, the whole walked prefix (not the longest
    word in it) becomes one token. The walk only starts where a word may start (`candidates`,
    found with numpy, about 3% of the positions with redact's lexicon). The prefixes of the
    words starting with a character are added the first time a word may start with it.
    """

    def __init__(self, words: Iterable[str]) -> None:  # no super(): no trie
        self.dict_data = []
        self.chunks: dict[str, tuple[str, ...]] = {}  # LazyPkuseg.cut's memo, valid for these words
        self.documents: OrderedDict[str, dict[str, tuple[str, ...]]] = OrderedDict()  # recent chunk memos
        self.document_chars = 0
        self.words: set[str] = set()
        self.prefixes: set[str] = set()
        self.pending: dict[str, list[str]] = {}  # first character → words whose prefixes wait
        self.tags: dict[str, str] = {}
        self._starts: np.ndarray | None = None  # see `candidates`
        for word in words:
            self._add(word.strip(), "")

    def begin_document(self, key: str | None) -> None:
        """Switch to the chunk memo of document `key` (kept for the last DOCUMENT_MEMO_CHARS
        characters of documents), or to a fresh one."""
        if key is None:
            self.chunks = {}
            return
        chunks = self.documents.get(key)
        if chunks is not None:
            self.documents.move_to_end(key)
            self.chunks = chunks
            return
        self.chunks = self.documents[key] = {}
        self.document_chars += len(key)
        while self.document_chars > DOCUMENT_MEMO_CHARS and len(self.documents) > 1:
            old, _ = self.documents.popitem(last=False)
            self.document_chars -= len(old)

    def insert(self, word: str, usertag: str) -> None:
        """Add a word (pkuseg's API); what was remembered of earlier cuts no longer holds."""
        self.chunks = {}
        self.documents.clear()
        self.document_chars = 0
        self._add(word, usertag)

    def _add(self, word: str, usertag: str) -> None:
        if not word:
            return
        self.words.add(word)
        self._starts = None
        if word[0] in self.prefixes:
            self.prefixes.update(word[:i] for i in range(1, len(word) + 1))
        else:
            self.pending.setdefault(word[0], []).append(word)
        if usertag:
            self.tags[word] = usertag

    def _expand(self, first: str) -> None:
        for word in self.pending.pop(first):
            self.prefixes.update(word[:i] for i in range(1, len(word) + 1))

    def candidates(self, text: str) -> np.ndarray:
        """Positions of `text` a word may start at (a superset: the walk decides): those of a
        one-character word, and those of the first two characters of a longer word."""
        if self._starts is None:
            pairs = "".join(word[:2] for word in self.words if len(word) > 1)
            points = crf.codepoints(pairs).reshape(-1, 2)
            singles = crf.codepoints("".join(word for word in self.words if len(word) == 1))
            self._starts = np.unique(np.concatenate([points[:, 0] << crf.CODEPOINT_BITS | points[:, 1],
                                                     singles << crf.CODEPOINT_BITS]))
        points = crf.codepoints(text) << crf.CODEPOINT_BITS
        pairs = points.copy()
        pairs[:-1] |= points[1:] >> crf.CODEPOINT_BITS
        return np.flatnonzero(crf.search(self._starts, pairs)[1] | crf.search(self._starts, points)[1])

    def solve_all(self, texts: list[str]) -> list[tuple[list[str], list[bool], list[str]]]:
        """`solve` of each text, with the candidate positions of all texts found at once."""
        found = self.candidates("".join(texts))
        starts = np.cumsum([0] + [len(text) for text in texts]).tolist()
        bounds = np.searchsorted(found, starts).tolist()
        return [self._solve(text, (found[a:b] - start).tolist())
                for text, start, a, b in zip(texts, starts, bounds, bounds[1:])]

    def solve(self, txt: str) -> tuple[list[str], list[bool], list[str]]:
        return self._solve(txt, self.candidates(txt).tolist())

    def _solve(self, txt: str, candidates: list[int]) -> tuple[list[str], list[bool], list[str]]:
        """pkuseg's `solve`, walking from the `candidates` only (elsewhere its walk finds no word)."""
        outlst: list[str] = []
        iswlst: list[bool] = []
        taglst: list[str] = []
        last = 0
        for i in candidates:
            if i < last:
                continue
            if txt[i] in self.pending:
                self._expand(txt[i])
            found = self._walk(txt, i)
            if found is None:
                continue
            j, usertag = found
            if last != i:
                outlst.append(txt[last:i])
                iswlst.append(False)
                taglst.append("")
            outlst.append(txt[i:j])
            iswlst.append(True)
            taglst.append(usertag)
            last = j
        if last < len(txt):
            outlst.append(txt[last:])
            iswlst.append(False)
            taglst.append("")
        return outlst, iswlst, taglst

    def _walk(self, txt: str, i: int) -> tuple[int, str] | None:
        """pkuseg's trie walk from `i`: (end of the token, its user tag), None when no word."""
        prefixes, words = self.prefixes, self.words
        length = len(txt)
        j = i
        last_word = -1
        usertag = ""
        while True:
            if txt[i:j + 1] not in prefixes:
                return (j, usertag) if last_word != -1 else None
            if txt[i:j + 1] in words:
                last_word = j
                usertag = self.tags.get(txt[i:j + 1], "")
            j += 1
            if j == length:
                return (last_word + 1, usertag) if last_word != -1 else None
