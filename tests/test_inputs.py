"""Which files a run reads, where each output goes, and the refusals that protect the inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact.errors import UsageError
from redact.inputs import Job, check_output_dir, collect_jobs


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("内容", encoding="utf-8")


def relatives(jobs: list[Job]) -> list[str]:
    return [job.relative.as_posix() for job in jobs]


@pytest.mark.parametrize(("files", "expected"), [
    (["a.txt"], ["a.txt"]),
    (["b.txt", "a.txt", "c.TXT"], ["a.txt", "b.txt", "c.TXT"]),
    # nested directories, sorted by path
    (["z/1.txt", "a/b/2.txt", "a/1.txt", "m.txt"], ["a/1.txt", "a/b/2.txt", "m.txt", "z/1.txt"]),
    # hidden files and hidden directories are skipped
    (["a.txt", ".hidden.txt", ".git/x.txt", "sub/.cache/y.txt", "sub/ok.txt"], ["a.txt", "sub/ok.txt"]),
    # unsupported files inside a directory are skipped
    (["a.txt", "image.exe", "notes", "sub/data.bin"], ["a.txt"]),
])
def test_collect_jobs_in_a_directory(tmp_path, files, expected):
    touch(tmp_path / "in", *files)
    jobs = collect_jobs([tmp_path / "in"])
    assert relatives(jobs) == expected
    assert all(job.source == tmp_path / "in" / job.relative for job in jobs)


def test_files_given_directly_keep_their_name_and_order(tmp_path):
    touch(tmp_path, "x/b.txt", "y/a.txt")
    jobs = collect_jobs([tmp_path / "x" / "b.txt", tmp_path / "y" / "a.txt"])
    assert relatives(jobs) == ["b.txt", "a.txt"]
    assert [job.source for job in jobs] == [tmp_path / "x" / "b.txt", tmp_path / "y" / "a.txt"]


def test_files_and_directories_mixed(tmp_path):
    touch(tmp_path, "one.txt", "dir/two.txt", "dir/sub/three.txt")
    jobs = collect_jobs([tmp_path / "one.txt", tmp_path / "dir"])
    assert relatives(jobs) == ["one.txt", "sub/three.txt", "two.txt"]


@pytest.mark.parametrize(("files", "inputs"), [
    (["x/a.txt", "y/a.txt"], ["x/a.txt", "y/a.txt"]),      # two files with one name
    (["x/a.txt", "y/a.txt"], ["x", "y"]),                  # two trees with one relative name
    (["x/a.txt", "y/a.txt"], ["x/a.txt", "y"]),            # a file and a tree
    (["x/a.txt"], ["x/a.txt", "x/a.txt"]),                 # the same file twice
])
def test_same_relative_name_twice_is_refused(tmp_path, files, inputs):
    touch(tmp_path, *files)
    with pytest.raises(UsageError, match=r"would both be written to a\.txt"):
        collect_jobs([tmp_path / name for name in inputs])


def test_missing_input_is_refused(tmp_path):
    with pytest.raises(UsageError) as caught:
        collect_jobs([tmp_path / "missing.txt"])
    assert str(caught.value) == f"{tmp_path / 'missing.txt'}: no such file or directory"


@pytest.mark.parametrize("files", [[], ["image.exe"], [".hidden.txt"]])
def test_no_supported_input_is_refused(tmp_path, files):
    (tmp_path / "in").mkdir()
    touch(tmp_path / "in", *files)
    with pytest.raises(UsageError) as caught:
        collect_jobs([tmp_path / "in"])
    assert str(caught.value) == "no supported input files found"


# ---------------------------------------------------------------- check_output_dir

@pytest.mark.parametrize("outdir", ["in", "in/out", "in/a/b/out", "in/."])
def test_outdir_equal_to_or_inside_an_input_dir_is_refused(tmp_path, outdir):
    touch(tmp_path, "in/a.txt")
    inputs = [tmp_path / "in"]
    with pytest.raises(UsageError, match="is inside the input tree"):
        check_output_dir(tmp_path / outdir, inputs, collect_jobs(inputs))


def test_outdir_inside_input_dir_given_relatively_is_refused(tmp_path, monkeypatch):
    touch(tmp_path, "in/a.txt")
    monkeypatch.chdir(tmp_path)
    inputs = [Path("in")]
    with pytest.raises(UsageError, match="is inside the input tree"):
        check_output_dir(Path("in/../in/out"), inputs, collect_jobs(inputs))


@pytest.mark.parametrize("outdir", ["out", "in-out", "inx", "other/in"])
def test_outdir_beside_the_inputs_is_accepted(tmp_path, outdir):
    touch(tmp_path, "in/a.txt")
    inputs = [tmp_path / "in"]
    check_output_dir(tmp_path / outdir, inputs, collect_jobs(inputs))


def test_output_overwriting_an_input_file_is_refused(tmp_path):
    touch(tmp_path, "docs/a.txt")
    inputs = [tmp_path / "docs" / "a.txt"]
    with pytest.raises(UsageError) as caught:
        check_output_dir(tmp_path / "docs", inputs, collect_jobs(inputs))
    assert str(caught.value) == (f"writing {tmp_path / 'docs' / 'a.txt'} would overwrite the input "
                                 f"{tmp_path / 'docs' / 'a.txt'}")


def test_output_overwriting_another_input_is_refused(tmp_path):
    # src/sub/a.txt goes to out/sub/a.txt, which is itself an input given directly
    touch(tmp_path, "src/sub/a.txt", "out/sub/a.txt")
    inputs = [tmp_path / "src", tmp_path / "out" / "sub" / "a.txt"]
    jobs = collect_jobs(inputs)
    assert relatives(jobs) == ["sub/a.txt", "a.txt"]
    with pytest.raises(UsageError) as caught:
        check_output_dir(tmp_path / "out", inputs, jobs)
    assert str(caught.value) == (f"writing {tmp_path / 'out' / 'sub' / 'a.txt'} would overwrite the input "
                                 f"{tmp_path / 'src' / 'sub' / 'a.txt'}")


def test_output_next_to_input_files_given_directly_is_accepted(tmp_path):
    touch(tmp_path, "docs/a.txt")
    inputs = [tmp_path / "docs" / "a.txt"]
    check_output_dir(tmp_path / "masked", inputs, collect_jobs(inputs))


def test_output_through_a_symlink_to_the_input_tree_is_refused(tmp_path):
    touch(tmp_path, "in/a.txt")
    (tmp_path / "link").symlink_to(tmp_path / "in", target_is_directory=True)
    inputs = [tmp_path / "in"]
    with pytest.raises(UsageError, match="is inside the input tree"):
        check_output_dir(tmp_path / "link" / "out", inputs, collect_jobs(inputs))
