"""Build the blank spaCy Chinese pipeline that segments with pkuseg."""

from __future__ import annotations

import contextlib
import copy
import io
import sys
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.util import ConfigValidationError

from redact.errors import ModelError
from redact.fastseg import PrefixPreprocesser, fast_segmenter
from redact.model import find_model

_CONFIG = {"nlp": {"tokenizer": {"segmenter": "pkuseg"}}}
# Printed by spacy_pkuseg before it falls back to features.pkl (our format).
_MSGPACK_NOTICE = "features.msgpack does not exist"


def load_nlp(model_dir: Path | None = None, user_words: Iterable[str] = ()) -> Language:
    """Return a blank ``zh`` pipeline segmenting with pkuseg, memoized per process.

    ``model_dir`` defaults to ``find_model()``. Each of ``user_words`` is forced
    to be one token wherever it occurs (pkuseg user dictionary, longest match).
    Calls with the same directory and word set return the same object.
    """
    directory = find_model(model_dir).resolve()
    words = frozenset(word.strip() for word in user_words if word.strip())
    return _cached_nlp(directory, words)


@lru_cache(maxsize=8)
def _cached_nlp(model_dir: Path, words: frozenset[str]) -> Language:
    """Build a pipeline sharing the loaded model, with its own user dictionary."""
    nlp = _blank_pkuseg()
    tokenizer = _pkuseg_tokenizer(nlp)
    # The model and feature tables are read-only during cut(); only the
    # preprocessor (user dictionary trie) must be private to this pipeline.
    tokenizer.pkuseg_seg = copy.copy(_segmenter(model_dir))
    # Same matching as tokenizer.pkuseg_update_user_dict(words, reset=True), built 10x faster.
    tokenizer.pkuseg_seg.preprocesser = PrefixPreprocesser(sorted(words))
    return nlp


@lru_cache(maxsize=2)
def _segmenter(model_dir: Path) -> Any:
    """Load the pkuseg segmenter (the slow, memory-heavy part) once per directory.

    Normally the segmenter of redact/fastseg.py on memory-mapped tables (same segmentation, loads
    in milliseconds); pkuseg's own loader when the cache is off or cannot be written, or the
    model has features redact/crf.py does not model.
    """
    try:
        segmenter = fast_segmenter(model_dir)
        if segmenter is not None:
            return segmenter
        tokenizer = _pkuseg_tokenizer(_blank_pkuseg())
        with _drop_stderr_lines(_MSGPACK_NOTICE):
            tokenizer.initialize(pkuseg_model=str(model_dir))
    except ModelError:
        raise
    except Exception as exc:  # pickle, numpy and file errors all mean a bad model
        raise ModelError(
            f"cannot load pkuseg model from {model_dir}: {exc}; "
            "run `redact setup` (or `make setup`) to reinstall it"
        ) from exc
    if tokenizer.pkuseg_seg is None:
        raise ModelError(f"pkuseg model in {model_dir} did not initialise")
    return tokenizer.pkuseg_seg


def _blank_pkuseg() -> Language:
    """Create a blank zh pipeline; a character-segmentation fallback is an error."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"\[W103\]")
        try:
            nlp = spacy.blank("zh", config=_CONFIG)
        except (UserWarning, ConfigValidationError) as exc:
            raise ModelError(f"spaCy rejected the pkuseg segmenter: {exc}") from exc
    _pkuseg_tokenizer(nlp)
    return nlp


def _pkuseg_tokenizer(nlp: Language) -> ChineseTokenizer:
    """Return the pipeline's tokenizer, checking it really uses pkuseg."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, ChineseTokenizer) or tokenizer.segmenter != "pkuseg":
        segmenter = getattr(tokenizer, "segmenter", type(tokenizer).__name__)
        raise ModelError(f"expected the pkuseg segmenter, spaCy configured {segmenter!r}")
    return tokenizer


@contextlib.contextmanager
def _drop_stderr_lines(needle: str) -> Iterator[None]:
    """Capture stderr, then pass on every line that does not contain ``needle``."""
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stderr(buffer):
            yield
    finally:
        lines = buffer.getvalue().splitlines(keepends=True)
        sys.stderr.writelines(line for line in lines if needle not in line)
