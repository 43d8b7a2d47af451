"""Bounds on a batch's workers: a time limit per filing, and workers that die with the batch."""
from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Iterator, Optional

DEFAULT_TIMEOUT = 300.0  # seconds per filing; the bundled filings take well under one


class Timeout(BaseException):
    """The filing took longer than its time limit (a BaseException, so that no `except
    Exception` on the way swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: Optional[float]) -> Iterator[None]:
    """Raise Timeout in this thread after `seconds` (SIGALRM: the main thread of a process, as in
    the process pool and --jobs 1; elsewhere, e.g. Dask threads, there is no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def die_with_parent(parent: Optional[int] = None) -> None:
    """Ask Linux to kill this process when the process that started it (pid `parent`, passed by
    the parent: it may already be gone when this runs) dies (SIGTERM, kill -9), so that no worker
    outlives its batch. Elsewhere a no-op."""
    parent = parent or os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    here = os.getppid()
    if here != parent and _parent_of(here) != parent:  # neither the batch (fork, spawn) nor its fork server
        os._exit(1)  # (forkserver) started this process: the batch died before prctl took effect


def _parent_of(pid: int) -> Optional[int]:
    """The parent of process pid (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return int(handle.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None
