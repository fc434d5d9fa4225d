"""Command line: `redact run`, `redact scan`, `redact explain`, `redact setup`.

Exit codes: 0 ok (with `--check`: nothing to mask), 1 a file failed (or `--check` found
something), 2 usage or configuration error. Errors are one line on stderr, no traceback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

import click

from redact import __version__
from redact.errors import RedactError, RuleErrors

EXIT_FAILED_FILE = 1
EXIT_USAGE = 2


def fail_cleanly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a one-line message and exit status 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RuleErrors as exc:
            for error in exc.errors:
                click.echo(f"redact: rule error: {error}", err=True)
            raise SystemExit(EXIT_USAGE) from None
        except RedactError as exc:
            click.echo(f"redact: error: {exc}", err=True)
            raise SystemExit(EXIT_USAGE) from None

    return wrapper


profile_option = click.option("-p", "--profile", default="upper", show_default=True,
                              help="Masking profile: upper (XX), lower (x per digit), auto, or one in RULES/profiles.")
rules_option = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path),
                            default=None, help="Rules directory (default: the rules shipped with redact).")
paths_argument = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
decisions_option = click.option("--decisions", "decisions", type=click.Path(dir_okay=False, path_type=Path),
                                default=None, help="Review decisions file (default: RULES/local/decisions.yaml, "
                                                   "applied when it exists; see `redact review`).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redact")
def main() -> None:
    """Find and mask place names, people, organisations and figures in Chinese documents.

    \b
    Examples:
      redact setup                              # once: install the segmentation model
      redact run samples/ -o out/               # mask every document, write out/redact-report.json
      redact run report.txt -o out/ -p lower    # x-per-digit style
      redact scan samples/                      # show what would be masked, write nothing
      redact explain "获市委温书记批示肯定"          # every candidate and the rule behind it
      redact review out/redact-report.json      # unmask / mask what the report shows, then run again
    """


@main.command()
@fail_cleanly
def setup() -> None:
    """Install the pkuseg segmentation model and prepare the start-up caches (once; then
    everything runs offline)."""
    from redact.model import install_model

    path = install_model(progress=lambda message: click.echo(message, err=True))
    click.echo(f"pkuseg model ready in {path}")
    from redact import cache
    from redact.batch import prepare_caches

    if not cache.enabled():
        click.echo("start-up caches are off (REDACT_NO_CACHE); each run derives what it needs", err=True)
        return
    click.echo("preparing the start-up caches (once; up to a minute on a new machine)", err=True)
    started = time.perf_counter()
    prepare_caches()
    click.echo(f"start-up caches ready in {cache.cache_dir()} ({time.perf_counter() - started:.0f} s)")


@main.command()
@paths_argument
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the masked files (same relative paths and names).")
@profile_option
@rules_option
@click.option("--report", "report_name", default="redact-report", show_default=True,
              help="Base name of the report files written in OUTDIR.")
@click.option("--check", is_flag=True, help="Exit 1 when anything was masked (a pre-share gate).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=0),
              help="Worker processes, each loading the model once (0: one per CPU).")
@click.option("--resume", is_flag=True,
              help="Skip inputs whose output in OUTDIR is up to date (same content, rules and settings).")
@decisions_option
@fail_cleanly
def run(paths: tuple[Path, ...], outdir: Path, profile: str, rules_dir: Path | None, report_name: str,
        check: bool, quiet: bool, jobs: int, resume: bool, decisions: Path | None) -> None:
    """Mask PATHS (files or directories, recursively) into OUTDIR and write the report there.

    An entity masked in one file is masked in every file of the run. A file that fails is
    reported and does not stop the others (exit status 1).

    \b
    Examples:
      redact run samples/ -o out/
      redact run a.txt b.txt -o masked/ -p lower --report review
      redact run corpus/ -o out/ --jobs 4 --resume   # 4 workers; redo only what changed
    """
    from redact.batch import run_batch
    from redact.progress import stderr_progress

    progress = stderr_progress(enabled=not quiet)
    try:
        summary = run_batch(list(paths), outdir, profile, rules_dir, report_name, progress=progress,
                            decisions=decisions, jobs=jobs, resume=resume)
    finally:
        progress.close()
    for failure in summary.failures:
        click.echo(f"redact: error: {failure.source}: {failure.error}", err=True)
    if not quiet:
        click.echo(summary.describe(), err=True)
    if summary.failed:
        raise SystemExit(EXIT_FAILED_FILE)
    if check and summary.masked_count:
        raise SystemExit(EXIT_FAILED_FILE)


@main.command()
@paths_argument
@profile_option
@rules_option
@decisions_option
@fail_cleanly
def scan(paths: tuple[Path, ...], profile: str, rules_dir: Path | None, decisions: Path | None) -> None:
    """Print what would be masked in PATHS as a table on stdout; write nothing.

    \b
    Example:
      redact scan samples/doc1.txt -p upper
    """
    from redact.batch import scan_batch

    failed = False
    for line in scan_batch(list(paths), profile, rules_dir, decisions):
        if line.startswith("redact: error:"):
            click.echo(line, err=True)
            failed = True
        else:
            click.echo(line)
    if failed:
        raise SystemExit(EXIT_FAILED_FILE)


@main.command()
@click.argument("text")
@profile_option
@rules_option
@decisions_option
@fail_cleanly
def explain(text: str, profile: str, rules_dir: Path | None, decisions: Path | None) -> None:
    """Show every candidate in TEXT, the rule that found it, its score and the decision.

    \b
    Example:
      redact explain "目前沙溪镇农民集中居住区建设项目"
    """
    from redact.batch import explain_text

    for line in explain_text(text, profile, rules_dir, decisions):
        click.echo(line)


@main.command()
@click.argument("report", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@decisions_option
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Rules directory the decisions are checked against (default: the run's, from REPORT).")
@fail_cleanly
def review(report: Path, decisions: Path | None, rules_dir: Path | None) -> None:
    """Walk the masked entities and near misses of REPORT and record decisions.

    For each: [k]eep masked, [u]nmask (allow), [m]ask a near miss (with its label), [s]kip,
    [a]dd a missed term, [q]uit (saving what was decided). Decisions go to a YAML rule file
    (default RULES/local/decisions.yaml, RULES being the run's rules directory), never to the
    shipped rules; the next `redact run` applies them and its report names the decision.

    \b
    Example:
      redact run samples/ -o out/ && redact review out/redact-report.json && redact run samples/ -o out/
    """
    from redact.review import review_report

    def ask(question: str, choices: Sequence[str] | None, default: str | None) -> str:
        kind = click.Choice(list(choices), case_sensitive=False) if choices else str
        return str(click.prompt(question, type=kind, default=default, show_choices=False))

    outcome = review_report(report, ask, click.echo, decisions_path=decisions, rules_dir=rules_dir)
    click.echo(outcome.describe())
    if outcome.written:
        click.echo("Run `redact run` again to apply them.")


if __name__ == "__main__":
    main()
