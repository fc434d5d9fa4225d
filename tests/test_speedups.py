"""The start-up and throughput shortcuts change nothing: each is checked against what it replaces.

- redact/fastseg.py, redact/crf.py: pkuseg's model as memory-mapped tables, the prefix-set user
  dictionary, the vectorised CRF and post-processing, the chunk memos (against pkuseg as shipped,
  and against pkuseg's own extraction on made-up models);
- redact/cache.py: cached values equal rebuilt ones, and a broken cache is rebuilt;
- TokenBounds.from_words (against the spaCy Doc), map_back and SpanIndex (against the
  straightforward versions they replaced).
"""

from __future__ import annotations

import copy
import os
import pickle
import random
import time
from pathlib import Path

import numpy as np
import pytest
import spacy_pkuseg
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.inference import getLogYY

from redact import cache, crf
from redact.fastseg import PrefixPreprocesser
from redact.findings import Finding, Replacement
from redact.masking import apply
from redact.pipeline import SpanIndex, map_back

DATA = Path(__file__).parent / "data"
ALPHABET = "沙溪镇新昌县的工作会议在中国人民政府１２3.45*%&-/:ＡＢab，。“”"
# Characters beyond the BMP, and the tokens normalisation makes (**Num, **Letter, &) from many.
WIDE_ALPHABET = "沙溪镇新昌年𠮷𡈼😀0１二.Ａａb&*-_"
TAGS = {0: "B", 1: "B_single", 2: "I", 3: "I_end", 4: "I_first"}


def random_texts(count: int, seed: int = 1, alphabet: str = ALPHABET) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def normalised(text: str) -> list[str]:
    return list(FeatureExtractor.normalize_text(text))


# ------------------------------------------------------------------ pkuseg features as tables

class Everything:
    def __contains__(self, item: object) -> bool:
        return True


def all_features(text: str) -> set[str]:
    """Every feature string pkuseg can look up for `text`: its training-time generator, with every
    substring a word and every pair of words a bigram."""
    nodes = normalised(text)
    extractor = FeatureExtractor.__new__(FeatureExtractor)
    extractor.unigram = {"".join(nodes[i:j]) for i in range(len(nodes)) for j in range(i + 1, min(len(nodes), i + 7) + 1)}
    extractor.bigram = Everything()
    return {f for i in range(len(nodes)) for f in extractor.get_node_features(i, nodes) if f != "/"}


def made_up_model(seed: int) -> tuple[dict[str, int], set[str], np.ndarray]:
    """(features, unigram words, weights) of a model made of the features of random texts: some
    of them left out, plus features no text makes (raw digits and letters, separators)."""
    rng = random.Random(seed)
    texts = random_texts(40, seed=seed, alphabet=WIDE_ALPHABET)
    unigram: set[str] = set()
    for text in texts:
        nodes = normalised(text)
        unigram.update("".join(nodes[i:j]) for i in range(len(nodes)) for j in range(i + 1, min(len(nodes), i + 7) + 1)
                       if rng.random() < 0.5)
    unigram |= {"0年", "Ａ年", "沙.溪", "沙*溪", "**Num**Letter", "𠮷𡈼"}
    made = set().union(*(all_features(t) for t in texts))
    made |= {"c.0", "c.Ａ", "c..", "c.*", "cc1.0.年", "c-1c.沙.Ａ", "w1.0年", "ww.l.沙*溪*沙溪", "zz.沙",
             "c2.沙溪"}
    kept = sorted(f for f in made if f != "$$" and not crf.unmodelled(f) and rng.random() < 0.8)
    rng.shuffle(kept)
    features = {"$$": 0} | {feature: index for index, feature in enumerate(kept, 1)}
    weights = np.array([rng.uniform(-2, 2) for _ in range((len(features) + len(TAGS)) * len(TAGS))])
    return features, unigram, weights


def pkuseg_scores(features: dict[str, int], unigram: set[str], weights: np.ndarray, piece: str) -> np.ndarray:
    extractor = FeatureExtractor.__new__(FeatureExtractor)
    extractor.feature_to_idx, extractor.unigram = features, unigram
    nodes = list(extractor.normalize_text(piece))
    node_features = [extractor.get_node_features_idx(i, nodes) for i in range(len(nodes))]
    scores, _ = getLogYY(node_features, len(TAGS), len(features) * len(TAGS), weights, 1.0)
    return scores


@pytest.mark.parametrize("seed", [1, 2])
def test_model_tables_give_pkusegs_scores(seed: int, tmp_path: Path) -> None:
    """Made-up models with characters beyond the BMP, **Num and **Letter words, separators: the
    node scores from the tables (through an array file) are getLogYY's, to the bit."""
    features, unigram, weights = made_up_model(seed)
    arrays = crf.model_arrays(features, unigram)
    assert arrays["modelled"][0]
    (tmp_path / "model.arrays").write_bytes(cache.ArrayFile.dumps(arrays))
    ours = crf.Crf(cache.ArrayFile.load(tmp_path / "model.arrays"), weights, len(features), TAGS)
    pieces = random_texts(200, seed=seed + 10, alphabet=WIDE_ALPHABET) + ["𠮷", "0", "&", "沙溪"]
    expected = [pkuseg_scores(features, unigram, weights, piece) for piece in pieces]
    for piece, scores in zip(pieces, expected):
        got = ours.node_scores(crf.compact(crf.codepoints(piece)), np.array([len(piece)]))
        assert np.array_equal(got, scores), piece
    batch = ours.node_scores(crf.compact(crf.codepoints("".join(pieces))), np.cumsum([len(p) for p in pieces]))
    assert np.array_equal(batch, np.concatenate(expected))


def test_model_tables_hold_exactly_the_features_texts_make() -> None:
    features = {"$$": 0, "c.**Num": 1, "c.0": 2, "c-2.𠮷": 3, "cc1.**Num.年": 4, "c-2c-1.𠮷.**Letter": 5,
                "c-1c.&.&": 6, "c..": 7, "w1.**Num年": 8, "ww.l.**Num年***Num年": 9, "ww.r.沙溪*新昌": 10,
                "zz.沙": 11, "c2.Ａ": 12, "c1.**Letter": 13, "cc1.0.年": 14, "w-1.0年": 15, "c.**Nu": 16}
    unigram = {"**Num年", "沙溪", "新昌", "0年", "年"}
    arrays = crf.model_arrays(features, unigram)
    tables, trie = crf.Features(arrays), crf.WordTrie.build(unigram)
    codes = np.array([ord("0"), ord("𠮷"), ord("Ａ"), ord("沙")])
    assert tables.chars(codes).tolist() == [[1, -1, -1, -1, -1], [-1, -1, -1, 3, -1], [-1, -1, 13, -1, -1], [-1] * 5]
    first, second = crf.codepoints("0𠮷&0"), crf.codepoints("年Ａ&年")
    assert tables.pairs(first, second).tolist() == [[-1, 4, -1], [-1, -1, 5], [6, -1, -1], [-1, 4, -1]]
    index = {name: k for k, name in enumerate(trie.names)}
    assert sorted(trie.names) == ["**Num年", "新昌", "沙溪"]  # 0年 never matches, 年 is too short
    assert tables.words(np.array([index["**Num年"], index["沙溪"]])).tolist() == [[-1, 8], [-1, -1]]
    keys = np.array([index["**Num年"] * trie.count + index["**Num年"], index["沙溪"] * trie.count + index["新昌"],
                     index["新昌"] * trie.count + index["沙溪"]])
    assert tables.word_pairs(keys).tolist() == [[9, -1], [-1, 10], [-1, -1]]
    found = {int(i) for name in ("chars", "pairs", "word_pairs") for i in arrays[f"{name}.rows"].ravel() if i >= 0}
    found |= {int(i) for i in arrays["words.rows"].ravel() if i >= 0}
    assert found == {1, 3, 4, 5, 6, 8, 9, 10, 13}  # the others no text makes


def test_models_with_unmodelled_features_are_marked() -> None:
    assert crf.model_arrays({"$$": 0, "c.沙": 1}, {"沙溪"})["modelled"][0]
    for feature in ("w1.", "ww.l.**noWord*沙溪", "ww.r.沙溪*"):
        assert not crf.model_arrays({"$$": 0, feature: 1}, {"沙溪"})["modelled"][0], feature


# ------------------------------------------------------------------ user dictionary

def test_prefix_preprocesser_matches_pkuseg_trie() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        words = ["".join(rng.choice("abcd") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 6))]
        trie, prefix = spacy_pkuseg.Preprocesser(words), PrefixPreprocesser(words)
        texts = ["".join(rng.choice("abcd") for _ in range(rng.randint(0, 12))) for _ in range(10)]
        for text in texts:
            assert prefix.solve(text) == trie.solve(text), (words, text)
        assert prefix.solve_all(texts) == [trie.solve(text) for text in texts], (words, texts)


# ------------------------------------------------------------------ the segmenter as a whole

def masked_variants(text: str, seed: int) -> list[str]:
    """The text with a few 2-4 character spans replaced by XX, as masking does, step by step."""
    rng = random.Random(seed)
    variants, current = [], text
    for _ in range(3):
        for _ in range(max(1, len(current) // 80)):
            start = rng.randrange(max(1, len(current) - 4))
            current = current[:start] + "XX" + current[start + rng.randint(2, 4):]
        variants.append(current)
    return variants


def edge_cases() -> list[str]:
    rng = random.Random(3)
    long_line = "".join(rng.choice(ALPHABET + "工作人员会议记录") for _ in range(20000))
    return ["", "沙", "a", "0", "&", "*", ".", "   ", " \n\t\u3000 ", "\n\n文本\r\n下一行 ", "XX镇 ", long_line,
            "１２３４５６７８９０年", "ＡＢＣ公司和ABC公司", "a.b*c&d-e_f,g|h/i:j", "中华人民共和国国务院"]


def corpus_texts() -> list[str]:
    files = sorted(p for pattern in ("*.txt", "*.md") for p in DATA.rglob(pattern))
    assert files
    return [p.read_text(encoding="utf-8") for p in files]


@pytest.fixture(scope="module")
def shipped(pkuseg_model_dir: Path) -> spacy_pkuseg.pkuseg:
    """pkuseg as shipped, every feature loaded."""
    return spacy_pkuseg.pkuseg(str(pkuseg_model_dir))


@pytest.fixture(scope="module")
def lexicon() -> tuple[str, ...]:
    from redact.batch import segmentation_words
    from redact.rules import load_rules

    return segmentation_words(load_rules(None))


def our_segmenter(pkuseg_model_dir: Path, words: tuple[str, ...] = ()):
    from redact.nlp import load_nlp

    ours = load_nlp(pkuseg_model_dir, words).tokenizer.pkuseg_seg
    if not hasattr(ours, "begin_document"):
        pytest.skip("the start-up caches are off (REDACT_NO_CACHE): pkuseg is used as shipped")
    return ours


@pytest.mark.slow
@pytest.mark.parametrize("with_lexicon", [False, True])
def test_segmenter_cuts_like_pkuseg_as_shipped(pkuseg_model_dir: Path, shipped, lexicon, with_lexicon: bool) -> None:
    words = lexicon if with_lexicon else ()
    ours = our_segmenter(pkuseg_model_dir, words)
    reference = copy.copy(shipped)
    reference.preprocesser = spacy_pkuseg.Preprocesser(sorted(words))
    ours.begin_document(None)
    for text in corpus_texts() + random_texts(300, seed=4) + edge_cases():
        assert ours.cut(text) == reference.cut(text), text[:60]


@pytest.mark.slow
def test_segmenter_memos_cut_like_pkuseg_as_shipped(pkuseg_model_dir: Path, shipped, lexicon) -> None:
    ours = our_segmenter(pkuseg_model_dir, lexicon)
    reference = copy.copy(shipped)
    reference.preprocesser = spacy_pkuseg.Preprocesser(sorted(lexicon))
    texts = [text[:2500] for text in corpus_texts()][:8]
    for number, text in enumerate(texts):
        ours.begin_document(text if number % 2 else None)
        for variant in [text, *masked_variants(text, number)]:
            assert ours.cut(variant) == reference.cut(variant)
    ours.begin_document(texts[1])  # a document seen before: its chunk memo comes back
    assert ours.cut(texts[1]) == reference.cut(texts[1])


def test_no_fast_segmenter_without_the_cache(pkuseg_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the cache off there are no tables to map: pkuseg loads the model itself."""
    from redact.fastseg import fast_segmenter

    monkeypatch.setenv("REDACT_NO_CACHE", "1")
    assert fast_segmenter(pkuseg_model_dir) is None


@pytest.mark.slow
def test_crf_node_scores_are_pkusegs(pkuseg_model_dir: Path, shipped) -> None:
    """The default model's tables (as cached) give getLogYY's scores to the bit, piece by piece
    and for a batch of pieces at once."""
    extractor, model = shipped.feature_extractor, shipped.model
    ours = our_segmenter(pkuseg_model_dir).crf
    pieces = [p for text in corpus_texts()[:3] for p in text.split()][:200] + random_texts(100, seed=6)
    pieces += random_texts(100, seed=7, alphabet=WIDE_ALPHABET)
    expected = []
    for piece in pieces:
        nodes = list(extractor.normalize_text(piece))
        features = [extractor.get_node_features_idx(i, nodes) for i in range(len(nodes))]
        scores, _ = getLogYY(features, model.n_tag, model.n_feature * model.n_tag, model.w, 1.0)
        got = ours.node_scores(crf.compact(crf.codepoints(piece)), np.array([len(piece)]))
        assert np.array_equal(got, scores), piece
        expected.append(scores)
    ends = np.cumsum([len(p) for p in pieces])
    batch = ours.node_scores(crf.compact(crf.codepoints("".join(pieces))), ends)
    assert np.array_equal(batch, np.concatenate(expected))
    assert ours.segment(pieces) == [shipped._cut(p) for p in pieces]


def test_word_trie_finds_the_words_pkuseg_looks_up() -> None:
    """Against pkuseg's own test (`"".join(nodes[s:s + l]) in unigram`), with words of the forms
    normalisation makes unmatchable (separators, raw digits and letters) or matchable (**Num…)."""
    rng = random.Random(8)
    alphabet = "沙溪镇新1２Ａa.*&-𠮷"
    unigram = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7))) for _ in range(400)}
    unigram |= {"沙**Num", "**Num**Num", "**Letter溪", "&&", "沙溪镇新沙溪", "***Num", "**Nu", "", "𠮷𠮷"}
    built = crf.WordTrie.build(unigram)
    trie, names = crf.WordTrie(built.arrays), built.names
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(300)]
    ends = np.cumsum([len(t) for t in texts])
    points = crf.compact(crf.codepoints("".join(texts)))
    room = np.repeat(ends - 1, [len(t) for t in texts]) - np.arange(len(points))
    found = {(int(s), length, names[w]) for length, (starts, words) in trie.matches(points, room).items()
             for s, w in zip(starts, words)}
    expected = set()
    for text, start in zip(texts, ends - [len(t) for t in texts]):
        nodes = normalised(text)
        for s in range(len(nodes)):
            for length in range(2, 7):
                word = "".join(nodes[s:s + length])
                if s + length <= len(nodes) and word in unigram:
                    expected.add((int(start) + s, length, word))
    assert found == expected
    assert any("**" in word for _, _, word in found) and any("𠮷" in word for _, _, word in found)


@pytest.mark.parametrize("spread", [True, False])
def test_key_tables_find_their_keys(spread: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also when every key has the same home slot (long runs of taken slots, wrapping around)."""
    if not spread:
        monkeypatch.setattr(crf, "KEY_HASH", np.uint64(0))
    rng = np.random.default_rng(11)
    for count in (0, 1, 2, 3, 100, 3000):
        keys = np.unique(rng.integers(0, 1 << 42, count, dtype=np.int64))
        table = crf.KeyTable(crf.KeyTable.build(keys, "t"), "t")
        assert np.count_nonzero(table.slots >= 0) == len(keys) and len(table.slots) > 2 * len(keys)
        queries = np.concatenate([keys, rng.integers(0, 1 << 42, 500, dtype=np.int64), [0, (1 << 42) - 1]])
        expected = {key: number for number, key in enumerate(keys.tolist())}
        assert table.find(queries).tolist() == [expected.get(key, -1) for key in queries.tolist()]


@pytest.mark.parametrize("colliding", [False, True])
def test_run_merger_post_processes_like_pkuseg(colliding: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Also with a hash under which every anagram collides (the sum of the codepoints)."""
    if colliding:
        monkeypatch.setattr(crf, "HASH_BASE", 1)
        monkeypatch.setattr(crf, "HASH_INVERSE", 1)
    rng = random.Random(9)
    listed = {"".join(rng.choice("abcd") for _ in range(rng.randint(1, 6))) for _ in range(60)} | {""}
    post = spacy_pkuseg.Postprocesser.__new__(spacy_pkuseg.Postprocesser)
    post.do_process, post.common_words, post.other_words = True, set(), listed
    words = crf.ListedWords(crf.listed_arrays(listed))
    merger = crf.RunMerger(words)
    for _ in range(300):
        pieces = [["".join(rng.choice("abcd") for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 12))]
                  for _ in range(rng.randint(1, 5))]
        text = "".join(w for piece in pieces for w in piece)
        ends = np.cumsum([sum(map(len, piece)) for piece in pieces])
        starts = np.cumsum([0] + [len(w) for piece in pieces for w in piece])[:-1]
        merged = merger.merge(text, starts, ends)
        assert crf.split(text, merged, ends) == [post(list(piece)) for piece in pieces], pieces
    assert len(words) == len(listed)
    if colliding:
        assert len(set(words.hashes.tolist())) < len(listed)


def test_listed_words_are_looked_up_exactly(tmp_path: Path) -> None:
    rng = random.Random(10)
    alphabet = "沙溪𠮷😀ab"
    listed = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(200)}
    (tmp_path / "words.arrays").write_bytes(cache.ArrayFile.dumps(crf.listed_arrays(listed)))
    words = crf.ListedWords(cache.ArrayFile.load(tmp_path / "words.arrays"))
    for word in sorted(listed) + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(500)]:
        assert (word in words) == (word in listed), word
    assert 3 not in words


def test_unmodelled_features_are_word_features_on_empty_or_missing_words() -> None:
    for feature in ("w-1.", "w1.", "ww.l.**noWord*沙溪", "ww.r.沙溪*", "ww.l.*沙溪", "ww.r.沙溪***noWord"):
        assert crf.unmodelled(feature), feature
    for feature in ("$$", "c.沙", "w1.沙溪", "ww.l.沙溪*新昌", "ww.r.**Num年*沙溪", "cc1.**Num.沙"):
        assert not crf.unmodelled(feature), feature


@pytest.mark.slow
def test_default_model_has_no_unmodelled_features(pkuseg_model_dir: Path) -> None:
    with (pkuseg_model_dir / "features.pkl").open("rb") as handle:
        features = pickle.load(handle)["feature_to_idx"]
    assert not any(map(crf.unmodelled, features))


# ------------------------------------------------------------------ caches

def test_cached_values_are_rebuilt_when_missing_or_broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REDACT_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_BUILD_SECONDS", 0.0)
    calls = []

    def build() -> dict:
        calls.append(1)
        return {"沙溪": (2, 0.9)}

    name = cache.key("test", params=("x",))
    assert cache.cached(name, build) == {"沙溪": (2, 0.9)}
    assert cache.cached(name, build) == {"沙溪": (2, 0.9)} and len(calls) == 1
    cache.path_for(name).write_bytes(b"\x00broken")
    assert cache.cached(name, build) == {"沙溪": (2, 0.9)} and len(calls) == 2
    monkeypatch.setenv("REDACT_NO_CACHE", "1")
    assert cache.cached(name, build) == {"沙溪": (2, 0.9)} and len(calls) == 3


def test_storing_a_cache_file_removes_files_unused_for_a_week(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REDACT_NO_CACHE", raising=False)
    directory = cache.cache_dir()
    week_ago = time.time() - cache.STALE_DAYS * cache.DAY - 60
    stale_same_kind, stale_old_kind, recent = (directory / n for n in ("test-aaaa", "retired-kind-bbbb", "other-cccc"))
    for path in (stale_same_kind, stale_old_kind, recent):
        path.write_bytes(b"x")
    for path in (stale_same_kind, stale_old_kind):
        os.utime(path, (week_ago, week_ago))
    assert cache.store(directory / "test-dddd", b"new")
    assert not stale_same_kind.exists() and not stale_old_kind.exists()
    assert recent.exists() and (directory / "test-dddd").read_bytes() == b"new"


def test_shard_files_read_one_shard_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REDACT_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_BUILD_SECONDS", 0.0)
    shards = {"沙": {"沙溪": (1, "ns")}, "新": ["新昌"], "": ()}
    store = cache.sharded(cache.key("test-shards"), lambda: shards)
    assert store is not None
    assert {key: store.get(key) for key in shards} == shards
    assert store.get("missing", 7) == 7 and "沙" in store and "x" not in store
    assert cache.sharded(cache.key("test-shards"), lambda: pytest.fail("rebuilt")).get("新") == ["新昌"]


def test_array_files_map_what_was_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("REDACT_NO_CACHE", raising=False)
    arrays = {"keys": np.array([3, 1 << 40], np.int64), "rows": np.arange(15, dtype=np.int32).reshape(5, 3),
              "empty": np.empty((0, 2), np.int32), "tags": np.array(["B", "I_end"]), "one": np.array([7], np.int8)}
    calls = []

    def build() -> dict:
        calls.append(1)
        return arrays

    name = cache.key("test-arrays")
    for _ in range(2):
        mapped = cache.arrays(name, build)
        assert calls == [1] and mapped.keys() == arrays.keys()
        for key, array in arrays.items():
            assert mapped[key].dtype == array.dtype and np.array_equal(mapped[key], array), key
            assert not mapped[key].flags.writeable
    del mapped  # (the file is rewritten in place below: no mapping of it may be used any more)
    path = tmp_path / f"{name}.arrays"
    path.write_bytes(path.read_bytes()[:100])  # truncated: rebuilt
    assert np.array_equal(cache.arrays(name, build)["rows"], arrays["rows"]) and len(calls) == 2
    monkeypatch.setenv("REDACT_NO_CACHE", "1")
    assert cache.arrays(name, build) is None and len(calls) == 2


def test_cache_keys_follow_file_contents(tmp_path: Path) -> None:
    lexicon = tmp_path / "places.tsv"
    lexicon.write_text("沙溪镇\t沙溪\ttownship\n", encoding="utf-8")
    first = cache.key("k", files=(lexicon,))
    lexicon.write_text("回山镇\t回山\ttownship\n", encoding="utf-8")
    assert cache.key("k", files=(lexicon,)) != first
    assert cache.key("k", files=(lexicon,), params=(1,)) != cache.key("k", files=(lexicon,), params=(2,))


# ------------------------------------------------------------------ token bounds, map_back, overlaps

@pytest.mark.slow
def test_token_bounds_from_words_match_the_spacy_doc(pkuseg_model_dir: Path) -> None:
    from redact.nlp import load_nlp
    from redact.recognizers.base import TokenBounds

    nlp = load_nlp(pkuseg_model_dir)
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.rglob("*.txt"))][:8]
    texts += ["a  b\n\nc", " 前导空格 和  多个   空格\t制表\n", "\n\n文本\r\n下一行 ", "XX镇 ", "末尾  ",
              "", " ", "\n", "全角\u3000空格\u3000 混合 \u3000", "不换行\u00a0空格\u2003和 \x0b\x0c"]
    rng = random.Random(7)
    pieces = ["沙溪镇", "工作", "2023", "ab", " ", "  ", "\n", "\t", "\u3000", "。"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 25))) for _ in range(200)]
    for text in texts:
        doc_bounds = TokenBounds(nlp(text))
        fast = TokenBounds.from_words(nlp.tokenizer.pkuseg_seg.cut(text), text)
        assert (fast.starts, fast.ends) == (doc_bounds.starts, doc_bounds.ends), text[:40]


def reference_map_back(findings, edits, original):
    """map_back as it was: every edit checked for every finding."""
    moved = []
    for finding in findings:
        shift = 0
        for edit in sorted(edits, key=lambda e: e.start):
            out_start = edit.start + shift
            out_end = out_start + len(edit.new)
            if finding.start < out_end and out_start < finding.end:
                break
            if out_end <= finding.start:
                shift += len(edit.new) - (edit.end - edit.start)
        else:
            start = finding.start - shift
            if original[start:start + finding.length] == finding.text:
                moved.append(finding.moved(start, origin=finding.origin, reason=finding.reason))
    return moved


def span(text: str, start: int, end: int) -> Finding:
    return Finding(start, end, text[start:end], "PLACE", "r", "R", 1.0, "")


def test_map_back_and_span_index_agree_with_the_plain_versions() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        original = "".join(rng.choice("abcXx") for _ in range(rng.randint(1, 40)))
        edits, position = [], 0
        while True:
            position += rng.randint(0, 4)
            if position >= len(original):
                break
            end = min(len(original), position + rng.randint(1, 4))
            edits.append(Replacement(position, end, rng.choice(["", "X", "XX", "xxxxx"]), span(original, position, end)))
            position = end
        rng.shuffle(edits)
        masked = apply(original, edits)
        findings = []
        for _ in range(rng.randint(0, 8)):
            if masked:
                start = rng.randrange(len(masked))
                findings.append(span(masked, start, min(len(masked), start + rng.randint(1, 5))))
        assert map_back(findings, edits, original) == reference_map_back(findings, edits, original)
        index = SpanIndex(e.finding for e in edits)
        for finding in findings:
            assert index.overlaps(finding) == any(finding.overlaps(e.finding) for e in edits)


def test_the_main_process_of_a_batch_loads_no_nlp_stack() -> None:
    """The command line, batch, resolution and report modules import neither spaCy nor Presidio
    (a second or more of start-up): only the workers that mask documents load them."""
    import subprocess
    import sys

    code = ("import sys, redact.cli, redact.batch, redact.resolve, redact.report.json_report, "
            "redact.report.html_report; print(sorted(m for m in ('spacy', 'presidio_analyzer') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
