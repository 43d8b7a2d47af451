"""Where a batch's tasks run: this process, a local process pool, or a Dask cluster.

Each backend yields one summary line per task as it completes, with a bounded number of tasks
in flight, so memory stays flat however many filings there are.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from itertools import islice
from typing import Iterable, Iterator, Sized

from ..base.errors import QfinError
from ..base.output import PREFIX
from . import worker
from .worker import Task


def in_process(tasks: Iterable[Task], packs, digest: str) -> Iterator[dict]:
    """--jobs 1: no pool, no pickling."""
    from .heap import keep_freed_memory

    keep_freed_memory()
    worker.install(digest, ruleset=packs)
    for task in tasks:
        yield worker.run_task(digest, task)


def processes(tasks: Iterable[Task], blob: bytes, digest: str, jobs: int, chunk: int = 1) -> Iterator[dict]:
    """A pool of `jobs` processes, each given the pickled rules once by its initializer; tasks go
    to them `chunk` at a time (one round trip for several filings) but for the last few, their
    lines come back as the chunk ends.

    If a worker dies (killed, out of memory), the tasks in flight are tried again in a fresh pool,
    one at a time and alone, so a second death names the filing that causes it.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    window = jobs * (4 if chunk <= 4 else 2)  # chunks in flight: up to 16 filings a worker
    left = len(tasks) if isinstance(tasks, Sized) else None  # tasks not yet sent
    todo = iter(tasks)
    retry: deque[tuple[Task, int]] = deque()
    folders: set[str] = set()  # where the tasks sent write their reports
    while True:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=worker.init, initargs=(digest, blob, os.getpid()))
        pending: dict = {}  # future -> (its tasks, how many times they were tried before)
        broken = False
        try:
            while True:
                solo = any(tries for _, tries in pending.values())
                while len(pending) < window and not broken and not solo:
                    if retry:
                        if pending:
                            break
                        task, tries = retry.popleft()
                        group: tuple[Task, ...] = (task,)
                        solo = True
                    else:  # the last filings go one at a time, so that the workers finish together
                        group = tuple(islice(todo, chunk if left is None or left > jobs * chunk * 2 else 1))
                        left = None if left is None else left - len(group)
                        tries = 0
                        if not group:
                            break
                    folders.update(task.out for task in group)
                    try:
                        pending[pool.submit(worker.run_tasks, digest, group)] = (group, tries)
                    except BrokenProcessPool:
                        retry.extendleft((task, tries) for task in reversed(group))
                        broken = True
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    group, tries = pending.pop(future)
                    try:
                        lines = future.result()
                    except BrokenProcessPool:
                        broken = True
                        if tries:
                            yield worker.summary_line(group[0], "a worker process died while auditing this filing")
                        else:
                            retry.extend((task, 1) for task in group)
                    except Exception as exc:  # e.g. a result that cannot be sent back
                        if len(group) > 1:  # each alone, to find the filing whose line it is
                            retry.extend((task, 1) for task in group)
                        else:
                            yield worker.summary_line(group[0], f"internal error: {type(exc).__name__}: {exc}")
                    else:
                        yield from lines
                if broken and not pending:
                    break
        except BaseException:  # Ctrl-C or an error in the parent: the workers stop now, not after their filing
            killed = _kill_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)
            _remove_temporaries(folders, killed)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken and not retry:
            return


def _kill_workers(pool) -> list[int]:
    """Kill the pool's workers: the pids of those killed."""
    killed = []
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
            killed.append(process.pid)
        except (OSError, ValueError):
            pass
    return killed


def _remove_temporaries(folders: set[str], pids: list[int]) -> None:
    """The reports killed workers were writing (write_atomic's temporary files, named by their pid),
    once the workers are gone: a stopped batch leaves its finished reports and nothing else."""
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for pid in pids:
            start = f"{PREFIX}{pid}-"
            for name in names:
                if name.startswith(start):
                    try:
                        os.unlink(os.path.join(folder, name))
                    except OSError:
                        pass


LOCAL = ("local", "local:processes", "local:threads")


def check_scheduler(scheduler: str):
    """The distributed module for --scheduler, or QfinError (bad address, no scheduler listening
    there, Dask not installed): checked before the batch writes anything."""
    if scheduler not in LOCAL and "://" not in scheduler:
        raise QfinError(f"--scheduler {scheduler}: expected tcp://host:port, local or local:threads")
    try:
        import distributed
    except ImportError:
        raise QfinError("--scheduler needs Dask distributed: pip install 'qfin-audit[dask]' "
                        "(or pip install 'dask[distributed]')") from None
    if scheduler not in LOCAL:
        _reachable(scheduler)
    return distributed


def _reachable(scheduler: str) -> None:
    """A tcp:// or tls:// address must name a host and port that accept a connection."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(scheduler)
    if parts.scheme not in ("tcp", "tls"):
        return  # other Dask protocols (ucx, inproc) are left to Dask
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host or not port:
        raise QfinError(f"--scheduler {scheduler}: expected tcp://host:port, local or local:threads")
    try:
        socket.create_connection((host, port), timeout=10).close()
    except OSError as exc:
        raise QfinError(f"--scheduler {scheduler}: cannot connect ({exc.strerror or exc})") from None


def dask(tasks: Iterable[Task], blob: bytes, digest: str, scheduler: str, jobs: int) -> Iterator[dict]:
    """The same work on Dask distributed: `tcp://host:port`, or `local` / `local:threads`.

    The pickled rules are scattered once to every worker; each worker unpickles them once.
    Workers read the filings and write the reports themselves, so a remote cluster needs the
    paths (absolute) on a filesystem it shares with this machine.
    """
    distributed = check_scheduler(scheduler)
    cluster = None
    if scheduler in LOCAL:
        threads = scheduler == "local:threads"
        cluster = distributed.LocalCluster(
            n_workers=1 if threads else jobs, threads_per_worker=jobs if threads else 1,
            processes=not threads, dashboard_address=None, silence_logs=logging.ERROR)
        address = cluster
    else:
        address = scheduler
    try:
        client = distributed.Client(address, timeout=20)
    except Exception as exc:  # refused, timed out, or not an address
        if cluster is not None:
            cluster.close()
        raise QfinError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    try:
        threads = sum(client.nthreads().values()) or jobs
        rules = client.scatter(blob, broadcast=True)
        todo = iter(tasks)
        pending: dict = {}
        queue = distributed.as_completed()

        def submit() -> bool:
            task = next(todo, None)
            if task is None:
                return False
            future = client.submit(worker.dask_task, digest, rules, task, pure=False)
            pending[future.key] = task
            queue.add(future)
            return True

        for _ in range(threads * 4):
            if not submit():
                break
        for future in queue:
            task = pending.pop(future.key)
            try:
                yield future.result()
            except Exception as exc:  # e.g. distributed.KilledWorker
                yield worker.summary_line(task, f"dask: {type(exc).__name__}: {exc}")
            future.release()
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
