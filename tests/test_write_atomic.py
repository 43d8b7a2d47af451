"""write_atomic: what it leaves on disk (bytes, permissions, links, folders) and what it never leaves (temporary files, open descriptors)."""
from __future__ import annotations

import os
import stat

import pytest

from audit.base.output import PREFIX, OutputError, write_atomic

TEXT = "<p>r\u00e9sum\u00e9 \u2014 1,234</p>\n\r\n"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("data", [TEXT, TEXT.encode("utf-8"), [TEXT[:5], TEXT[5:], ""], (TEXT,), iter([TEXT[:7], TEXT[7:]])])
def test_every_kind_of_data_gives_the_same_bytes(tmp_path, data):
    target = tmp_path / "r.html"
    write_atomic(str(target), data)
    assert target.read_bytes() == TEXT.encode("utf-8")  # no newline translation, UTF-8
    assert os.listdir(tmp_path) == ["r.html"]


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_a_report_has_the_usual_permissions_and_a_private_file_its_owners(tmp_path, mask):
    old = os.umask(mask)
    try:
        write_atomic(str(tmp_path / "report.json"), "{}")
        write_atomic(str(tmp_path / "cache.bin"), b"x", private=True)
        write_atomic(str(tmp_path / "report.json"), "{} ")  # replaced: the same again
        assert os.umask(mask) == mask  # and the umask is as it was
    finally:
        os.umask(old)
    assert _mode(tmp_path / "report.json") == 0o666 & ~mask
    assert _mode(tmp_path / "cache.bin") == 0o600 & ~mask


def test_a_symbolic_link_stays_and_its_file_is_replaced(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "r.json").write_text("old")
    (tmp_path / "r.json").symlink_to(real / "r.json")
    (tmp_path / "dangling.json").symlink_to(real / "new.json")
    write_atomic(str(tmp_path / "r.json"), "new")
    write_atomic(str(tmp_path / "dangling.json"), "made")
    assert os.path.islink(tmp_path / "r.json") and (real / "r.json").read_text() == "new"
    assert os.path.islink(tmp_path / "dangling.json") and (real / "new.json").read_text() == "made"
    assert sorted(os.listdir(real)) == ["new.json", "r.json"]


def test_a_missing_folder_is_made_and_a_relative_path_is_written_where_it_says(tmp_path, monkeypatch):
    write_atomic(str(tmp_path / "a" / "b" / "r.json"), "x")
    assert (tmp_path / "a" / "b" / "r.json").read_text() == "x"
    monkeypatch.chdir(tmp_path)
    write_atomic("here.json", "y")
    write_atomic(os.path.join("a", "..", "there.json"), "z")
    assert (tmp_path / "here.json").read_text() == "y" and (tmp_path / "there.json").read_text() == "z"


def test_a_failure_leaves_no_temporary_file_and_no_open_descriptor(tmp_path):
    target = tmp_path / "r.html"
    write_atomic(str(target), "old")
    before = _open_fds()
    for bad in ("new \ud800", ["new", "\ud800"], iter(["new", "\ud800"])):
        with pytest.raises(UnicodeEncodeError):
            write_atomic(str(target), bad)
    assert _open_fds() == before
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["r.html"]


def test_what_cannot_be_written_is_one_output_error(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match="it is a directory"):
        write_atomic(str(tmp_path / "folder"), "x")
    with pytest.raises(OutputError, match=r"file/r\.json: cannot write \(Not a directory\)"):
        write_atomic(str(tmp_path / "file" / "r.json"), "x")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(str(tmp_path / "loop"), "x")
    assert not [n for n in os.listdir(tmp_path) if n.startswith(PREFIX)]
