"""The start-up and throughput shortcuts change nothing: each is checked against what it replaces.

- redact/fastseg.py, redact/crf.py: lazily loaded pkuseg features, the prefix-set user
  dictionary, the vectorised CRF and post-processing, the chunk memos (against pkuseg as shipped);
- redact/cache.py: cached values equal rebuilt ones, and a broken cache is rebuilt;
- TokenBounds.from_words (against the spaCy Doc), map_back and SpanIndex (against the
  straightforward versions they replaced).
"""

from __future__ import annotations

import copy
import pickle
import random
from pathlib import Path

import numpy as np
import pytest
import spacy_pkuseg
from spacy_pkuseg.feature_extractor import FeatureExtractor
from spacy_pkuseg.inference import getLogYY

from redact import cache, crf
from redact.fastseg import ALWAYS, LazyFeatures, PrefixPreprocesser, feature_shards, feature_tokens
from redact.findings import Finding, Replacement
from redact.masking import apply
from redact.pipeline import SpanIndex, map_back

DATA = Path(__file__).parent / "data"
ALPHABET = "沙溪镇新昌县的工作会议在中国人民政府１２3.45*%&-/:ＡＢab，。“”"


def random_texts(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def normalised(text: str) -> list[str]:
    return list(FeatureExtractor.normalize_text(text))


# ------------------------------------------------------------------ pkuseg features

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


def test_feature_tokens_are_characters_of_the_text() -> None:
    """The property lazy loading rests on: a feature looked up for a text is made of its characters."""
    for text in random_texts(300):
        tokens = set(normalised(text))
        for feature in all_features(text):
            found = feature_tokens(feature)
            assert found is not None, feature
            assert found <= tokens, (text, feature, found)


def test_lazy_features_hold_every_feature_a_text_can_look_up() -> None:
    texts = random_texts(60, seed=2)
    universe = sorted(set().union(*(all_features(t) for t in texts)) | {"$$", "c.没有"})
    indices = {feature: i for i, feature in enumerate(universe)}
    store = MemoryStore(feature_shards(indices, ["沙溪"], {"B": 0}))
    loaded: dict[str, int] = {}
    lazy = LazyFeatures(store, loaded)
    assert loaded["$$"] == indices["$$"]  # the ALWAYS shard comes with the model
    for text in texts:
        lazy.ensure(text)
        for feature in all_features(text):
            assert loaded[feature] == indices[feature]
    assert "c.没有" not in loaded  # characters never seen are never loaded
    assert ALWAYS in lazy.loaded


class MemoryStore:
    def __init__(self, shards: dict) -> None:
        self.shards = shards

    def get(self, key: str, default=None):
        return self.shards.get(key, default)


def test_unknown_feature_forms_are_refused() -> None:
    assert feature_tokens("zz.沙") is None
    assert feature_tokens("ww.x.沙*溪") is None
    assert feature_tokens("$$") == set()
    assert feature_tokens("ww.l.**noWord***noWord") == set()
    assert feature_tokens("cc1.**Num.沙") == {"**Num", "沙"}


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


@pytest.mark.slow
def test_segmenter_without_the_vectorised_crf_cuts_like_pkuseg(pkuseg_model_dir: Path, shipped) -> None:
    """The fallback for models with features redact/crf.py does not model: pkuseg's extraction."""
    ours = copy.copy(our_segmenter(pkuseg_model_dir))
    assert ours.crf is not None  # the default model has no such features
    ours.crf = None
    ours.begin_document(None)
    for text in corpus_texts()[:2] + random_texts(30, seed=5) + [t for t in edge_cases() if len(t) < 100]:
        assert ours.cut(text) == shipped.cut(text)


@pytest.mark.slow
def test_crf_node_scores_are_pkusegs(shipped) -> None:
    """Bit-identical to getLogYY, piece by piece and for a batch of pieces at once."""
    extractor, model = shipped.feature_extractor, shipped.model
    ours = crf.Crf(lambda: crf.WordTrie.build(extractor.unigram), extractor.feature_to_idx, model.w,
                   model.n_feature, shipped.idx_to_tag)
    pieces = [p for text in corpus_texts()[:3] for p in text.split()][:200] + random_texts(100, seed=6)
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


@pytest.mark.slow
def test_crf_memos_forget_and_still_cut_like_pkuseg(shipped, monkeypatch: pytest.MonkeyPatch) -> None:
    extractor, model = shipped.feature_extractor, shipped.model
    ours = crf.Crf(lambda: crf.WordTrie.build(extractor.unigram), extractor.feature_to_idx, model.w,
                   model.n_feature, shipped.idx_to_tag)
    monkeypatch.setattr(crf, "MEMO_KEYS", 300)
    pairs: set[int] = set()
    for seed in range(3):
        pieces = random_texts(40, seed=seed)
        assert ours.segment(pieces) == [shipped._cut(p) for p in pieces]
        tokens = crf.compact(crf.codepoints("".join(pieces)))
        pairs.update((tokens[:-1] << crf.CODEPOINT_BITS | tokens[1:]).tolist())
    assert len(ours.pairs.keys) + len(ours.pairs.recent_keys) < len(pairs)  # some forgotten


def test_word_trie_finds_the_words_pkuseg_looks_up() -> None:
    """Against pkuseg's own test (`"".join(nodes[s:s + l]) in unigram`), with words of the forms
    normalisation makes unmatchable (separators, raw digits and letters) or matchable (**Num…)."""
    rng = random.Random(8)
    alphabet = "沙溪镇新1２Ａa.*&-"
    unigram = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7))) for _ in range(400)}
    unigram |= {"沙**Num", "**Num**Num", "**Letter溪", "&&", "沙溪镇新沙溪", "***Num", "**Nu", ""}
    trie = crf.WordTrie.load(crf.WordTrie.build(unigram).dump())
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(300)]
    ends = np.cumsum([len(t) for t in texts])
    points = crf.compact(crf.codepoints("".join(texts)))
    room = np.repeat(ends - 1, [len(t) for t in texts]) - np.arange(len(points))
    found = {(int(s), length, trie.names[w]) for length, (starts, words) in trie.matches(points, room).items()
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
    assert any("**" in word for _, _, word in found)


def test_run_merger_post_processes_like_pkuseg() -> None:
    rng = random.Random(9)
    listed = {"".join(rng.choice("abcd") for _ in range(rng.randint(1, 6))) for _ in range(60)}
    post = spacy_pkuseg.Postprocesser.__new__(spacy_pkuseg.Postprocesser)
    post.do_process, post.common_words, post.other_words = True, set(), listed
    merger = crf.RunMerger(lambda: crf.listed_bits(listed))
    for _ in range(300):
        pieces = [["".join(rng.choice("abcd") for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 12))]
                  for _ in range(rng.randint(1, 5))]
        text = "".join(w for piece in pieces for w in piece)
        ends = np.cumsum([sum(map(len, piece)) for piece in pieces])
        starts = np.cumsum([0] + [len(w) for piece in pieces for w in piece])[:-1]
        merged = merger.merge(text, starts, ends, listed)
        assert crf.split(text, merged, ends) == [post(list(piece)) for piece in pieces], pieces


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
