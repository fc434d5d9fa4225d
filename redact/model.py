"""Install and locate the pkuseg segmentation model.

The default pkuseg model ships inside the ``pkuseg`` source distribution.
``install_model`` fetches that sdist with the ordinary pip client (pinned by
version and sha256), extracts only ``pkuseg/models/default/*`` into a cache
directory, and slims ``features.pkl`` for faster loading.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from redact.errors import ModelError

PKUSEG_VERSION = "0.0.25"
SDIST_NAME = f"pkuseg-{PKUSEG_VERSION}.tar.gz"
SDIST_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
MODEL_PREFIX = f"pkuseg-{PKUSEG_VERSION}/pkuseg/models/default/"
REQUIRED_FILES = ("features.pkl", "weights.npz")
MARKER_NAME = "redact-model.json"
# Bump when the on-disk layout produced by install_model changes.
FORMAT_VERSION = 1

Progress = Callable[[str], None]


def model_cache_dir() -> Path:
    """Return the model directory: $REDACT_MODEL_DIR, else the XDG cache."""
    override = os.environ.get("REDACT_MODEL_DIR")
    if override:
        return Path(override).expanduser().absolute()
    return user_cache_root() / f"pkuseg-{PKUSEG_VERSION}"


def user_cache_root() -> Path:
    """`redact` in `$XDG_CACHE_HOME` (when absolute), else in `~/.cache`."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "redact"


def find_model(cache_dir: Path | None = None) -> Path:
    """Return the installed model directory or raise ModelError naming the fix."""
    directory = Path(cache_dir) if cache_dir is not None else model_cache_dir()
    if not _is_installed(directory):
        raise ModelError(
            f"pkuseg model not found in {directory}; "
            "run `redact setup` (or `make setup`) to install it"
        )
    return directory


def install_model(cache_dir: Path | None = None, progress: Progress | None = None) -> Path:
    """Download, verify and unpack the model into ``cache_dir``; idempotent."""
    target = Path(cache_dir) if cache_dir is not None else model_cache_dir()
    say = progress or (lambda _message: None)
    if _is_installed(target):
        say(f"pkuseg model already installed in {target}")
        return target
    _check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".redact-model-", dir=target.parent) as tmp:
        work = Path(tmp)
        say(f"downloading pkuseg=={PKUSEG_VERSION} with pip")
        sdist = _download_sdist(work / "download")
        say("verifying sha256")
        _verify_sha256(sdist, SDIST_SHA256)
        say("extracting model")
        staging = work / "model"
        _extract_model(sdist, staging)
        sdist.unlink()
        say("slimming features.pkl for fast loading")
        _slim_features(staging / "features.pkl")
        _write_marker(staging)
        _move_into_place(staging, target, work / "old")
    say(f"pkuseg model installed in {target}")
    return target


def _is_installed(directory: Path) -> bool:
    """True when ``directory`` holds a complete model written by install_model."""
    marker = _read_marker(directory)
    if marker is None:
        return False
    if marker.get("sha256") != SDIST_SHA256 or marker.get("format") != FORMAT_VERSION:
        return False
    sizes = marker.get("files", {})
    for name in REQUIRED_FILES:
        path = directory / name
        if not path.is_file() or path.stat().st_size != sizes.get(name):
            return False
    return True


def _read_marker(directory: Path) -> dict | None:
    """Parse the marker file, or return None when absent or unreadable."""
    try:
        data = json.loads((directory / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_marker(directory: Path) -> None:
    """Record the source checksum, format and file sizes of a finished model."""
    marker = {
        "package": f"pkuseg=={PKUSEG_VERSION}",
        "sha256": SDIST_SHA256,
        "format": FORMAT_VERSION,
        "files": {name: (directory / name).stat().st_size for name in REQUIRED_FILES},
    }
    (directory / MARKER_NAME).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")


def _download_sdist(dest: Path) -> Path:
    """Fetch the pinned sdist with pip into ``dest`` and return its path.

    The hash is passed to pip too, so pip rejects a tampered archive before it
    runs the sdist's setup.py to prepare metadata.
    """
    missing = _missing_build_tools()
    if missing:
        raise ModelError(
            f"pip needs {' and '.join(missing)} in this environment to prepare the pkuseg sdist; "
            f"run `{sys.executable} -m pip install 'setuptools>=70.1' numpy` first"
        )
    dest.mkdir(parents=True, exist_ok=True)
    requirements = dest.parent / "requirements.txt"
    requirements.write_text(
        f"pkuseg=={PKUSEG_VERSION} --hash=sha256:{SDIST_SHA256}\n", encoding="utf-8"
    )
    command = [
        sys.executable, "-m", "pip", "download",
        "--no-deps", "--no-binary", ":all:", "--no-build-isolation",
        "--disable-pip-version-check", "--quiet",
        "-r", str(requirements), "-d", str(dest),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    sdist = dest / SDIST_NAME
    if result.returncode != 0 or not sdist.is_file():
        detail = _error_summary(result.stderr + result.stdout) or "no output"
        raise ModelError(
            f"pip could not download pkuseg=={PKUSEG_VERSION} "
            f"(exit {result.returncode}): {detail}"
        )
    return sdist


def _missing_build_tools() -> list[str]:
    """Name what pip lacks to prepare the sdist's metadata without isolation."""
    missing = []
    # setuptools >= 70.1 ships bdist_wheel itself; older ones need the wheel package
    setuptools = _version("setuptools")
    if not (setuptools >= (70, 1) or (setuptools and _version("wheel"))):
        missing.append("setuptools>=70.1 (or setuptools and wheel)")
    if not _version("numpy"):  # the sdist's setup.py imports numpy
        missing.append("numpy")
    return missing


def _version(distribution: str) -> tuple[int, ...]:
    """Leading numeric release of an installed distribution; () when absent."""
    try:
        release = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ()
    numbers = []
    for part in release.split(".")[:2]:
        digits = "".join(itertools.takewhile(str.isdigit, part))
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers) or (0,)


def _error_summary(output: str) -> str:
    """Condense pip output to its error lines (or its last line), on one line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error:")]
    chosen = list(dict.fromkeys(errors))[:3] or lines[-1:]
    return "; ".join(chosen)


def _verify_sha256(path: Path, expected: str) -> None:
    """Raise ModelError unless the file's sha256 equals ``expected``."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    actual = digest.hexdigest()
    if actual != expected:
        raise ModelError(f"checksum mismatch for {path.name}: expected {expected}, got {actual}")


def _extract_model(archive: Path, dest: Path) -> None:
    """Copy the regular files under MODEL_PREFIX into ``dest``, nothing else."""
    dest.mkdir(parents=True)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                name = _model_member_name(member)
                if name is not None:
                    _copy_member(tar, member, dest / name)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ModelError(f"cannot extract {archive.name}: {exc}") from exc
    missing = [name for name in REQUIRED_FILES if not (dest / name).is_file()]
    if missing:
        raise ModelError(f"{archive.name} lacks {', '.join(missing)} under {MODEL_PREFIX}")


def _model_member_name(member: tarfile.TarInfo) -> str | None:
    """Return the file name to extract for a model member, None to skip it.

    Raises ModelError for any member whose name could escape the target.
    """
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or "\\" in member.name:
        raise ModelError(f"unsafe path in model archive: {member.name!r}")
    if not member.name.startswith(MODEL_PREFIX):
        return None
    name = member.name[len(MODEL_PREFIX) :]
    if not name or member.isdir():
        return None
    if "/" in name or not member.isfile():
        raise ModelError(f"unexpected entry in model archive: {member.name!r}")
    return name


def _copy_member(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path) -> None:
    """Write one regular tar member's bytes to ``path`` (no tar metadata)."""
    source = tar.extractfile(member)
    if source is None:
        raise ModelError(f"cannot read {member.name!r} from model archive")
    with source, path.open("xb") as target:
        shutil.copyfileobj(source, target, 1 << 20)


def _slim_features(path: Path) -> None:
    """Rewrite features.pkl without the bigram list.

    pkuseg only reads ``bigram`` to generate training features; segmentation
    looks bigram features up in ``feature_to_idx``. Dropping the 1.1 M strings
    cuts load time and about 150 MB of RSS without changing any output.
    """
    with path.open("rb") as handle:
        features = pickle.load(handle)  # the archive's checksum was verified
    if not isinstance(features, dict) or "feature_to_idx" not in features:
        raise ModelError(f"{path.name} has an unexpected layout")
    features["bigram"] = []
    slim = path.with_suffix(".tmp")
    with slim.open("wb") as handle:
        pickle.dump(features, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(slim, path)


def _check_replaceable(target: Path) -> None:
    """Refuse to overwrite a non-empty directory that is not a model install."""
    if not target.exists():
        return
    if not target.is_dir():
        raise ModelError(f"{target} exists and is not a directory")
    if any(target.iterdir()) and not (target / MARKER_NAME).exists():
        raise ModelError(
            f"{target} is not empty and holds no redact model; "
            "remove it or set REDACT_MODEL_DIR to another directory"
        )


def _move_into_place(staging: Path, target: Path, graveyard: Path) -> None:
    """Rename ``staging`` to ``target``, setting aside a stale install first."""
    if target.exists():
        target.rename(graveyard)
    try:
        staging.rename(target)
    except OSError as exc:
        if not _is_installed(target):  # a concurrent install may have won
            raise ModelError(f"cannot install model into {target}: {exc}") from exc
