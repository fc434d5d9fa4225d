"""Tests for redact.nlp: pkuseg segmentation, user words, memoization, error paths."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import spacy
from spacy.lang.zh import ChineseTokenizer

from redact import model
from redact import nlp as nlp_module
from redact.errors import ModelError
from redact.nlp import load_nlp


def tokens(nlp, text: str) -> list[str]:
    return [token.text for token in nlp(text)]


@pytest.mark.slow
def test_segments_words_not_characters(pkuseg_model_dir: Path) -> None:
    assert tokens(load_nlp(pkuseg_model_dir), "在沙溪镇调研") == ["在", "沙溪镇", "调研"]


@pytest.mark.slow
def test_user_words_make_a_rare_word_one_token(pkuseg_model_dir: Path) -> None:
    text = "在瓯江口新区考察"
    assert "瓯江口新区" not in tokens(load_nlp(pkuseg_model_dir), text)
    assert tokens(load_nlp(pkuseg_model_dir, ["瓯江口新区"]), text) == ["在", "瓯江口新区", "考察"]


@pytest.mark.slow
def test_user_words_do_not_leak_between_pipelines(pkuseg_model_dir: Path) -> None:
    with_word = load_nlp(pkuseg_model_dir, ["石门坎乡"])
    plain = load_nlp(pkuseg_model_dir)
    assert "石门坎乡" in tokens(with_word, "石门坎乡苗族群众")
    assert "石门坎乡" not in tokens(plain, "石门坎乡苗族群众")
    # the heavy model is loaded once and shared
    assert with_word.tokenizer.pkuseg_seg.model is plain.tokenizer.pkuseg_seg.model


@pytest.mark.slow
def test_memoized_per_directory_and_word_set(pkuseg_model_dir: Path) -> None:
    first = load_nlp(pkuseg_model_dir, ["甲乙", "丙丁"])
    assert load_nlp(pkuseg_model_dir, ("丙丁", "甲乙", " 甲乙 ", "")) is first
    assert load_nlp(pkuseg_model_dir, iter(["甲乙", "丙丁"])) is first
    assert load_nlp(pkuseg_model_dir) is load_nlp(pkuseg_model_dir, [])
    assert load_nlp(pkuseg_model_dir) is not first


@pytest.mark.slow
def test_default_dir_comes_from_cache(pkuseg_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACT_MODEL_DIR", str(pkuseg_model_dir))
    assert load_nlp() is load_nlp(pkuseg_model_dir)


def test_missing_model_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="redact setup"):
        load_nlp(tmp_path)


def test_corrupt_model_raises_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in model.REQUIRED_FILES:
        (tmp_path / name).write_bytes(b"garbage")
    model._write_marker(tmp_path)
    with pytest.raises(ModelError, match="cannot load pkuseg model"):
        load_nlp(tmp_path)


def test_character_fallback_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_blank = spacy.blank

    def blank_with_bad_segmenter(lang: str, config: dict) -> spacy.language.Language:
        nlp = real_blank(lang)
        nlp.tokenizer = ChineseTokenizer(nlp.vocab, segmenter="bogus")  # spaCy warns W103
        return nlp

    monkeypatch.setattr(nlp_module.spacy, "blank", blank_with_bad_segmenter)
    with pytest.raises(ModelError, match="W103"):
        nlp_module._blank_pkuseg()


def test_non_pkuseg_tokenizer_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_module, "_CONFIG", {"nlp": {"tokenizer": {"segmenter": "char"}}})
    with pytest.raises(ModelError, match="pkuseg"):
        nlp_module._blank_pkuseg()


def test_msgpack_notice_is_dropped_other_stderr_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    sink = io.StringIO()
    monkeypatch.setattr(sys, "stderr", sink)
    with nlp_module._drop_stderr_lines("features.msgpack does not exist"):
        print("WARNING: features.msgpack does not exist, try loading features.pkl", file=sys.stderr)
        print("something else", file=sys.stderr)
    assert sink.getvalue() == "something else\n"
