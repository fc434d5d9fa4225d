"""Which files a run reads and where each output goes; refuses anything that could lose data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redact.documents import is_supported
from redact.errors import UsageError


@dataclass(frozen=True)
class Job:
    """One input file and the path its masked version is written to (relative to OUTDIR)."""

    source: Path
    relative: Path


def collect_jobs(paths: list[Path]) -> list[Job]:
    """Files given directly, and supported files found recursively under directories, sorted."""
    jobs: list[Job] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        if path.is_dir():
            jobs.extend(Job(f, f.relative_to(path)) for f in sorted(path.rglob("*"))
                        if f.is_file() and is_supported(f) and not _hidden(f.relative_to(path)))
        else:
            jobs.append(Job(path, Path(path.name)))
    seen: dict[Path, Path] = {}
    for job in jobs:
        if job.relative in seen:
            raise UsageError(f"{job.source} and {seen[job.relative]} would both be written to {job.relative}")
        seen[job.relative] = job.source
    if not jobs:
        raise UsageError("no supported input files found")
    return jobs


def check_output_dir(outdir: Path, inputs: list[Path], jobs: list[Job]) -> None:
    """OUTDIR must not be an input, lie inside an input tree, or overwrite any input file."""
    out = outdir.resolve()
    for path in inputs:
        root = path.resolve()
        if path.is_dir() and (out == root or root in out.parents):
            raise UsageError(f"output directory {outdir} is inside the input tree {path}")
    sources = {job.source.resolve() for job in jobs}
    for job in jobs:
        if (out / job.relative).resolve() in sources:
            raise UsageError(f"writing {outdir / job.relative} would overwrite the input {job.source}")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
