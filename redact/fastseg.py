"""pkuseg, loaded in milliseconds instead of seconds, segmenting exactly as pkuseg does.

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
from spacy_pkuseg import inference as _inference
from spacy_pkuseg.config import config as _pkuseg_config
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.model import Model

from redact import cache

# How far pkuseg's features at a position look: two characters for the character features,
# wordMax (6) for the word features (words ending or starting right before or after it).
FEATURE_REACH = max(_pkuseg_config.wordMax, 2)

ALWAYS = ""  # the shard loaded with the model: features that depend on no character
META = "\0meta"  # unigram words and tags
# Markers pkuseg builds features from that are not characters of the text.
SPECIAL_TOKENS = ("**Num", "**Letter")
NOT_A_WORD = "**noWord"
SEPARATORS = ".*"
MEMO_CHUNKS = 20000  # chunks remembered by LazyPkuseg.cut (paragraphs; cleared when full)
DOCUMENT_MEMO_CHARS = 2_000_000  # documents whose chunk memos are kept (see begin_document)
MEMO_WINDOWS = 1_000_000  # positions whose features LazyPkuseg._cut remembers (cleared when full)


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
    the unigram words and the tags."""
    parsed = [(feature, feature_tokens(feature)) for feature in features]
    counts = Counter(token for _, tokens in parsed if tokens for token in tokens)
    groups: dict[str, list[str]] = {}
    for feature, tokens in parsed:
        shard = ALWAYS if not tokens else min(tokens, key=lambda t: (counts[t], t))
        groups.setdefault(shard, []).append(feature)
    shards: dict[str, Any] = {META: (list(unigram), dict(tag_to_idx))}
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
    """`spacy_pkuseg.pkuseg` for a model directory, with features loaded per character."""

    def __init__(self, model_dir: Path, store: cache.ShardedFile, store_name: str) -> None:  # no super()
        self.postag = False
        unigram, tag_to_idx = store.get(META)
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
        self.windows: dict[str | tuple[int, str], list[int]] = {}

    def cut(self, txt: str) -> list[str]:
        """pkuseg's `cut`, remembering the words of each whitespace-separated chunk.

        pkuseg segments every chunk on its own, so a chunk seen before (a paragraph that
        masking left unchanged, when the masked text is analysed again) is not cut again.
        """
        self.lazy.ensure(txt)
        memo = getattr(self.preprocesser, "chunks", None)  # the cut depends on the user words
        if memo is None:
            return super().cut(txt)
        words: list[str] = []
        for chunk in txt.strip().split():
            cut = memo.get(chunk)
            if cut is None:
                if len(memo) >= MEMO_CHUNKS:
                    memo.clear()
                cut = memo[chunk] = tuple(super().cut(chunk))
            words.extend(cut)
        return words

    def _cut(self, text: str) -> list[str]:
        """pkuseg's CRF segmentation of one piece, with the features of each position remembered.

        The features pkuseg looks up at a position depend only on the characters within
        FEATURE_REACH of it (and on where the piece ends, within that reach), so they are
        remembered by that window: when a paragraph is analysed again after masking, only the
        positions near a placeholder are extracted again (feature extraction is 90% of the cut;
        the Viterbi decoding is cheap). The words are assembled as in `pkuseg._cut`.
        """
        extractor = self.feature_extractor
        examples = list(extractor.normalize_text(text))
        extract = extractor.get_node_features_idx
        memo = self.windows
        if len(memo) >= MEMO_WINDOWS:
            memo.clear()
        features = []
        append = features.append
        reach = FEATURE_REACH
        inner = len(examples) - reach  # positions whose window lies inside the piece
        for i in range(len(examples)):
            if reach <= i < inner:
                key: str | tuple[int, str] = text[i - reach:i + reach + 1]
            else:  # near an end of the piece, where the window is cut: say where
                low = i - reach if i > reach else 0
                key = (i - low, text[low:i + reach + 1])
            found = memo.get(key)
            if found is None:
                found = memo[key] = extract(i, examples)
            append(found)
        _, tags = _inference.decodeViterbi_fast(features, self.model)
        words: list[str] = []
        current = ""
        is_start = True
        for tag, char in zip(tags, text):
            if is_start:
                current = char
                is_start = False
            elif "B" in self.idx_to_tag[tag]:
                words.append(current)
                current = char
            else:
                current += char
        if current:
            words.append(current)
        return words

    def begin_document(self, key: str | None = None) -> None:
        """A new document (`key`: its text). The memos serve the repeated analysis of one
        document's masked text, not reuse across documents: the feature windows are forgotten,
        and the chunk memo is the one this document had if it was segmented recently (a batch
        masks some documents twice), else a fresh one."""
        self.windows.clear()
        if isinstance(self.preprocesser, PrefixPreprocesser):
            self.preprocesser.begin_document(key)


def lazy_segmenter(model_dir: Path) -> LazyPkuseg | None:
    """The lazily loading segmenter for an installed model, None when the cache is unavailable.

    The first call for a model builds its shard file (about half a minute, once).
    """
    features = model_dir / "features.pkl"
    stat = features.stat()
    marker = (model_dir / "redact-model.json").read_bytes()
    name = cache.key("pkuseg-features", files=(__file__,),
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
    path = os.path.join(os.path.dirname(os.path.realpath(spacy_pkuseg.__file__)), "dicts", "default.pkl")

    def read() -> set[str]:
        return spacy_pkuseg.Postprocesser(None, [path]).other_words

    def build() -> dict[str, Any]:
        shards: dict[str, list[str]] = {}
        for word in read():
            shards.setdefault(word[:1], []).append(word)
        return {char: sorted(words) for char, words in shards.items()}

    store = cache.sharded(cache.key("pkuseg-default-dict", files=(path, __file__)), build)
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
    word in it) becomes one token. The prefixes of the words starting with a character are
    added the first time a text has that character.
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
        if word[0] in self.prefixes:
            self.prefixes.update(word[:i] for i in range(1, len(word) + 1))
        else:
            self.pending.setdefault(word[0], []).append(word)
        if usertag:
            self.tags[word] = usertag

    def _expand(self, first: str) -> None:
        for word in self.pending.pop(first):
            self.prefixes.update(word[:i] for i in range(1, len(word) + 1))

    def solve(self, txt: str) -> tuple[list[str], list[bool], list[str]]:
        outlst: list[str] = []
        iswlst: list[bool] = []
        taglst: list[str] = []
        prefixes, words, tags, pending = self.prefixes, self.words, self.tags, self.pending
        length = len(txt)
        last = i = 0
        while i < length:
            if txt[i] not in prefixes:
                if txt[i] not in pending:
                    i += 1
                    continue
                self._expand(txt[i])
            j = i
            found = False
            last_word = -1
            usertag = ""
            while True:
                if txt[i:j + 1] not in prefixes:
                    found = last_word != -1
                    break
                if txt[i:j + 1] in words:
                    last_word = j
                    usertag = tags.get(txt[i:j + 1], "")
                j += 1
                if j == length:
                    if last_word != -1:
                        j = last_word + 1
                        found = True
                    break
            if found:
                if last != i:
                    outlst.append(txt[last:i])
                    iswlst.append(False)
                    taglst.append("")
                outlst.append(txt[i:j])
                iswlst.append(True)
                taglst.append(usertag)
                last = i = j
            else:
                i += 1
        if last < length:
            outlst.append(txt[last:length])
            iswlst.append(False)
            taglst.append("")
        return outlst, iswlst, taglst
