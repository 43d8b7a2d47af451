"""Writing outputs: regular files atomically (a temporary file, then a rename), special files directly."""
from __future__ import annotations

import errno
import os
import random
import stat
import time
from typing import Iterable, Union

from .errors import QfinError

PREFIX = ".tmp-"  # temporary files are named .tmp-<pid>-<random><name>
STALE_SECONDS = 60  # a temporary file of a dead process untouched this long is removed


class OutputError(QfinError):
    """A report or summary that could not be written (full disk, no permission, not a file)."""


def cannot_write(path: str, exc: OSError) -> OutputError:
    """The one-line error for a failed write."""
    return OutputError(f"{path}: cannot write ({exc.strerror or exc})")


def write_atomic(path: str, data: Union[str, bytes, Iterable[str]], private: bool = False) -> None:
    """Write text, bytes or a stream of text chunks to path so that readers see the old file or
    the whole new one, never a part. Reports get the usual permissions; `private` files (caches)
    stay readable by their owner only. A character device (/dev/null) or a FIFO is written
    directly, never replaced; other special files are refused. OSError becomes OutputError."""
    linked = False
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            linked = True
            mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise cannot_write(path, exc) from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return _write_special(path, data, stat.S_ISFIFO(mode))
        what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise OutputError(f"{path}: cannot write (it is {what})")
    target, folder = path, os.path.dirname(path) or os.curdir
    try:
        if linked or not os.path.isdir(folder):  # (the usual case: neither a link to follow nor a folder to make)
            target = os.path.realpath(path)  # through a symbolic link: the link stays, its file is replaced
            folder = os.path.dirname(target)
            os.makedirs(folder, mode=0o700 if private else 0o777, exist_ok=True)
        fd, tmp = _create(folder, os.path.basename(target), 0o600 if private else 0o666)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        if isinstance(data, (str, bytes)):  # encoded at once, one write
            _write_all(fd, data)
        else:  # pieces (a report's parts, a template's output): written as they come, a buffer at a time
            _fill(os.fdopen(fd, "w", encoding="utf-8", newline=""), data)  # (a 1 MB join costs page faults)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise cannot_write(path, exc) from None
        raise


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"


def _create(folder: str, name: str, mode: int) -> tuple[int, str]:
    """A new temporary file in folder for name, opened for writing: (fd, its path). It is
    created with its mode (less the umask, as any new file), not made and then changed."""
    prefix = os.path.join(folder, f"{PREFIX}{os.getpid()}-")
    for _ in range(100):
        tmp = prefix + "".join(random.choices(_NAME_CHARS, k=8)) + name
        try:
            return os.open(tmp, _CREATE, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no usable temporary file name found", prefix + name)


def _write_all(fd: int, data: Union[str, bytes]) -> None:
    """Write text (as UTF-8) or bytes to fd in one write, and close it."""
    try:
        if isinstance(data, str):
            data = data.encode("utf-8")
        done = os.write(fd, data)
        while done < len(data):  # (a regular file takes it all at once but on a full disk or a signal)
            done += os.write(fd, memoryview(data)[done:])
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)  # (a full disk may show here at the latest, as on NFS)


def _text_args(data) -> dict:
    return {} if isinstance(data, bytes) else {"encoding": "utf-8", "newline": ""}


def _fill(handle, data) -> None:
    """Write and close (closing flushes: a full disk shows here at the latest)."""
    with handle:
        if isinstance(data, (str, bytes)):
            handle.write(data)
        else:
            handle.writelines(data)


def _write_special(path: str, data, fifo: bool) -> None:
    """Write to a device or a FIFO in place. A FIFO with no reader is an error, not a hang."""
    flags = os.O_WRONLY | (os.O_NONBLOCK if fifo else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{path}: cannot write (a FIFO that no process is reading)") from None
        raise cannot_write(path, exc) from None
    try:
        if fifo:
            os.set_blocking(fd, True)
        _fill(os.fdopen(fd, "wb" if isinstance(data, bytes) else "w", **_text_args(data)), data)
    except OSError as exc:
        raise cannot_write(path, exc) from None


def clean_stale(folder: str, min_age: float = STALE_SECONDS) -> int:
    """Remove temporary files left in folder by a killed writer: those of a process that no
    longer runs, untouched for min_age seconds (STALE_SECONDS unless the caller knows the writers:
    a batch that killed its own workers passes 0). Returns how many were removed; never raises."""
    removed = 0
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(PREFIX)]
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        pid = entry.name[len(PREFIX):].split("-", 1)[0]
        try:
            if pid.isdigit() and _alive(int(pid)) or now - entry.stat(follow_symlinks=False).st_mtime < min_age:
                continue
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def same_file(a: str, b: str) -> bool:
    """Do two paths name one file (the same path, through links, or a hard link)?"""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_inputs(outputs: Iterable[str], inputs: Iterable[str]) -> None:
    """OutputError when an output path would overwrite an input (the filing, a rule file)."""
    inputs = list(inputs)
    for path in outputs:
        if path == "-":
            continue
        for source in inputs:
            if same_file(path, source):
                raise OutputError(f"{path}: refusing to write a report over an input of this run ({source}); "
                                  "choose another output path")
