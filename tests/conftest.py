"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def pkuseg_model_dir() -> Path:
    """The real pkuseg model, installed once into the model cache (idempotent)."""
    from redact.model import install_model

    return install_model()


@pytest.fixture(scope="session")
def redactor_factory(pkuseg_model_dir: Path):
    """Build (and reuse) a Redactor per profile with the shipped rules."""
    from redact.batch import build_redactor

    cache: dict[str, object] = {}

    def make(profile: str = "upper"):
        if profile not in cache:
            cache[profile] = build_redactor(None, profile)
        return cache[profile]

    return make


@pytest.fixture(scope="session")
def person():
    """The shipped person rule's recognizer (rules/people.yaml), its files resolved."""
    import yaml

    from redact.recognizers.person import PersonRecognizer
    from redact.rules import PersonRule

    rules = Path(__file__).resolve().parents[1] / "rules"
    entry = yaml.safe_load((rules / "people.yaml").read_text(encoding="utf-8"))["rules"][0]
    for field in [key for key in entry if key.endswith("_file")]:
        entry[field] = str(rules / entry[field])
    return PersonRecognizer(PersonRule.model_validate(entry))


@pytest.fixture(scope="session")
def person_names(person):
    """The names the shipped person rule finds in hand-made tokens, reaching the threshold, in order."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from redact.recognizers.base import TokenBounds

    def names(words: list[str]) -> list[str]:
        text = "".join(words)
        bounds = TokenBounds(Doc(Vocab(), words=words, spaces=[False] * len(words)))
        return sorted((text[c.start:c.end] for c in person.candidates(text, bounds) if c.score >= 0.5),
                      key=text.index)
    return names


DATA = Path(__file__).parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite the golden expected files")
