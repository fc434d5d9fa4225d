"""A disk cache for data derived from big input files, so that start-up stays fast.

Building the gazetteer entries, the county index of 655k villages or the dictionary lookups
from their text files takes seconds; reading them back from a `marshal` file takes
milliseconds, and memory-mapping numpy arrays from an array file (`arrays`) next to nothing.
Each cached value is one file in `$REDACT_CACHE_DIR` (default: `~/.cache/redact/derived`,
beside the model) named by a digest of everything it was derived from: the input files'
contents, the parameters, and `CACHE_FORMAT`. A changed lexicon simply misses and is rebuilt;
stale files are never read. Any problem with the cache (unwritable,
corrupt, `REDACT_NO_CACHE=1`) falls back to computing the value, with the same result.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from redact.documents.base import write_atomically
from redact.model import user_cache_root

# Bump when the code that derives any cached value changes what it produces.
CACHE_FORMAT = 1
# Values that take less than this to build are not worth a file (small test rule sets).
MIN_BUILD_SECONDS = 0.05
T = TypeVar("T")


def enabled() -> bool:
    return os.environ.get("REDACT_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """`$REDACT_CACHE_DIR`, else `redact/derived` in the XDG cache directory."""
    override = os.environ.get("REDACT_CACHE_DIR")
    if override:
        return Path(override).expanduser().absolute()
    return user_cache_root() / "derived"


def file_digest(path: Path | str) -> str:
    """sha256 of a file's contents, memoized per path, size, modification time and inode (in
    this process, and on disk in `digests.marshal` so that big lexicons are not hashed on every
    start)."""
    stat = os.stat(path)
    return _file_digest(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@lru_cache(maxsize=256)
def _file_digest(path: str, size: int, mtime_ns: int, inode: int) -> str:
    known = _known_digests()
    stamp = (size, mtime_ns, inode)
    record = known.get(path)
    if record is not None and tuple(record[:3]) == stamp:
        return record[3]
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if enabled() and size >= DIGEST_MEMO_SIZE:
        known[path] = (*stamp, digest)
        for stale in [p for p in known if not os.path.exists(p)]:
            del known[stale]
        store(cache_dir() / "digests.marshal", marshal.dumps(known))
    return digest


STALE_DAYS = 7
DAY = 86400


def mark_used(path: Path) -> None:
    """Mark a cache file as used (its modification time), at most once a day."""
    try:
        if time.time() - path.stat().st_mtime > DAY:
            os.utime(path)
    except OSError:
        pass


def _prune(path: Path) -> None:
    """Remove every other cache file unused for STALE_DAYS: earlier versions of `path`'s kind,
    and kinds an older redact wrote that this one no longer reads."""
    cutoff = time.time() - STALE_DAYS * DAY
    for other in path.parent.iterdir():
        try:
            if other != path and other.is_file() and other.stat().st_mtime < cutoff:
                other.unlink()
        except OSError:
            pass


# Files smaller than this are hashed every time (cheaper than remembering them).
DIGEST_MEMO_SIZE = 256 * 1024


@lru_cache(maxsize=1)
def _known_digests() -> dict[str, tuple[int, int, int, str]]:
    if not enabled():
        return {}
    try:
        known = marshal.loads((cache_dir() / "digests.marshal").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return known if isinstance(known, dict) else {}


def key(kind: str, files: Iterable[Path | str | None] = (), params: Iterable[Any] = ()) -> str:
    """The cache key of a value derived from `files` (by content) and `params` (by repr)."""
    digest = hashlib.sha256(f"{kind}\0{CACHE_FORMAT}\0".encode())
    for path in files:
        digest.update(f"file\0{file_digest(path) if path else '-'}\n".encode())
    for param in params:
        digest.update(f"param\0{param!r}\n".encode())
    return f"{kind}-{digest.hexdigest()[:32]}"


def path_for(name: str) -> Path:
    return cache_dir() / f"{name}.marshal"


def cached(name: str, build: Callable[[], T], dump: Callable[[T], Any] = lambda v: v,
           load: Callable[[Any], T] = lambda v: v) -> T:
    """The value cached under `name` (a `key(...)`), else `build()`, stored for next time.

    `dump` turns the value into marshal-able data (dicts, lists, tuples, str, numbers, bytes),
    `load` turns that data back into the value.
    """
    if not enabled():
        return build()
    path = path_for(name)
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    else:
        mark_used(path)
        return load(data)
    started = time.perf_counter()
    value = build()
    if time.perf_counter() - started >= MIN_BUILD_SECONDS:
        store(path, marshal.dumps(dump(value)))
    return value


def cached_object(name: str, build: Callable[[], T]) -> T:
    """Like `cached`, for objects marshal cannot hold (stored with pickle: only ever read from
    the user's own cache directory, like the code that wrote it)."""
    import pickle

    if not enabled():
        return build()
    path = cache_dir() / f"{name}.pickle"
    try:
        value = pickle.loads(path.read_bytes())
        mark_used(path)
        return value
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    started = time.perf_counter()
    value = build()
    if time.perf_counter() - started >= MIN_BUILD_SECONDS / 5:
        store(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def store(path: Path, data: bytes) -> bool:
    """Write `data` to `path` atomically; False (and nothing written) when that is impossible.

    Files of the same kind (a lexicon's previous version …) unused for STALE_DAYS are removed.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _prune(path)
        write_atomically(path, data)
    except OSError:
        return False
    return True


class ShardedFile:
    """A file of many marshal-ed values ("shards") under string keys, each read only when asked.

    Layout: MAGIC, the header length (8 bytes, little-endian), the marshal-ed header
    `{key: (offset, length)}`, then the shards. The file is memory-mapped, so several processes
    reading it share the pages.
    """

    MAGIC = b"RDXSHRD1"

    def __init__(self, path: Path) -> None:
        import mmap

        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if self._map[:len(self.MAGIC)] != self.MAGIC:
            raise ValueError(f"{path} is not a shard file")
        start = len(self.MAGIC) + 8
        size = int.from_bytes(self._map[len(self.MAGIC):start], "little")
        self._index: dict[str, tuple[int, int]] = marshal.loads(self._map[start:start + size])
        self._base = start + size

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def keys(self) -> Iterable[str]:
        return self._index.keys()

    def get(self, key: str, default: Any = None) -> Any:
        where = self._index.get(key)
        if where is None:
            return default
        offset, length = where
        return marshal.loads(self._map[self._base + offset:self._base + offset + length])

    @classmethod
    def dumps(cls, shards: dict[str, Any]) -> bytes:
        blobs, index, offset = [], {}, 0
        for shard_key in sorted(shards):
            blob = marshal.dumps(shards[shard_key])
            index[shard_key] = (offset, len(blob))
            blobs.append(blob)
            offset += len(blob)
        header = marshal.dumps(index)
        return b"".join([cls.MAGIC, len(header).to_bytes(8, "little"), header, *blobs])


def sharded(name: str, build: Callable[[], dict[str, Any]]) -> ShardedFile | None:
    """The shard file cached under `name`, built from `build()` when missing; None when the
    cache is disabled or cannot be written (the caller then works from `build()` in memory)."""
    if not enabled():
        return None
    path = cache_dir() / f"{name}.shards"
    try:
        shards = ShardedFile(path)
        mark_used(path)
        return shards
    except (OSError, ValueError, EOFError, TypeError):
        pass
    started = time.perf_counter()
    shards = build()
    if time.perf_counter() - started < MIN_BUILD_SECONDS or not store(path, ShardedFile.dumps(shards)):
        return None
    try:
        return ShardedFile(path)
    except (OSError, ValueError, EOFError, TypeError):
        return None


class ArrayFile:
    """Named numpy arrays in one file, memory-mapped read-only: every process mapping the file
    shares its pages, and nothing is read until used.

    Layout: MAGIC, the header length (8 bytes, little-endian), the marshal-ed header
    `{name: (dtype, shape, offset)}`, then the arrays, each at an offset (from the end of the
    header) that is a multiple of ALIGN.
    """

    MAGIC = b"RDXARRS1"
    ALIGN = 64

    @classmethod
    def load(cls, path: Path) -> dict[str, Any]:
        import mmap

        import numpy as np

        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if mapped[:len(cls.MAGIC)] != cls.MAGIC:
            raise ValueError(f"{path} is not an array file")
        start = len(cls.MAGIC) + 8
        size = int.from_bytes(mapped[len(cls.MAGIC):start], "little")
        header = marshal.loads(mapped[start:start + size])
        if not isinstance(header, dict):
            raise ValueError(f"{path} is not an array file")
        base = start + size
        arrays = {}
        for name, (dtype, shape, offset) in header.items():
            count = 1
            for length in shape:
                count *= length
            arrays[name] = np.frombuffer(mapped, np.dtype(dtype), count, base + offset).reshape(shape)
        return arrays

    @classmethod
    def dumps(cls, arrays: dict[str, Any]) -> bytes:
        import numpy as np

        header, blobs, offset = {}, [], 0
        for name, array in arrays.items():
            array = np.ascontiguousarray(array)
            if array.dtype.hasobject:
                raise ValueError(f"array {name} holds Python objects")
            header[name] = (array.dtype.str, array.shape, offset)
            blob = array.tobytes()
            padding = -len(blob) % cls.ALIGN
            blobs += [blob, bytes(padding)]
            offset += len(blob) + padding
        head = marshal.dumps(header)
        head += bytes(-(len(cls.MAGIC) + 8 + len(head)) % cls.ALIGN)  # the arrays start aligned too
        return b"".join([cls.MAGIC, len(head).to_bytes(8, "little"), head, *blobs])


def arrays(name: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """The numpy arrays cached under `name`, memory-mapped read-only from their array file, built
    from `build()` and stored when missing; None when the cache is disabled or cannot be written
    (the caller then does without)."""
    if not enabled():
        return None
    path = cache_dir() / f"{name}.arrays"
    try:
        value = ArrayFile.load(path)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    else:
        mark_used(path)
        return value
    if not store(path, ArrayFile.dumps(build())):
        return None
    try:
        return ArrayFile.load(path)
    except (OSError, ValueError, EOFError, TypeError):
        return None
