"""The start-up and throughput shortcuts change nothing: each is checked against what it replaces.

- redact/fastseg.py: lazily loaded pkuseg features, the prefix-set user dictionary, the
  chunk and feature memos (against pkuseg as shipped);
- redact/cache.py: cached values equal rebuilt ones, and a broken cache is rebuilt;
- TokenBounds.from_words (against the spaCy Doc), map_back and SpanIndex (against the
  straightforward versions they replaced).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy_pkuseg
from spacy_pkuseg.feature_extractor import FeatureExtractor

from redact import cache
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
        for _ in range(10):
            text = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 12)))
            assert prefix.solve(text) == trie.solve(text), (words, text)


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


@pytest.mark.slow
def test_lazy_segmenter_with_memos_cuts_like_pkuseg_as_shipped(pkuseg_model_dir: Path) -> None:
    from redact.batch import segmentation_words
    from redact.nlp import load_nlp
    from redact.rules import load_rules

    words = segmentation_words(load_rules(None))
    ours = load_nlp(pkuseg_model_dir, words).tokenizer.pkuseg_seg
    if not hasattr(ours, "begin_document"):
        pytest.skip("the start-up caches are off (REDACT_NO_CACHE): pkuseg is used as shipped")
    shipped = spacy_pkuseg.pkuseg(str(pkuseg_model_dir))
    shipped.preprocesser = spacy_pkuseg.Preprocesser(sorted(words))
    texts = [p.read_text(encoding="utf-8")[:2500] for p in sorted(DATA.rglob("*.txt"))][:8]
    for number, text in enumerate(texts):
        ours.begin_document(text if number % 2 else None)
        for variant in [text, *masked_variants(text, number)]:
            assert ours.cut(variant) == shipped.cut(variant)
    ours.begin_document(texts[1])  # a document seen before: its chunk memo comes back
    assert ours.cut(texts[1]) == shipped.cut(texts[1])


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
    texts += ["a  b\n\nc", " 前导空格 和  多个   空格\t制表\n", "\n\n文本\r\n下一行 ", "XX镇 ", "末尾  "]
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
