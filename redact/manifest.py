"""What `redact run --resume` needs to know about earlier runs into the same OUTDIR.

`OUTDIR/.redact-manifest.json` records, for every output written, the sha256 of its input, a
fingerprint of the settings that produced it (every rule and lexicon file, the profile, the
redact version, the segmentation model and dictionary), a digest of the entities borrowed from
other files of the batch, the sha256 of the output, the entities the file itself contributed to
the batch, and its report entry. An input is up to date when all of these still hold.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from redact import __version__
from redact.documents import write_atomically
from redact.findings import Finding
from redact.rules import RuleSet

MANIFEST_NAME = ".redact-manifest.json"
MANIFEST_FORMAT = 1
_RULE_FILE_FIELDS = ("terms_file", "file", "stop_file", "surnames_file", "titles_file")


def sha256_file(path: Path) -> str | None:
    """Hex sha256 of a file's bytes; None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def rule_files(ruleset: RuleSet) -> list[Path]:
    """Every file that can change what the rules find: the rules directory and referenced files."""
    files = {p.resolve() for p in Path(ruleset.directory).rglob("*")
             if p.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                        for part in p.relative_to(ruleset.directory).parts)}
    for rule in ruleset.rules:
        for field in _RULE_FILE_FIELDS:
            value = getattr(rule, field, None)
            if value:
                files.add(Path(value).resolve())
        locality = getattr(rule, "locality", None)
        if locality is not None and locality.villages_file:
            files.add(Path(locality.villages_file).resolve())
    return sorted(files)


def settings_fingerprint(ruleset: RuleSet, profile: str) -> str:
    """A digest of everything besides the input that decides an output."""
    from redact import cache
    from redact.model import FORMAT_VERSION, SDIST_SHA256

    digest = hashlib.sha256()
    root = Path(ruleset.directory).resolve()
    for path in rule_files(ruleset):
        name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        digest.update(f"{name}\0{cache.file_digest(path)}\n".encode())
    for part in (f"profile={profile}", f"redact={__version__}", f"model={SDIST_SHA256}/{FORMAT_VERSION}",
                 f"jieba={_version('jieba')}", f"spacy-pkuseg={_version('spacy-pkuseg')}"):
        digest.update(f"{part}\n".encode())
    return digest.hexdigest()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def finding_record(finding: Finding) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(finding).items()}


def finding_from_record(record: Mapping[str, Any]) -> Finding:
    return Finding(**{key: tuple(value) if key == "evidence" else value for key, value in record.items()})


def entities_digest(entities: Iterable[Finding]) -> str:
    """A digest of the batch entities applied to one file (order-independent)."""
    records = sorted(json.dumps(finding_record(f), ensure_ascii=False, sort_keys=True) for f in entities)
    return hashlib.sha256("\n".join(records).encode("utf-8")).hexdigest()


class Manifest:
    """The records of one OUTDIR, keyed by the output's relative path."""

    def __init__(self, path: Path, files: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.files = files

    @classmethod
    def load(cls, outdir: Path) -> Manifest:
        """The manifest in `outdir`; empty when there is none or it cannot be read."""
        path = outdir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, {})
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("files"), dict):
            return cls(path, {})
        return cls(path, data["files"])

    def up_to_date(self, relative: str, input_sha256: str | None, settings: str, output: Path) -> bool:
        """Same input and settings as recorded, and the recorded output is still in place."""
        record = self.files.get(relative)
        return (input_sha256 is not None and isinstance(record, dict)
                and record.get("input_sha256") == input_sha256 and record.get("settings") == settings
                and output.is_file() and sha256_file(output) == record.get("output_sha256"))

    def entities(self, relative: str) -> tuple[Finding, ...]:
        """The entities the file contributed to its batch (its first pass's)."""
        return tuple(finding_from_record(r) for r in self.files[relative].get("entities", []))

    def first_spans(self, relative: str) -> tuple[tuple[int, int], ...]:
        """What the file's first pass masked (before entities of other files were added)."""
        return tuple((start, end) for start, end in self.files[relative].get("first_spans", []))

    def record(self, relative: str, *, input_sha256: str, settings: str, batch: str, output_sha256: str,
               entities: Iterable[Finding], first_spans: Iterable[tuple[int, int]], entry: Mapping[str, Any]) -> None:
        self.files[relative] = {
            "input_sha256": input_sha256, "settings": settings, "batch": batch, "output_sha256": output_sha256,
            "entities": [finding_record(f) for f in entities], "first_spans": [list(s) for s in first_spans],
            "entry": dict(entry),
        }

    def forget(self, relative: str) -> None:
        self.files.pop(relative, None)

    def save(self) -> None:
        data = {"format": MANIFEST_FORMAT, "tool": f"redact {__version__}",
                "files": dict(sorted(self.files.items()))}
        write_atomically(self.path, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
