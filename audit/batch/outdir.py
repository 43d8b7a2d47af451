"""A batch's report folder: created with clear errors, locked against a concurrent batch, marked as
the tool's own output (so a later batch over its parent folder skips it), cleaned of temporary
files a killed run left behind."""
from __future__ import annotations

import fcntl
import os
from typing import Iterable

from ..base.errors import QfinError
from ..base.output import OutputError, clean_stale

LOCK = ".qfin-audit-batch"  # in every batch folder: the lock, and the mark of the tool's own output


def is_batch_output(folder: str) -> bool:
    """A folder written by `batch` (now, or by a version before the mark: summary.jsonl + filings/)."""
    return (os.path.exists(os.path.join(folder, LOCK))
            or (os.path.isfile(os.path.join(folder, "summary.jsonl"))
                and os.path.isdir(os.path.join(folder, "filings"))))


class OutFolder:
    """`with OutFolder(out):` creates out/ and out/filings/ and holds an exclusive lock on out/
    until the batch ends; a second batch into the same folder fails at once, nothing written."""

    def __init__(self, out: str):
        self.out = out
        self.filings = os.path.abspath(os.path.join(out, "filings"))
        self._fd = None

    def __enter__(self) -> "OutFolder":
        try:
            os.makedirs(self.out, exist_ok=True)
            self._fd = os.open(os.path.join(self.out, LOCK), os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(f"--out {self.out}: cannot create the report folder ({exc.strerror or exc})") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = None
            raise QfinError(f"--out {self.out}: another batch is writing to this folder now; "
                            "wait for it to finish or choose another --out") from None
        try:
            os.makedirs(self.filings, exist_ok=True)
        except OSError as exc:
            self.__exit__()
            raise OutputError(f"--out {self.out}: cannot create {self.filings} ({exc.strerror or exc})") from None
        clean_stale(self.out)
        clean_stale(self.filings)
        return self

    def __exit__(self, *exc) -> None:
        if exc and exc[0] is not None:  # interrupted: its workers were killed, maybe in mid-write
            clean_stale(self.filings, min_age=0)
            clean_stale(self.out, min_age=0)
        if self._fd is not None:
            os.close(self._fd)  # closing releases the lock; the file stays as the folder's mark
            self._fd = None


def refuse_overwrites(out: str, sources: Iterable[str], reports: Iterable[str]) -> None:
    """OutputError when a file the batch writes (a report, summary.jsonl, index.html) is a filing
    or rule file it reads (the same path, a link, a hard link): linear in the number of files."""
    inodes = {}
    for source in sources:
        key = _inode(source)
        if key is not None:
            inodes.setdefault(key, source)
    for path in (os.path.join(out, "summary.jsonl"), os.path.join(out, "index.html"), *reports):
        key = _inode(path)
        if key is not None and key in inodes:
            raise OutputError(f"{path}: refusing to write a batch report over an input of this batch "
                              f"({inodes[key]}); choose another --out")


def _inode(path: str):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino
