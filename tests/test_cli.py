"""CLI behaviour: exit codes, one-line errors, nothing written on usage errors, outputs in place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from redact.cli import main

DEVSET = Path(__file__).parent / "data" / "devset"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runner(pkuseg_model_dir: Path) -> CliRunner:
    return CliRunner()


def one_line_error(result) -> str:
    """The error lines on stderr (one per problem), checked to hold no traceback."""
    assert "Traceback" not in result.output + result.stderr
    return "\n".join(line for line in result.stderr.splitlines() if line.startswith("redact: error:"))


def test_help_has_examples(runner: CliRunner) -> None:
    assert "Examples:" in runner.invoke(main, ["--help"]).output
    assert "redact run samples/ -o out/" in runner.invoke(main, ["run", "--help"]).output


def test_run_masks_into_outdir_with_report(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in" / "sub"
    source.mkdir(parents=True)
    original = (DEVSET / "doc1_original.txt").read_bytes()
    (source / "doc1.txt").write_bytes(original)
    result = runner.invoke(main, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-p", "upper"])
    assert result.exit_code == 0, result.output
    masked = (tmp_path / "out" / "sub" / "doc1.txt").read_text(encoding="utf-8")
    assert "XX镇农民集中居住区" in masked and "获市委X书记批示" in masked
    assert (source / "doc1.txt").read_bytes() == original
    report = json.loads((tmp_path / "out" / "redact-report.json").read_text(encoding="utf-8"))
    document = report["documents"][0]
    assert document["counts"]["PLACE"] >= 5 and document["locality"]["path"].endswith("新昌县")
    assert (tmp_path / "out" / "redact-report.html").is_file()


def test_report_basename_option(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("目前沙溪镇农民集中居住区建设项目已开展远程异地评标。", encoding="utf-8")
    result = runner.invoke(main, ["run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o"), "--report", "review"])
    assert result.exit_code == 0
    assert (tmp_path / "o" / "review.json").is_file()


def test_check_exits_1_when_something_is_masked(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("获市委温书记批示肯定。", encoding="utf-8")
    (tmp_path / "clean.txt").write_text("全面推进政务服务改革。", encoding="utf-8")
    dirty = runner.invoke(main, ["run", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o1"), "--check", "-q"])
    clean = runner.invoke(main, ["run", str(tmp_path / "clean.txt"), "-o", str(tmp_path / "o2"), "--check", "-q"])
    assert (dirty.exit_code, clean.exit_code) == (1, 0)


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01binary\x00", "looks like a binary file"),
    (b"\xff\xfe\xfa\xfb\xfc" * 3, "cannot decode as UTF-8 or GB18030"),
])
def test_bad_input_is_reported_and_not_written(runner: CliRunner, tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "bad.txt").write_bytes(content)
    result = runner.invoke(main, ["run", str(tmp_path / "bad.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert message in one_line_error(result)
    assert not (tmp_path / "out" / "bad.txt").exists()


def test_gb18030_input_keeps_its_encoding(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "gb.txt").write_bytes("目前沙溪镇农民集中居住区建设项目。\r\n".encode("gb18030"))
    result = runner.invoke(main, ["run", str(tmp_path / "gb.txt"), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0
    assert (tmp_path / "out" / "gb.txt").read_bytes() == "目前XX镇农民集中居住区建设项目。\r\n".encode("gb18030")


@pytest.mark.parametrize(("arguments", "message"), [
    (["run", "{in}", "-o", "{in}/out"], "is inside the input tree"),
    (["run", "{in}", "-o", "{in}"], "is inside the input tree"),
    (["run", "{in}/missing.txt", "-o", "{tmp}/out"], "no such file or directory"),
    (["run", "{in}", "-o", "{tmp}/out", "-p", "nope"], "unknown profile 'nope'"),
    (["run", "{in}/a.doc", "-o", "{tmp}/out"], "unsupported format '.doc'"),
])
def test_usage_errors_exit_2_and_write_nothing(runner: CliRunner, tmp_path: Path, arguments: list[str],
                                               message: str) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("获市委温书记批示肯定。", encoding="utf-8")
    (source / "a.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    args = [a.format(**{"in": source, "tmp": tmp_path}) for a in arguments]
    result = runner.invoke(main, args)
    if "a.doc" in " ".join(args):
        assert result.exit_code == 1 and message in one_line_error(result)
        return
    assert result.exit_code == 2, result.output
    assert message in one_line_error(result)
    assert not (tmp_path / "out").exists() and not (source / "out").exists()


def test_bad_rules_report_every_error_at_once(runner: CliRunner, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    (rules / "profiles").mkdir(parents=True)
    (rules / "a.yaml").write_text("rules:\n  - {id: Bad_Id, kind: lexicon, label: PLACE, terms: [沙溪]}\n", encoding="utf-8")
    (rules / "b.yaml").write_text("rules:\n  - {id: ok, kind: lexicon, label: NOPE, colour: red}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("沙溪", encoding="utf-8")
    result = runner.invoke(main, ["scan", str(tmp_path / "a.txt"), "--rules", str(rules)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("redact: rule error:")]
    assert len(errors) == 3
    assert any("a.yaml [Bad_Id]: id:" in e for e in errors)
    assert any("b.yaml [ok]: colour: unknown key" in e for e in errors)


def test_scan_prints_a_table_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("获市委温书记批示肯定，目前沙溪镇农民集中居住区。", encoding="utf-8")
    result = runner.invoke(main, ["scan", str(tmp_path / "a.txt")])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0][:4] == ["file", "start", "end", "label"]
    assert {(r[3], r[4], r[5]) for r in rows[1:]} >= {("PERSON", "温", "X"), ("PLACE", "沙溪", "XX")}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_explain_shows_candidates_and_decisions(runner: CliRunner) -> None:
    result = runner.invoke(main, ["explain", "获市委温书记批示肯定"])
    assert result.exit_code == 0
    assert "person-title" in result.output and "MASK" in result.output
    assert "masked: 获市委X书记批示肯定" in result.output


def test_setup_prepares_the_start_up_caches(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(main, ["setup"])
    assert result.exit_code == 0, result.output
    assert "pkuseg model ready in" in result.stdout and "start-up caches ready in" in result.stdout
    monkeypatch.setenv("REDACT_NO_CACHE", "1")
    result = runner.invoke(main, ["setup"])
    assert result.exit_code == 0 and "start-up caches are off" in result.stderr
