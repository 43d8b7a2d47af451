"""Batch processes (pool workers however they start, --jobs 1) keep freed memory for the next filing."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """import multiprocessing, os, pickle, sys
from concurrent.futures import ProcessPoolExecutor
from audit.batch import heap, pool, worker
if __name__ == "__main__":
    if sys.argv[1] == "in-process":
        list(pool.in_process([], [], "local-test"))
        print(heap.keep_freed_memory())  # False: already made
    else:
        context = multiprocessing.get_context(sys.argv[1])
        with ProcessPoolExecutor(2, context, initializer=worker.init,
                                 initargs=("digest", pickle.dumps([]), os.getpid())) as workers:
            print(workers.submit(heap.keep_freed_memory).result())
"""


def _probe(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def glibc() -> None:
    fresh = subprocess.run([sys.executable, "-c", "from audit.batch import heap; print(heap.keep_freed_memory(), "
                            "heap.keep_freed_memory())"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert fresh.returncode == 0, fresh.stderr
    if fresh.stdout.split() != ["True", "False"]:  # (the second call never changes anything)
        pytest.skip("malloc settings need Linux with glibc")


@pytest.mark.parametrize("how", ["fork", "spawn", "forkserver", "in-process"])
def test_batch_processes_keep_freed_memory(glibc, how):
    assert _probe(how) == "False"  # the worker's initializer (or --jobs 1) made the settings already
