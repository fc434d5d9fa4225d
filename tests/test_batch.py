"""`redact run` over batches: worker processes, failures, --resume and batch consistency."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from redact.batch import EntityIndex, Outcome, Summary, Workers, batch_entity_set, masked_from_entry, own_entities
from redact.cli import main
from redact.findings import Finding
from redact.inputs import Job
from redact.manifest import MANIFEST_NAME

DEVSET = Path(__file__).parent / "data" / "devset"
# 沙溪 is found in A as a township of the inferred locality (新昌); in B the locality is 椒江, where
# the bare short form 沙溪 is too ambiguous to mask on its own.
TEXT_A = "新昌县沙溪镇召开会议，回山镇、儒岙镇参加。\n"
TEXT_B = "台州市椒江区下陈街道、海门街道的代表赴沙溪考察学习。\n"


def place(text: str, needle: str, **extra) -> Finding:
    start = text.index(needle)
    return Finding(start, start + len(needle), needle, "PLACE", "division-gazetteer", "GazetteerRecognizer", 0.9,
                   "a township", **extra)


# ------------------------------------------------------------------ without the model

def test_batch_entities_come_from_the_first_file_in_source_order() -> None:
    first = place("沙溪镇", "沙溪")
    later = place("在沙溪", "沙溪")
    entities = batch_entity_set([("a.txt", (first,)), ("b.txt", (later, place("回山镇", "回山")))])
    assert set(entities) == {"沙溪", "回山"}
    assert entities["沙溪"].origin == "batch"
    assert entities["沙溪"].reason == "masked in another file of the batch: a.txt"
    assert entities["回山"].reason.endswith("b.txt")


def test_a_file_lends_its_entities_but_not_those_spelled_like_ordinary_words() -> None:
    text = "民生科技入驻永丰片区，沙溪镇、沙溪村"
    second = text.index("沙溪村")
    masked = (replace(place(text, "民生"), label="ORG"), place(text, "永丰"), place(text, "沙溪"),
              replace(place(text, "沙溪"), start=second, end=second + 2))
    assert [f.text for f in own_entities(masked)] == ["永丰", "沙溪"]  # 民生: 452 uses in the dictionary


def test_entity_index_finds_unmasked_mentions_of_other_files_entities_only() -> None:
    index = EntityIndex(batch_entity_set([("a.txt", (place("沙溪镇", "沙溪"), place("回山镇", "回山")))]))
    text = "赴沙溪考察，回山镇参加"
    assert [f.text for f in index.applicable(text, own=(), masked=[])] == ["回山", "沙溪"]
    assert [f.text for f in index.applicable(text, own=("回山",), masked=[])] == ["沙溪"]
    assert index.applicable(text, own=(), masked=[(1, 3), (6, 8)]) == ()
    assert EntityIndex({}).applicable(text, own=(), masked=[]) == ()


def test_masked_text_is_rebuilt_from_a_report_entry() -> None:
    entry = {"findings": [{"start": 0, "end": 2, "replacement": "XX"}, {"start": 5, "end": 6, "replacement": "X"}]}
    assert masked_from_entry("沙溪镇会议温书记", entry) == "XX镇会议X书记"


def test_summary_line() -> None:
    summary = Summary(3, (), 12, Path("out/redact-report.json"), skipped=2, chars=3000, seconds=1.5,
                      batch_mentions=4)
    assert summary.describe() == ("redact: 3 document(s) masked, 2 up to date (skipped), 12 span(s) "
                                  "(4 for batch consistency), 0 failed in 1.5 s (2,000 chars/s); "
                                  "report: out/redact-report.json")


class FakeExecutor:
    """Runs tasks at once; a file named crash*.txt kills the "worker" (BrokenProcessPool)."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.broken = False

    def submit(self, fn, index, job, outdir, batch):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future: Future = Future()
        self.log.append(job.source.name)
        if self.broken or job.source.name.startswith("crash"):
            self.broken = True
            future.set_exception(BrokenProcessPool("worker died"))
        else:
            future.set_result(Outcome(index, entry={"source": str(job.source)}, text="x"))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def test_a_dying_worker_fails_only_its_file(tmp_path: Path) -> None:
    log: list[str] = []

    class FakeWorkers(Workers):
        def _pool(self):
            return FakeExecutor(log)

    names = ["a.txt", "b.txt", "crash.txt", "c.txt", "d.txt", "e.txt"]
    tasks = [(i, Job(tmp_path / name, Path(name)), ()) for i, name in enumerate(names)]
    done: list[int] = []
    with FakeWorkers(2, None, "upper", None) as workers:
        outcomes = workers.run(tasks, tmp_path, lambda outcome: done.append(outcome.index))
    assert sorted(outcomes) == sorted(done) == list(range(6))
    assert [i for i, o in outcomes.items() if o.error] == [2]
    assert "worker process died" in outcomes[2].error
    assert log.count("crash.txt") == 2  # once with the others, once alone


# ------------------------------------------------------------------ with the model

@pytest.fixture(scope="module")
def runner(pkuseg_model_dir: Path) -> CliRunner:
    return CliRunner()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "doc1.txt").write_bytes((DEVSET / "doc1_original.txt").read_bytes())
    (source / "sub" / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (source / "sub" / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (source / "gb.txt").write_bytes("目前沙溪镇农民集中居住区建设项目。\r\n".encode("gb18030"))
    return source


def report_of(outdir: Path) -> dict:
    return json.loads((outdir / "redact-report.json").read_text(encoding="utf-8"))


def outputs(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and p.name != MANIFEST_NAME}


def run(runner: CliRunner, *args: str):
    result = runner.invoke(main, ["run", *args])
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


@pytest.mark.slow
def test_two_jobs_write_the_same_bytes_and_report_as_one(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(runner, str(corpus), "-o", str(one), "-q").exit_code == 0
    assert run(runner, str(corpus), "-o", str(two), "-q", "--jobs", "2").exit_code == 0
    first, second = outputs(one), outputs(two)
    assert sorted(first) == sorted(second) == ["doc1.txt", "gb.txt", "redact-report.html", "redact-report.json",
                                               "sub/a.txt", "sub/b.txt"]
    for name in first:
        assert first[name].replace(str(one).encode(), b"OUT") == second[name].replace(str(two).encode(), b"OUT"), name
    assert [d["source"] for d in report_of(one)["documents"]] == sorted(str(p) for p in corpus.rglob("*.txt"))


@pytest.mark.slow
def test_batch_consistency_masks_an_entity_of_another_file(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "b.txt").write_text(TEXT_B, encoding="utf-8")
    alone = run(runner, str(source / "b.txt"), "-o", str(tmp_path / "alone"), "-q")
    assert alone.exit_code == 0
    assert "赴沙溪考察" in (tmp_path / "alone" / "b.txt").read_text(encoding="utf-8")  # not found on its own
    (source / "a.txt").write_text(TEXT_A, encoding="utf-8")
    result = run(runner, str(source), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "(1 for batch consistency)" in result.stderr
    assert (tmp_path / "out" / "b.txt").read_text(encoding="utf-8") == "XX市XX区XX街道、XX街道的代表赴XX考察学习。\n"
    b_entry = next(d for d in report_of(tmp_path / "out")["documents"] if d["source"].endswith("b.txt"))
    batch = [f for f in b_entry["findings"] if f["origin"] == "batch"]
    assert [(f["text"], f["label"], f["reason"]) for f in batch] == [
        ("沙溪", "PLACE", f"masked in another file of the batch: {source / 'a.txt'}")]


@pytest.mark.slow
def test_a_failing_file_never_stops_the_others(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    (corpus / "sub" / "bad.txt").write_bytes(b"\x00\x01binary\x00")
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = run(runner, str(corpus), "-o", str(out), "--jobs", jobs)
        assert result.exit_code == 1
        assert f"redact: error: {corpus / 'sub' / 'bad.txt'}: looks like a binary file" in result.stderr
        assert not (out / "sub" / "bad.txt").exists()
        assert {"doc1.txt", "gb.txt", "sub/a.txt", "sub/b.txt"} <= set(outputs(out))
        documents = {Path(d["source"]).name: d for d in report_of(out)["documents"]}
        assert documents["bad.txt"]["status"] == "failed" and "binary" in documents["bad.txt"]["error"]
        assert all(d["status"] == "ok" for name, d in documents.items() if name != "bad.txt")


@pytest.mark.slow
def test_resume_skips_what_is_up_to_date_and_redoes_what_changed(runner: CliRunner, corpus: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(runner, str(corpus), "-o", str(out), "-q").exit_code == 0
    before = report_of(out)
    past = 1_000_000_000
    for path in out.rglob("*.txt"):
        os.utime(path, ns=(past, past))
    (corpus / "gb.txt").write_bytes("目前回山镇农民集中居住区建设项目。\r\n".encode("gb18030"))

    result = run(runner, str(corpus), "-o", str(out), "--resume")
    assert result.exit_code == 0
    assert "1 document(s) masked, 3 up to date (skipped)" in result.stderr
    assert (out / "gb.txt").read_bytes() == "目前XX镇农民集中居住区建设项目。\r\n".encode("gb18030")
    assert (out / "gb.txt").stat().st_mtime_ns != past
    for name in ("doc1.txt", "sub/a.txt", "sub/b.txt"):
        assert (out / name).stat().st_mtime_ns == past, f"{name} was rewritten"
    after = {Path(d["source"]).name: d for d in report_of(out)["documents"]}
    assert [name for name, d in sorted(after.items()) if d.get("resumed")] == ["a.txt", "b.txt", "doc1.txt"]
    previous = {Path(d["source"]).name: d for d in before["documents"]}
    assert after["b.txt"]["findings"] == previous["b.txt"]["findings"]  # the batch mention is kept
    assert any(f["origin"] == "batch" for f in after["b.txt"]["findings"])


@pytest.mark.slow
def test_resume_redoes_files_whose_borrowed_entities_changed(runner: CliRunner, tmp_path: Path) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (source / "b.txt").write_text(TEXT_B, encoding="utf-8")
    assert run(runner, str(source), "-o", str(out), "-q").exit_code == 0
    assert "赴XX考察" in (out / "b.txt").read_text(encoding="utf-8")
    # Without 沙溪镇 in a.txt, the unchanged b.txt no longer borrows 沙溪: both are redone.
    (source / "a.txt").write_text("新昌县召开会议，回山镇、儒岙镇参加。\n", encoding="utf-8")
    result = run(runner, str(source), "-o", str(out), "--resume")
    assert "redact: 2 document(s) masked, " in result.stderr and "skipped" not in result.stderr
    assert "赴沙溪考察" in (out / "b.txt").read_text(encoding="utf-8")
    result = run(runner, str(source), "-o", str(out), "--resume")
    assert "0 document(s) masked, 2 up to date (skipped)" in result.stderr


@pytest.mark.slow
def test_resume_redoes_an_output_that_was_changed_or_removed(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(runner, str(corpus), "-o", str(out), "-q").exit_code == 0
    masked = (out / "sub" / "a.txt").read_bytes()
    (out / "sub" / "a.txt").write_text("tampered", encoding="utf-8")
    (out / "gb.txt").unlink()
    result = run(runner, str(corpus), "-o", str(out), "--resume")
    assert "2 document(s) masked, 2 up to date (skipped)" in result.stderr
    assert (out / "sub" / "a.txt").read_bytes() == masked
    assert (out / "gb.txt").is_file()


@pytest.mark.slow
def test_each_run_uses_its_own_profile(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("全年成交额62.54亿元。\n", encoding="utf-8")
    for profile, expected in (("upper", "全年成交额XX亿元。\n"), ("lower", "全年成交额xx.xx亿元。\n")):
        assert run(runner, str(tmp_path / "a.txt"), "-o", str(tmp_path / profile), "-q", "-p", profile).exit_code == 0
        assert (tmp_path / profile / "a.txt").read_text(encoding="utf-8") == expected


@pytest.mark.slow
def test_jobs_option_is_validated(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["run", str(corpus), "-o", str(tmp_path / "out"), "--jobs", "-1"])
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_progress_bar_shows_files_rate_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from redact.progress import NullProgress, RichProgress, stderr_progress

    stream = io.StringIO()
    bar = RichProgress(stream)
    bar.phase("masking", 2, 100)
    bar.advance("a.txt", 500, 50)
    bar.advance("sub/b.txt", 500, 50)
    bar.close()
    bar.close()  # idempotent
    last = stream.getvalue().strip().splitlines()[-1]
    assert last.startswith("masking") and "2/2 files" in last and "chars/s" in last and "sub/b.txt" in last
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: no bar
    assert isinstance(stderr_progress(enabled=True), NullProgress)
    assert isinstance(stderr_progress(enabled=False), NullProgress)


@pytest.mark.slow
def test_a_name_borrowed_from_the_batch_anchors_no_list(runner: CliRunner, tmp_path: Path) -> None:
    """杜鹃 is a community in one file; in the other it heads a list of trees: it is masked there
    for consistency, but its placeholder does not make the trees beside it places."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("宁波市北仑区新碶街道杜鹃社区、红梅社区开展活动。\n", encoding="utf-8")
    (source / "b.txt").write_text("完成绿化工程，种植杜鹃、香樟、桂花等绿化树。\n", encoding="utf-8")
    result = run(runner, str(source), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0
    assert (tmp_path / "out" / "b.txt").read_text(encoding="utf-8") == "完成绿化工程，种植XX、香樟、桂花等绿化树。\n"
