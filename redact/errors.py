"""Error types raised by the library; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from pathlib import Path


class RedactError(Exception):
    """Base class for every error a user can act on."""


class InputError(RedactError):
    """An input file cannot be read, decoded or written safely."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ModelError(RedactError):
    """The segmentation model is missing, corrupt or cannot be loaded."""


class RuleError(RedactError):
    """One problem in a YAML rule file."""

    def __init__(self, path: Path | str, rule_id: str | None, reason: str) -> None:
        self.path = Path(path)
        self.rule_id = rule_id
        self.reason = reason
        where = f"{path}" + (f" [{rule_id}]" if rule_id else "")
        super().__init__(f"{where}: {reason}")


class RuleErrors(RedactError):
    """Every problem found while loading a rule set, reported at once."""

    def __init__(self, errors: list[RuleError]) -> None:
        self.errors = errors
        lines = "; ".join(str(e) for e in errors)
        super().__init__(f"{len(errors)} rule error(s): {lines}")


class UsageError(RedactError):
    """The command line asks for something impossible (e.g. output inside an input tree)."""
