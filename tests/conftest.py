"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def pkuseg_model_dir() -> Path:
    """The real pkuseg model, installed once into the model cache (idempotent)."""
    from redact.model import install_model

    return install_model()
