"""pkuseg, loaded in milliseconds instead of seconds and segmenting 10-15x faster, exactly as
pkuseg does.

Loading pkuseg's default model builds a dict of 2.6 M feature strings (`c.沙`, `cc1.沙.溪`,
`w1.沙溪` …): about 1.5-2 s and 400 MB in every process. Instead, once per installed model,
its features and words are turned into numeric tables (redact/crf.py `model_arrays`: hash
tables of integer keys and rows of feature indices) stored in one array file of the cache
directory (redact/cache.py `arrays`), and its weights into a `.npy` copy; so are pkuseg's
post-processing words (390k, redact/crf.py `ListedWords`). Every process memory-maps these
files read-only:
loading costs nothing beyond the mapping, a text reads only the pages it looks up, and all
processes (the workers of `redact run --jobs N`) share the same pages. The tables hold every
feature a text can make with the model's own index, so the segmentation is identical to
pkuseg's; the first build takes 10-30 s (announced on stderr).

Segmenting (`FastPkuseg.cut`): the CRF runs on all pieces of a text at once, vectorised with
numpy (redact/crf.py, same scores to the bit); so do the search for the places user-dictionary
words may start (`PrefixPreprocesser.candidates`; the user dictionary, redact's 30k lexicon
words, is a set of prefixes instead of a trie of Python objects, with the same matching,
including pkuseg's quirks) and for the runs of words pkuseg's post-processing may merge
(redact/crf.py `RunMerger`). The words of each whitespace-separated chunk are remembered per
document.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import spacy_pkuseg
from spacy_pkuseg.model import Model

from redact import cache, crf

DEFAULT_DICT = os.path.join(os.path.dirname(os.path.realpath(spacy_pkuseg.__file__)), "dicts", "default.pkl")
MODEL_MARKER = "redact-model.json"  # written by redact/model.py when the model is installed
MEMO_CHUNKS = 20000  # chunks remembered by FastPkuseg.cut (paragraphs; cleared when full)
DOCUMENT_MEMO_CHARS = 2_000_000  # documents whose chunk memos are kept (see begin_document)


class FastPkuseg(spacy_pkuseg.pkuseg):
    """`spacy_pkuseg.pkuseg` for a model, with the vectorised CRF and post-processing of
    redact/crf.py on the model's memory-mapped tables (`model_arrays` and `tags`), weights
    (`model`) and post-processing words (`listed`)."""

    def __init__(self, model: Model, arrays: Mapping[str, np.ndarray], listed: crf.ListedWords) -> None:  # no super()
        self.postag = False
        self.model = model
        self.idx_to_tag = dict(enumerate(arrays["tags"].tolist()))
        self.n_feature = model.n_feature
        self.n_tag = len(self.idx_to_tag)
        self.preprocesser = PrefixPreprocesser(())
        self.postprocesser = spacy_pkuseg.Postprocesser.__new__(spacy_pkuseg.Postprocesser)
        self.postprocesser.do_process = True
        self.postprocesser.common_words = set()
        self.postprocesser.other_words = listed
        self.crf = crf.Crf(arrays, model.w, self.n_feature, self.idx_to_tag)
        self.merger = crf.RunMerger(listed)

    def cut(self, txt: str) -> list[str]:
        """pkuseg's `cut`, with the CRF run once over all the pieces of the text, and the words of
        each whitespace-separated chunk remembered.

        pkuseg segments every chunk on its own, so a chunk seen before (a paragraph that
        masking left unchanged, when the masked text is analysed again) is not cut again.
        """
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
        """The words of each piece: `postprocesser(_cut(piece))`."""
        text = "".join(pieces)
        ends = np.cumsum([len(piece) for piece in pieces], dtype=np.int64)
        starts = self.crf.word_starts(text, ends)
        if self.postprocesser.do_process:
            starts = self.merger.merge(text, starts, ends)
        return crf.split(text, starts, ends)

    def _cut(self, text: str) -> list[str]:
        """pkuseg's CRF segmentation of one piece."""
        return self.crf.segment([text])[0]

    def begin_document(self, key: str | None = None) -> None:
        """A new document (`key`: its text). The chunk memo serves the repeated analysis of one
        document's masked text, not reuse across documents: it is the one this document had if
        it was segmented recently (a batch masks some documents twice), else a fresh one."""
        if isinstance(self.preprocesser, PrefixPreprocesser):
            self.preprocesser.begin_document(key)


def fast_segmenter(model_dir: Path) -> FastPkuseg | None:
    """The segmenter for an installed model; None when the cache is disabled or cannot be
    written, or the model has features redact/crf.py does not model (pkuseg then loads the
    model itself).

    The first call for a model builds its tables (10-30 s, once).
    """
    if not cache.enabled():
        return None
    marker = (model_dir / MODEL_MARKER).read_bytes()
    name = cache.key("pkuseg-tables", files=(__file__, crf.__file__),
                     params=(*_stamp(model_dir / "features.pkl"), marker))
    arrays = cache.arrays(name, lambda: model_tables(model_dir))
    listed = listed_words()
    if arrays is None or not arrays["modelled"][0] or listed is None:
        return None
    return FastPkuseg(load_weights(model_dir, marker, len(arrays["tags"])), arrays, listed)


def _stamp(path: Path) -> tuple[int, int]:
    """What identifies an installed model's file, with its installation record (hashing the file
    would take as long as reading it)."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def model_tables(model_dir: Path) -> dict[str, np.ndarray]:
    """The arrays of the model in `model_dir`: its `model_arrays` and `tags` (in index order)."""
    print(f"redact: preparing the tables of the pkuseg model in {cache.cache_dir()} "
          "(once per model, 10-30 s)", file=sys.stderr, flush=True)
    started = time.perf_counter()
    with (model_dir / "features.pkl").open("rb") as handle:
        data = pickle.load(handle)  # the model's own file, checksum-verified at install
    tags = sorted(data["tag_to_idx"], key=data["tag_to_idx"].get)
    if [data["tag_to_idx"][tag] for tag in tags] != list(range(len(tags))):
        raise ValueError("pkuseg's tag indices are not 0, 1 …")
    arrays = crf.model_arrays(data["feature_to_idx"], data["unigram"])
    arrays["tags"] = np.array(tags, str)
    print(f"redact: pkuseg model tables ready ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return arrays


def load_weights(model_dir: Path, marker: bytes, n_tag: int) -> Model:
    """The model weights, memory-mapped from a `.npy` copy of `weights.npz` (read-only, shared by
    every process that maps it; pkuseg only reads them). The copy is named after the model's
    files only (`marker`: its installation record)."""
    weights = model_dir / "weights.npz"
    path = cache.cache_dir() / f"{cache.key('pkuseg-weights', params=(*_stamp(weights), marker))}.npy"
    if path.is_file():
        cache.mark_used(path)
    else:
        with np.load(weights) as npz:
            values = np.ascontiguousarray(npz["w"], dtype=np.float64)
        buffer = io.BytesIO()
        np.save(buffer, values)
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


def listed_words() -> crf.ListedWords | None:
    """pkuseg's post-processing words (its default list, what `pkuseg(model_dir)` uses); None
    when the cache cannot be written."""
    def build() -> dict[str, np.ndarray]:
        return crf.listed_arrays(spacy_pkuseg.Postprocesser(None, [DEFAULT_DICT]).other_words)

    arrays = cache.arrays(cache.key("pkuseg-listed-words", files=(DEFAULT_DICT, crf.__file__)), build)
    return None if arrays is None else crf.ListedWords(arrays)


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
        self.chunks: dict[str, tuple[str, ...]] = {}  # FastPkuseg.cut's memo, valid for these words
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
            self._starts = np.sort(np.concatenate([points[:, 0] << crf.CODEPOINT_BITS | points[:, 1],
                                                   singles << crf.CODEPOINT_BITS]))  # repeats do no harm
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
