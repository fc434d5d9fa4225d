"""The progress bar of `redact run` on stderr: files done/total, characters per second and ETA.

Only this module imports rich, and only when a bar is actually shown (stderr is a terminal
and `--quiet` is off); otherwise the batch reports to a `NullProgress` that does nothing.
"""

from __future__ import annotations

import sys
from typing import IO, Any, Protocol


class BatchProgress(Protocol):
    """What `run_batch` reports while it works."""

    def phase(self, description: str, files: int, size: int) -> None:
        """A new stage over `files` files of `size` bytes in all (the ETA is by bytes)."""

    def advance(self, name: str, chars: int, size: int) -> None:
        """One file of the current stage is done: its name, characters and bytes."""

    def close(self) -> None:
        """Stop drawing (the last state stays on screen)."""


class NullProgress:
    """Reports nothing (quiet runs, stderr not a terminal)."""

    def phase(self, description: str, files: int, size: int) -> None:
        pass

    def advance(self, name: str, chars: int, size: int) -> None:
        pass

    def close(self) -> None:
        pass


class RichProgress:
    """A rich progress bar: `masking ━━━━╸━━ 12/40 files · 85,000 chars/s · 0:00:31 · name`."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
        from rich.text import Text

        class Files(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(f"{task.fields['files']}/{task.fields['total_files']} files")

        class CharRate(ProgressColumn):
            def render(self, task: Any) -> Text:
                elapsed = task.elapsed or 0.0
                rate = task.fields["chars"] / elapsed if elapsed > 0 else 0.0
                return Text(f"{rate:,.0f} chars/s")

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), Files(), CharRate(),
                                  TimeRemainingColumn(), TextColumn("{task.fields[name]}"),
                                  console=Console(file=stream), transient=False)
        self._task: Any = None
        self._closed = False
        self._progress.start()

    def phase(self, description: str, files: int, size: int) -> None:
        if self._task is not None:
            self._progress.stop_task(self._task)
        self._task = self._progress.add_task(description, total=max(size, 1), files=0, total_files=files,
                                             chars=0, name="")

    def advance(self, name: str, chars: int, size: int) -> None:
        task = next(t for t in self._progress.tasks if t.id == self._task)
        self._progress.update(self._task, advance=size, files=task.fields["files"] + 1,
                              chars=task.fields["chars"] + chars, name=name[-40:])

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._progress.stop()


def stderr_progress(enabled: bool = True) -> BatchProgress:
    """A progress bar on stderr when enabled and stderr is a terminal, else a silent one."""
    stream = sys.stderr
    if enabled and hasattr(stream, "isatty") and stream.isatty():
        return RichProgress(stream)
    return NullProgress()
